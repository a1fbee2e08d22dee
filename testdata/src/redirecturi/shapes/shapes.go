// Package shapes holds authorization endpoints that keep the redirect URI
// in a struct field (supabase's shape) and a function that only sorts
// requests by their redirect URI (dex's grant type), beside the same
// shapes done wrong.
package shapes

import (
	"net/http"
	"slices"
	"strings"
)

type Client struct{ RedirectURIs []string }

type Params struct {
	ClientID    string
	RedirectURI string
}

type Server struct{ clients map[string]*Client }

// Authorize compares the field it keeps the URI in with every registered
// URI before it redirects.
func (s *Server) Authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := &Params{ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri")}
	c := s.clients[p.ClientID]
	ok := false
	for _, u := range c.RedirectURIs {
		if u == p.RedirectURI {
			ok = true
		}
	}
	if !ok || q.Get("code_challenge") == "" || q.Get("response_type") != "code" {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, p.RedirectURI+"?code=x", http.StatusFound)
}

// AuthorizeAssigned stores it by assignment and never compares it.
func (s *Server) AuthorizeAssigned(w http.ResponseWriter, r *http.Request) {
	var p Params
	p.RedirectURI = r.FormValue("redirect_uri") // want `redirect_uri from the request is never compared`
	if r.FormValue("response_type") != "code" || r.FormValue("code_challenge") == "" {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, p.RedirectURI+"?code=x", http.StatusFound)
}

const deviceCallback = "/device/callback"

// AuthorizeDevice sorts the request by its redirect URI first (dex's
// grantTypeFromAuthRequest), then issue compares the URI exactly.
func (s *Server) AuthorizeDevice(w http.ResponseWriter, r *http.Request) {
	if r.Form.Get("client_id") == "" {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	grant := s.grantType(r)
	s.issue(w, r, grant)
}

// grantType picks a label with a suffix match: no verdict on the URI.
func (s *Server) grantType(r *http.Request) string {
	uri := r.Form.Get("redirect_uri")
	if uri == deviceCallback || strings.HasSuffix(uri, deviceCallback) {
		return "urn:ietf:params:oauth:grant-type:device_code"
	}
	if r.Form.Get("response_type") == "token" {
		return "implicit"
	}
	return "authorization_code"
}

func (s *Server) issue(w http.ResponseWriter, r *http.Request, grant string) {
	uri := r.Form.Get("redirect_uri")
	c := s.clients[r.Form.Get("client_id")]
	if c == nil || !slices.Contains(c.RedirectURIs, uri) {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, uri+"?code=x&grant="+grant, http.StatusFound)
}

// AuthorizeSuffix accepts the URI with the same suffix match, in a check.
func (s *Server) AuthorizeSuffix(w http.ResponseWriter, r *http.Request) {
	uri := r.Form.Get("redirect_uri")
	if r.Form.Get("client_id") == "" || !allowDevice(uri) {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, uri+"?code=x", http.StatusFound)
}

func allowDevice(uri string) bool {
	return strings.HasSuffix(uri, deviceCallback) // want `redirect_uri is matched with strings.HasSuffix`
}
