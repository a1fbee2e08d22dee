// Package requestpath holds casdoor's CasWAF shape: the state sent in the
// authorization request is the page the user asked for, taken from the
// request. An attacker knows it (they choose it), so it binds nothing to
// the browser; the callback then redirects to it.
package requestpath

import (
	"fmt"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"
)

var conf = &oauth2.Config{}

type client struct{ Endpoint, ClientID string }

func signinURL(c *client, callback, originalPath string) string {
	return fmt.Sprintf("%s/login/oauth/authorize?client_id=%s&response_type=code&redirect_uri=%s&code_challenge=x&code_challenge_method=S256&state=%s",
		c.Endpoint, c.ClientID, url.QueryEscape(callback), url.QueryEscape(originalPath))
}

func redirectToLogin(c *client, w http.ResponseWriter, r *http.Request) {
	callback := fmt.Sprintf("https://%s/callback", r.Host)
	http.Redirect(w, r, signinURL(c, callback, r.RequestURI), http.StatusFound) // want `state passed to signinURL .* comes from the request's RequestURI`
}

func loginWithPath(w http.ResponseWriter, r *http.Request) {
	v := oauth2.GenerateVerifier()
	http.Redirect(w, r, conf.AuthCodeURL(r.URL.Path, oauth2.S256ChallengeOption(v)), http.StatusFound) // want `state passed to \(\*oauth2.Config\).AuthCodeURL comes from the request's URL.Path`
}

func loginWithURL(w http.ResponseWriter, r *http.Request) {
	v := oauth2.GenerateVerifier()
	http.Redirect(w, r, conf.AuthCodeURL(r.URL.String(), oauth2.S256ChallengeOption(v)), http.StatusFound) // want `comes from the request's URL`
}

func loginWithReferer(w http.ResponseWriter, r *http.Request) {
	v := oauth2.GenerateVerifier()
	http.Redirect(w, r, conf.AuthCodeURL(r.Referer(), oauth2.S256ChallengeOption(v)), http.StatusFound) // want `comes from the request's Referer`
}

// A constant fallback when the caller gives no state.
type flow struct{ State string }

func (f *flow) loginURL(v string) string {
	state := f.State
	if state == "" {
		state = "default-state"
	}
	return conf.AuthCodeURL(state, oauth2.S256ChallengeOption(v)) // want `is the constant "default-state" whenever no other state is given`
}

// Look-alikes.

// A proxy forwards the state its own client sent: that client checks it.
func forward(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	http.Redirect(w, r, conf.AuthCodeURL(q.Get("state"), oauth2.S256ChallengeOption(q.Get("code_challenge"))), http.StatusFound)
}

// The return path travels beside a random state, not as it.
func loginKeepingPath(w http.ResponseWriter, r *http.Request, save func(state, path string)) {
	state := oauth2.GenerateVerifier()
	save(state, r.URL.Path)
	v := oauth2.GenerateVerifier()
	http.Redirect(w, r, conf.AuthCodeURL(state, oauth2.S256ChallengeOption(v)), http.StatusFound)
}

// The configured redirect URL's path is no request data.
func loginConfigured(u *url.URL, v string) string {
	return conf.AuthCodeURL(oauth2.GenerateVerifier()+u.Path, oauth2.S256ChallengeOption(v))
}

func inlineSprintf(c *client, w http.ResponseWriter, r *http.Request) {
	u := fmt.Sprintf("%s/login/oauth/authorize?client_id=%s&response_type=code&code_challenge=x&code_challenge_method=S256&state=%s",
		c.Endpoint, c.ClientID, url.QueryEscape(r.RequestURI)) // want `state passed to the state parameter comes from the request.s RequestURI`
	http.Redirect(w, r, u, http.StatusFound)
}

func constSprintf(c *client, w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, signinURL(c, "x", "const"), http.StatusFound) // want `state passed to signinURL \(which uses it in the state parameter\) is the constant "const"`
}
