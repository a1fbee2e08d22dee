// Package server holds token endpoints that check, or do not check, the
// length of the code_verifier they hash (issue 19, PKCE003 on servers).
package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
)

type grant struct{ challenge string }

type Server struct{ codes map[string]grant }

func (s *Server) take(code string) (grant, bool) {
	g, ok := s.codes[code]
	delete(s.codes, code)
	return g, ok
}

func ok(w http.ResponseWriter) { json.NewEncoder(w).Encode(map[string]string{"access_token": "t"}) }

// The shape: any length accepted.
func (s *Server) Token(w http.ResponseWriter, r *http.Request) {
	g, found := s.take(r.FormValue("code"))
	v := r.FormValue("code_verifier") // want `hashes and compares the request's code_verifier without checking its length`
	sum := sha256.Sum256([]byte(v))
	if !found || subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(g.challenge)) != 1 {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	ok(w)
}

// Checked in place.
func (s *Server) TokenLen(w http.ResponseWriter, r *http.Request) {
	g, found := s.take(r.FormValue("code"))
	v := r.FormValue("code_verifier")
	if len(v) < 43 || len(v) > 128 {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	sum := sha256.Sum256([]byte(v))
	if !found || subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(g.challenge)) != 1 {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	ok(w)
}

// Checked by a pattern in a helper, hashed in another.
var verifierPattern = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

func valid(v string) bool { return verifierPattern.MatchString(v) }

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func (s *Server) TokenHelpers(w http.ResponseWriter, r *http.Request) {
	g, found := s.take(r.FormValue("code"))
	v := r.FormValue("code_verifier")
	if !found || !valid(v) || s256(v) != g.challenge {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	ok(w)
}

// Hashed in a helper, never checked.
func (s *Server) TokenHelperUnchecked(w http.ResponseWriter, r *http.Request) {
	g, found := s.take(r.FormValue("code"))
	if !found || s256(r.FormValue("code_verifier")) != g.challenge { // want `without checking its length`
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	ok(w)
}

// A verifier taken as a parameter, with no endpoint in sight: the caller's.
func Verify(challenge, verifier string) bool {
	return subtle.ConstantTimeCompare([]byte(s256(verifier)), []byte(challenge)) == 1
}

// The challenge's length at the authorization endpoint is not this rule's.
func (s *Server) Authorize(w http.ResponseWriter, r *http.Request) {
	c := r.FormValue("code_challenge")
	s.codes["c"] = grant{challenge: c}
	http.Redirect(w, r, r.FormValue("redirect_uri")+"?code=c&client_id="+r.FormValue("client_id"), http.StatusFound)
}
