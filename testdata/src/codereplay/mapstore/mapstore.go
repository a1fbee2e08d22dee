// Package mapstore is a hand-built authorization server keeping codes in
// a map: the shapes of issue 19, with their correct twins.
package mapstore

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

type grant struct {
	challenge string
	client    string
	expires   time.Time
}

type Server struct {
	mu    sync.Mutex
	codes map[string]grant
}

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Token never deletes the code and never reads g.expires.
func (s *Server) Token(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("grant_type") != "authorization_code" {
		http.Error(w, "unsupported_grant_type", http.StatusBadRequest)
		return
	}
	g, ok := s.codes[r.FormValue("code")] // want `never deleted or marked used` `has an expiry \(expires\) that the redemption never compares`
	if !ok {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	if subtle.ConstantTimeCompare([]byte(s256(r.FormValue("code_verifier"))), []byte(g.challenge)) != 1 {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"access_token": "t"})
}

// TokenLateDelete deletes the code only after a successful check: a
// failed check leaves it redeemable.
func (s *Server) TokenLateDelete(w http.ResponseWriter, r *http.Request) {
	code := r.FormValue("code")
	s.mu.Lock()
	g, ok := s.codes[code]
	s.mu.Unlock()
	if !ok || time.Now().After(g.expires) {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	verifier := r.FormValue("code_verifier")
	if subtle.ConstantTimeCompare([]byte(s256(verifier)), []byte(g.challenge)) != 1 { // want `a failed code_verifier check returns with the authorization code still stored`
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	delete(s.codes, code)
	s.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]string{"access_token": "t"})
}

// TokenOK deletes the code at once and checks its expiry.
func (s *Server) TokenOK(w http.ResponseWriter, r *http.Request) {
	code := r.FormValue("code")
	s.mu.Lock()
	g, ok := s.codes[code]
	delete(s.codes, code)
	s.mu.Unlock()
	if !ok || time.Now().After(g.expires) {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	if subtle.ConstantTimeCompare([]byte(s256(r.FormValue("code_verifier"))), []byte(g.challenge)) != 1 {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"access_token": "t"})
}

// A helper takes the code: followed one level.
func (s *Server) take(code string) (grant, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.codes[code]
	delete(s.codes, code)
	return g, ok && time.Now().Before(g.expires)
}

func (s *Server) TokenViaHelper(w http.ResponseWriter, r *http.Request) {
	g, ok := s.take(r.FormValue("code"))
	if !ok || subtle.ConstantTimeCompare([]byte(s256(r.FormValue("code_verifier"))), []byte(g.challenge)) != 1 {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"access_token": "t"})
}

// Grants with no expiry at all.
type bareGrant struct{ challenge string }

type Bare struct{ codes sync.Map }

func (b *Bare) Token(w http.ResponseWriter, r *http.Request) {
	v, ok := b.codes.LoadAndDelete(r.FormValue("code"))
	if !ok {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	_ = v.(bareGrant)
	json.NewEncoder(w).Encode(map[string]string{"access_token": "t"})
}

type BareMap struct{ codes map[string]bareGrant }

func (b *BareMap) Token(w http.ResponseWriter, r *http.Request) {
	code := r.FormValue("code")
	g, ok := b.codes[code] // want `stored authorization codes have no expiry`
	delete(b.codes, code)
	if !ok || g.challenge != s256(r.FormValue("code_verifier")) {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"access_token": "t"})
}

// A client's callback reads a code too, but answers no token request.
func Callback(w http.ResponseWriter, r *http.Request) {
	cache := map[string]string{}
	_ = cache[r.FormValue("code")]
	http.Redirect(w, r, "/", http.StatusFound)
}

// A grant whose expiry is set only when it is reused for the access
// token (tailscale's tsidp): the code's own expiry is never set nor
// compared, so the store of the new one is not a check.
type arGrant struct {
	challenge string
	validTill time.Time
}

type Reuse struct {
	mu     sync.Mutex
	codes  map[string]*arGrant
	tokens map[string]*arGrant
}

func (s *Reuse) Token(w http.ResponseWriter, r *http.Request) {
	code := r.FormValue("code")
	s.mu.Lock()
	ar, ok := s.codes[code] // want `has an expiry \(validTill\) that the redemption never compares`
	delete(s.codes, code)
	s.mu.Unlock()
	if !ok || subtle.ConstantTimeCompare([]byte(s256(r.FormValue("code_verifier"))), []byte(ar.challenge)) != 1 {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	ar.validTill = time.Now().Add(5 * time.Minute)
	s.tokens["t"] = ar
	s.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]string{"access_token": "t"})
}

// TokenOK compares the code's expiry, then sets the token's.
func (s *Reuse) TokenOK(w http.ResponseWriter, r *http.Request) {
	code := r.FormValue("code")
	s.mu.Lock()
	ar, ok := s.codes[code]
	delete(s.codes, code)
	s.mu.Unlock()
	if !ok || ar.validTill.Before(time.Now()) {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	if subtle.ConstantTimeCompare([]byte(s256(r.FormValue("code_verifier"))), []byte(ar.challenge)) != 1 {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	ar.validTill = time.Now().Add(5 * time.Minute)
	json.NewEncoder(w).Encode(map[string]string{"access_token": "t"})
}
