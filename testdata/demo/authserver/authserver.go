// Package authserver is a tiny OAuth 2.1 authorization server for running the agent locally:
// public loopback clients, authorization code with PKCE, nothing else.
package authserver

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// metadata is the RFC 8414 authorization server metadata document.
type metadata struct {
	Issuer                        string   `json:"issuer"`
	AuthorizationEndpoint         string   `json:"authorization_endpoint"`
	TokenEndpoint                 string   `json:"token_endpoint"`
	ResponseTypesSupported        []string `json:"response_types_supported"`
	CodeChallengeMethodsSupported []string `json:"code_challenge_methods_supported"`
}

// grant is what an authorization code stands for until it is redeemed.
type grant struct {
	redirectURI, challenge, method string
	expires                        time.Time
}

// Server issues codes and tokens.
type Server struct {
	Issuer string
	// AllowPlain admits clients that cannot hash. Operators must opt in; it is off by default.
	AllowPlain bool

	mu    sync.Mutex
	codes map[string]grant
}

// New returns a server for issuer with plain disabled.
func New(issuer string) *Server { return &Server{Issuer: issuer, codes: make(map[string]grant)} }

func (s *Server) metadata() metadata {
	return metadata{
		Issuer:                        s.Issuer,
		AuthorizationEndpoint:         s.Issuer + "/authorize",
		TokenEndpoint:                 s.Issuer + "/token",
		ResponseTypesSupported:        []string{"code"},
		CodeChallengeMethodsSupported: []string{"S256"}, // ok: S256 only
	}
}

// Metadata advertises S256, and plain only when the operator opted in.
func (s *Server) Metadata(w http.ResponseWriter, r *http.Request) {
	md := s.metadata()
	if s.AllowPlain {
		md.CodeChallengeMethodsSupported = append(md.CodeChallengeMethodsSupported, "plain") // ok: default-off operator setting
	}
	writeJSON(w, http.StatusOK, md)
}

// LegacyMetadata is what v0.1 served: plain advertised to every client.
func (s *Server) LegacyMetadata(w http.ResponseWriter, r *http.Request) {
	md := s.metadata()
	md.CodeChallengeMethodsSupported = []string{"S256", "plain"} // want PKCE002
	writeJSON(w, http.StatusOK, md)
}

// Authorize requires an S256 challenge and issues a code.
func (s *Server) Authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case q.Get("response_type") != "code":
		http.Error(w, "unsupported_response_type", http.StatusBadRequest)
	case challenge == "":
		http.Error(w, "invalid_request: code_challenge is required", http.StatusBadRequest)
	case method == "S256", method == "plain" && s.AllowPlain: // ok: plain only behind the default-off setting
		s.issue(w, r, grant{challenge: challenge, method: method})
	default:
		http.Error(w, `invalid_request: code_challenge_method must be S256 ("plain" is not accepted)`, http.StatusBadRequest) // ok: rejects plain
	}
}

// LegacyAuthorize is v0.1's endpoint: the challenge is optional, and plain is accepted.
func (s *Server) LegacyAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var g grant
	if challenge := q.Get("code_challenge"); challenge != "" { // want PKCE001
		switch method := q.Get("code_challenge_method"); method {
		case "S256", "plain": // want PKCE002
			g.challenge, g.method = challenge, method
		default:
			http.Error(w, "invalid_request: unknown code_challenge_method", http.StatusBadRequest)
			return
		}
	}
	s.issue(w, r, g)
}

// CompatAuthorize requires a challenge but, as RFC 7636 permits, reads a missing method as plain.
func (s *Server) CompatAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	g := grant{challenge: q.Get("code_challenge"), method: q.Get("code_challenge_method")}
	if g.challenge == "" {
		http.Error(w, "invalid_request: code_challenge is required", http.StatusBadRequest)
		return
	}
	if g.method == "" {
		g.method = "plain" // want PKCE002
	}
	s.issue(w, r, g)
}

