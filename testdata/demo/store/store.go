// Package store keeps pending authorization flows until their redirect callback arrives.
package store

import (
	"errors"
	"regexp"
	"sync"
)

// ErrBadVerifier is returned by Put for a verifier RFC 7636 does not allow.
var ErrBadVerifier = errors.New("store: malformed code verifier") // ok: an error value, not storage

// verifierLen is RFC 7636's minimum verifier length.
const verifierLen = 43 // ok: a constant

// verifierPattern is RFC 7636's verifier character set.
var verifierPattern = regexp.MustCompile(`^[A-Za-z0-9._~-]+$`) // ok: a regexp, not a verifier

// ValidVerifier reports whether v is a well-formed code verifier.
func ValidVerifier(v string) bool { // ok: a function whose name contains "verifier"
	return len(v) >= verifierLen && len(v) <= 128 && verifierPattern.MatchString(v)
}

// verifiers is v0.1's flow store, keyed by state: one map shared by every flow of every user.
var (
	verifiersMu sync.Mutex            // ok: a mutex, it holds no verifier
	verifiers   = map[string]string{} // want PKCE006
)

// Remember records the verifier of the flow identified by state (v0.1 API).
func Remember(state, verifier string) {
	verifiersMu.Lock()
	defer verifiersMu.Unlock()
	verifiers[state] = verifier
}

// Recall returns and forgets the verifier recorded for state (v0.1 API).
func Recall(state string) (string, bool) {
	verifiersMu.Lock()
	defer verifiersMu.Unlock()
	v, ok := verifiers[state]
	delete(verifiers, state)
	return v, ok
}

// inflight is v0.2's "concurrency-safe" replacement: still one store per process.
var inflight sync.Map // want PKCE006

// RememberAsync records verifier for state in inflight (v0.2 API).
func RememberAsync(state, verifier string) { inflight.Store(state, verifier) }

// Pending is one flow waiting for its callback.
type Pending struct {
	State, Verifier string
}

// Sessions holds the pending flows of one agent, keyed by browser session ID; each is taken once.
type Sessions struct { // ok: per-instance storage, not package-level
	mu sync.Mutex
	m  map[string]Pending
}

// NewSessions returns an empty store, owned by its caller.
func NewSessions() *Sessions { return &Sessions{m: make(map[string]Pending)} }

// Put records p under the session ID id.
func (s *Sessions) Put(id string, p Pending) error {
	if !ValidVerifier(p.Verifier) {
		return ErrBadVerifier
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[id] = p
	return nil
}

// Take returns and forgets the flow recorded under id.
func (s *Sessions) Take(id string) (Pending, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.m[id]
	delete(s.m, id)
	return p, ok
}
