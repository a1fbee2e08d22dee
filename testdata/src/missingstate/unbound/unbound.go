// Package unbound holds callbacks whose state is a server-signed token
// (issue 20, item 7): checked by its MAC alone it binds nothing to the
// browser; compared with a cookie too, it does.
package unbound

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
)

var (
	conf = &oauth2.Config{}
	key  = []byte("k")
)

func sign(provider string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(provider))
	return provider + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validState checks the MAC of "provider.mac".
func validState(state string) bool {
	provider, mac, ok := strings.Cut(state, ".")
	if !ok {
		return false
	}
	want := sign(provider)
	return hmac.Equal([]byte(provider+"."+mac), []byte(want))
}

// Callback trusts any state the server ever signed.
func Callback(w http.ResponseWriter, r *http.Request) {
	state := r.URL.Query().Get("state") // want `state is checked only by its signature, and nothing ties it to this browser`
	if !validState(state) {
		http.Error(w, "bad state", http.StatusBadRequest)
		return
	}
	tok, err := conf.Exchange(r.Context(), r.URL.Query().Get("code"))
	_, _ = tok, err
}

// CallbackCookie also compares the state with the cookie set at login
// (a double submit): bound to the browser.
func CallbackCookie(w http.ResponseWriter, r *http.Request) {
	state := r.URL.Query().Get("state")
	c, err := r.Cookie("oauth_state")
	if err != nil || c.Value != state || !validState(state) {
		http.Error(w, "bad state", http.StatusBadRequest)
		return
	}
	tok, err := conf.Exchange(r.Context(), r.URL.Query().Get("code"))
	_, _ = tok, err
}

type sessionStore interface {
	Get(r *http.Request, name string) (map[string]string, error)
}

// CallbackSession compares it with the session's value.
func CallbackSession(store sessionStore) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		state := r.URL.Query().Get("state")
		sess, _ := store.Get(r, "login")
		if sess["state"] != state || !validState(state) {
			http.Error(w, "bad state", http.StatusBadRequest)
			return
		}
		tok, err := conf.Exchange(r.Context(), r.URL.Query().Get("code"))
		_, _ = tok, err
	}
}

// CallbackPlain compares the state with a stored value: not a signature
// check, and judged elsewhere.
func CallbackPlain(saved map[string]bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		state := r.URL.Query().Get("state")
		if !saved[state] {
			http.Error(w, "bad state", http.StatusBadRequest)
			return
		}
		tok, err := conf.Exchange(r.Context(), r.URL.Query().Get("code"))
		_, _ = tok, err
	}
}
