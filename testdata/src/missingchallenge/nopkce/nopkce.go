// Package nopkce is an authorization server with no PKCE at all, written
// as one ServeHTTP switch over the path like many test providers.
package nopkce

import (
	"net/http"
	"net/url"
)

// Provider issues codes.
type Provider struct {
	code     string
	verifier string
}

func (p *Provider) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	switch req.URL.Path {
	case "/authorize":
		if req.FormValue("response_type") != "code" {
			http.Error(w, "unsupported_response_type", http.StatusBadRequest)
			return
		}
		redirectURI := req.FormValue("redirect_uri")
		redirectURI += "?state=" + url.QueryEscape(req.FormValue("state")) + // want `this authorization endpoint issues a code without reading code_challenge`
			"&code=" + url.QueryEscape(p.code)
		http.Redirect(w, req, redirectURI, http.StatusFound)
	case "/form_post":
		// A relay: the code comes from the request and is passed on.
		code := req.FormValue("code")
		_ = req.FormValue("response_type")
		http.Redirect(w, req, req.FormValue("redirect_uri")+"?state="+req.FormValue("state")+"&code="+url.QueryEscape(code), http.StatusFound)
	case "/token":
		if req.FormValue("code") != p.code {
			http.Error(w, "invalid_grant", http.StatusUnauthorized)
		}
	}
}

// callback is a client: it builds its token request by hand.
func callback(code, verifier string) string {
	return "grant_type=authorization_code&code=" + url.QueryEscape(code) + "&code_verifier=" + verifier
}

// deviceRedirect carries a user_code, not an authorization code.
func deviceRedirect(w http.ResponseWriter, req *http.Request, userCode string) {
	_ = req.FormValue("response_type")
	http.Redirect(w, req, "/device?user_code="+userCode, http.StatusFound)
}