// PrefixAuthorize is v0.1's client check: a prefix match, which http://127.0.0.1.evil.example/
// passes too. issue, below, checks the loopback host exactly.
func (s *Server) PrefixAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") == "" || !strings.HasPrefix(q.Get("redirect_uri"), "http://127.0.0.1") { // want PKCE009
		http.Error(w, "invalid_request: unknown client or redirect_uri", http.StatusBadRequest)
		return
	}
	s.Authorize(w, r)
}

// issue stores g under a fresh code and redirects to the client's loopback redirect URI.
func (s *Server) issue(w http.ResponseWriter, r *http.Request, g grant) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Scheme != "http" || redirect.Hostname() != "127.0.0.1" {
		http.Error(w, "invalid_request: redirect_uri must be a loopback URL", http.StatusBadRequest)
		return
	}
	code := rand.Text()
	g.redirectURI, g.expires = redirect.String(), time.Now().Add(time.Minute)
	s.mu.Lock()
	s.codes[code] = g
	s.mu.Unlock()
	v := redirect.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	redirect.RawQuery = v.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// Token redeems a code; the verifier is checked in constant time.
func (s *Server) Token(w http.ResponseWriter, r *http.Request) { s.redeem(w, r, s.verify) }

// LegacyToken is v0.1's token endpoint.
func (s *Server) LegacyToken(w http.ResponseWriter, r *http.Request) { s.redeem(w, r, legacyVerify) }

func (s *Server) redeem(w http.ResponseWriter, r *http.Request, check func(grant, string) bool) {
	if r.PostFormValue("grant_type") == "authorization_code" { // ok: grant_type is not a secret
		code := r.PostFormValue("code")
		s.mu.Lock()
		g, ok := s.codes[code]
		delete(s.codes, code)
		s.mu.Unlock()
		if !ok || time.Now().After(g.expires) || r.PostFormValue("redirect_uri") != g.redirectURI ||
			!check(g, r.PostFormValue("code_verifier")) {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"access_token": rand.Text(), "token_type": "Bearer", "expires_in": 3600})
		return
	}
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
}

// ReplayToken is v0.1's redemption: the code stays in the map after it is redeemed, so a leaked
// code can be redeemed again, and its expiry is never read.
func (s *Server) ReplayToken(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("grant_type") != "authorization_code" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	s.mu.Lock()
	g, ok := s.codes[r.PostFormValue("code")] // want PKCE010
	s.mu.Unlock()
	if !ok || !s.verify(g, r.PostFormValue("code_verifier")) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": rand.Text(), "token_type": "Bearer", "expires_in": 3600})
}

// CLIToken is v0.1's redemption for command-line clients: it hashes whatever code_verifier comes,
// so a client that sends a one-character verifier is let through (RFC 7636 §4.1 asks for 43–128
// characters; verify below checks them).
func (s *Server) CLIToken(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("grant_type") != "authorization_code" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	code := r.PostFormValue("code")
	s.mu.Lock()
	g, ok := s.codes[code]
	delete(s.codes, code)
	s.mu.Unlock()
	verifier := r.PostFormValue("code_verifier") // want PKCE003
	if !ok || time.Now().After(g.expires) ||
		subtle.ConstantTimeCompare([]byte(s256(verifier)), []byte(g.challenge)) != 1 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": rand.Text(), "token_type": "Bearer", "expires_in": 3600})
}

// verify checks verifier against the grant's challenge in constant time.
func (s *Server) verify(g grant, verifier string) bool {
	if len(verifier) < 43 || len(verifier) > 128 { // ok: lengths are not secrets
		return false
	}
	expected := s256(verifier)
	if g.method == "plain" && s.AllowPlain { // ok: a method name; plain behind the default-off setting
		expected = verifier
	}
	return subtle.ConstantTimeCompare([]byte(expected), []byte(g.challenge)) == 1 // ok: constant time
}

// legacyVerify is v0.1's check: its early-exit comparisons leak how much of the challenge matched.
func legacyVerify(g grant, verifier string) bool {
	if g.method == "S256" { // ok: method names are not secrets
		return bytes.Equal([]byte(s256(verifier)), []byte(g.challenge)) // want PKCE005
	}
	return verifier == g.challenge // want PKCE005
}

// s256 is RFC 7636's S256 transform.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
