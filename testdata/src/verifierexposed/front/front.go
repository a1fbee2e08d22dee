// Package front sends verifiers on the front channel.
package front

import (
	"net/http"
	"net/url"

	"golang.org/x/oauth2"
)

var conf = &oauth2.Config{}

func asState(w http.ResponseWriter, r *http.Request) {
	v := oauth2.GenerateVerifier()
	u := conf.AuthCodeURL(v, oauth2.S256ChallengeOption(v)) // want `code verifier sent on the front channel as the state of \(\*oauth2.Config\).AuthCodeURL`
	http.Redirect(w, r, u, http.StatusFound)
}

func asParam(w http.ResponseWriter, r *http.Request, state string) {
	v := oauth2.GenerateVerifier()
	u := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(v),
		oauth2.SetAuthURLParam("pkce_hint", v)) // want `code verifier sent on the front channel as oauth2.SetAuthURLParam\("pkce_hint"\) passed to AuthCodeURL`
	http.Redirect(w, r, u, http.StatusFound)
}

func handBuilt(w http.ResponseWriter, r *http.Request, state, challenge string) {
	v := oauth2.GenerateVerifier()
	q := url.Values{}
	q.Set("response_type", "code")
	q.Set("client_id", "c")
	q.Set("state", state)
	q.Set("code_challenge", challenge)
	q.Set("code_challenge_method", "S256")
	q.Set("nonce", v) // want `code verifier sent on the front channel as the nonce parameter of the authorization request`
	http.Redirect(w, r, "https://as.example/authorize?"+q.Encode(), http.StatusFound)
	_, _ = conf.Exchange(r.Context(), "code", oauth2.VerifierOption(v))
}

func redirect(w http.ResponseWriter, r *http.Request) {
	v := oauth2.GenerateVerifier()
	http.Redirect(w, r, "/next?v="+v, http.StatusFound) // want `code verifier, made into text by string concatenation, sent on the front channel as the Location of http.Redirect`
	w.Header().Set("Location", "/x#"+v)                 // want `sent on the front channel as the Location header of the response`
	_, _ = conf.Exchange(r.Context(), "code", oauth2.VerifierOption(v))
}

// PKCE001 owns VerifierOption passed to AuthCodeURL: no PKCE007 finding.
func verifierOption(state string) string {
	v := oauth2.GenerateVerifier()
	return conf.AuthCodeURL(state, oauth2.VerifierOption(v))
}
