// Package optin is a relying-party library whose constructors leave PKCE
// off: the challenge is added only when the caller opts in.
package optin

import (
	"golang.org/x/oauth2"
)

type pkceState int

const (
	pkceDisabled pkceState = iota
	pkceEnabled
)

// RelyingParty is the library's client.
type RelyingParty interface {
	IsPKCE() bool
	Config() *oauth2.Config
}

type relyingParty struct {
	cfg  *oauth2.Config
	pkce pkceState
}

func (rp *relyingParty) IsPKCE() bool           { return rp.pkce == pkceEnabled }
func (rp *relyingParty) Config() *oauth2.Config { return rp.cfg }

// Option configures a RelyingParty.
type Option func(*relyingParty)

// WithPKCE turns PKCE on.
func WithPKCE() Option { return func(rp *relyingParty) { rp.pkce = pkceEnabled } }

// NewRelyingParty builds a client with PKCE off unless WithPKCE is given.
func NewRelyingParty(cfg *oauth2.Config, opts ...Option) RelyingParty {
	rp := &relyingParty{
		cfg:  cfg,
		pkce: pkceDisabled, // want `NewRelyingParty sets pkce to pkceDisabled by default`
	}
	for _, o := range opts {
		o(rp)
	}
	return rp
}

// AuthURL adds the challenge only for opted-in clients.
func AuthURL(rp RelyingParty, state, verifier string) string {
	var opts []oauth2.AuthCodeOption
	if rp.IsPKCE() {
		opts = append(opts, oauth2.S256ChallengeOption(verifier))
	}
	return rp.Config().AuthCodeURL(state, opts...)
}

// secure is a client whose constructor turns PKCE on.
type secure struct{ usePKCE bool }

// NewSecure builds a client with PKCE on.
func NewSecure() *secure { return &secure{usePKCE: true} }

func (s *secure) url(cfg *oauth2.Config, state, verifier string) string {
	var opts []oauth2.AuthCodeOption
	if s.usePKCE {
		opts = append(opts, oauth2.S256ChallengeOption(verifier))
	}
	return cfg.AuthCodeURL(state, opts...)
}

// caller embeds the interface: it promotes IsPKCE, it does not implement
// it, and must not hide relyingParty's implementation.
type caller struct{ RelyingParty }

func (c caller) name() string { return "caller" }
