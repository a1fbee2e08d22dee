// Package fallback reads the state saved for the browser from a cookie,
// and falls back to the callback's own state when no cookie store is set.
package fallback

import (
	"context"
	"errors"
	"net/http"

	"golang.org/x/oauth2"
)

type cookies interface {
	CheckQueryCookie(r *http.Request, name string) (string, error)
}

type party struct {
	cfg     *oauth2.Config
	cookies cookies
}

func tryReadStateCookie(r *http.Request, p *party) (string, error) {
	if p.cookies == nil {
		return r.FormValue("state"), nil // want `on this path the callback's state is taken from the callback request itself and checked against nothing`
	}
	state, err := p.cookies.CheckQueryCookie(r, "state")
	if err != nil {
		return "", err
	}
	return state, nil
}

func callback(p *party) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		state, err := tryReadStateCookie(r, p)
		if err != nil {
			http.Error(w, "bad state: "+state, http.StatusUnauthorized)
			return
		}
		if _, err := p.cfg.Exchange(r.Context(), r.FormValue("code"), oauth2.VerifierOption("v")); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
		}
	}
}

// Look-alikes.

// stateFrom reads the state from where the client put it; the callback
// compares it with the saved one.
func stateFrom(r *http.Request, saved func() string) (string, error) {
	if r.Method == http.MethodPost {
		return r.PostFormValue("state"), nil
	}
	if s := saved(); s == "" {
		return "", errors.New("no saved state")
	}
	return r.URL.Query().Get("state"), nil
}

func cookieOrQuery(r *http.Request, c *http.Cookie) string {
	if c == nil {
		return r.FormValue("state")
	}
	return c.Value
}

func comparingCallback(cfg *oauth2.Config, saved *http.Cookie) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		got := cookieOrQuery(r, nil)
		if got != saved.Value {
			http.Error(w, "state mismatch", http.StatusForbidden)
			return
		}
		_, _ = cfg.Exchange(context.Background(), r.FormValue("code"), oauth2.VerifierOption("v"))
	}
}

// notACallback reads state the same way but redeems nothing.
func notACallback(r *http.Request) string { return cookieOrQuery(r, nil) }
