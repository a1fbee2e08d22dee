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

// Server is issue 20's item 2: an authorization server with no PKCE that
// never reads response_type. Authorize reads client_id and redirect_uri,
// mints a code and redirects with it in url.Values; Token looks it up.
type Server struct{ codes map[string]string }

func (s *Server) Authorize(w http.ResponseWriter, r *http.Request) {
	client, redirect := r.FormValue("client_id"), r.FormValue("redirect_uri")
	if client == "" || redirect != "http://127.0.0.1/cb" {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	code := newCode()
	s.codes[code] = client
	v := url.Values{}
	v.Set("code", code) // want `this authorization endpoint issues a code without reading code_challenge`
	v.Set("state", r.FormValue("state"))
	http.Redirect(w, r, redirect+"?"+v.Encode(), http.StatusFound)
}

func (s *Server) Token(w http.ResponseWriter, r *http.Request) {
	code := r.FormValue("code")
	if _, ok := s.codes[code]; !ok {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	delete(s.codes, code)
	w.Write([]byte(`{"access_token":"t"}`))
}

func newCode() string { return "c" }
