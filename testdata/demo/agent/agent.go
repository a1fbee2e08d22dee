// Package agent is the public OAuth client of an MCP-style agent: it starts authorization-code
// flows against an MCP server's authorization server and redeems the code on a loopback callback.
// A public client has no secret, so PKCE with S256 is what protects the code.
package agent

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"example.com/pkcedemo/store"
)

// Flow is one authorization in progress: what the callback needs, and the URL to open.
type Flow struct {
	State, Verifier, URL string
}

// Agent signs the user in to one authorization server.
type Agent struct {
	cfg     *oauth2.Config
	pending *store.Sessions
	http    *http.Client

	// OnToken receives each token the callback obtains.
	OnToken func(*oauth2.Token)
}

// New returns an agent for cfg with its own pending-flow store.
func New(cfg *oauth2.Config) *Agent {
	return &Agent{
		cfg:     cfg,
		pending: store.NewSessions(),
		http:    &http.Client{Timeout: 30 * time.Second},
		OnToken: func(*oauth2.Token) {},
	}
}

// newState returns 32 bytes from crypto/rand, base64url-encoded.
func newState() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b)
}

// Start begins a flow the way it should be done: crypto/rand state, oauth2.GenerateVerifier,
// and the S256 challenge on the authorization request.
func (a *Agent) Start() *Flow {
	s, v := newState(), oauth2.GenerateVerifier()
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // ok: S256, strong verifier and state
}
