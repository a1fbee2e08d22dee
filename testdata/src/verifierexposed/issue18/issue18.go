// Package issue18 is the client of issue 18: a verifier made once in
// Routes and exposed by the callback closure (the reuse itself is
// PKCE008's).
package issue18

import (
	"log"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

var conf = &oauth2.Config{}

func Routes(mux *http.ServeMux) {
	verifier := oauth2.GenerateVerifier()
	state := oauth2.GenerateVerifier()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), http.StatusFound)
	})
	mux.HandleFunc("/cb", func(w http.ResponseWriter, r *http.Request) {
		log.Printf("exchanging code with verifier %s", verifier) // want `code verifier written to a log by log.Printf`
		slog.Debug("pkce", "verifier", verifier)                 // want `code verifier written to a log by slog.Debug`
		tok, err := conf.Exchange(r.Context(), r.URL.Query().Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			http.Error(w, "exchange failed for verifier "+verifier, 500) // want `code verifier, made into text by string concatenation, written to an HTTP response by http.Error`
			return
		}
		_ = tok
	})
}

// A hand-built token request whose form is logged before it is sent.
func redeem(tokenURL, code, codeVerifier string) (*http.Response, error) {
	data := url.Values{}
	data.Set("grant_type", "authorization_code")
	data.Set("code", code)
	data.Set("code_verifier", codeVerifier)
	log.Printf("Code: %s", code)                  // ok: the code
	log.Printf("Code Verifier: %s", codeVerifier) // want `code verifier written to a log by log.Printf`
	log.Printf("form: %v", data)                  // want `code verifier written to a log by log.Printf`
	return http.Post(tokenURL, "application/x-www-form-urlencoded", strings.NewReader(data.Encode()))
}
