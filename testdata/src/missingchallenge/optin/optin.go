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
func NewRelyingParty(cfg *oauth2.Config, opts ...Option) RelyingParty { // want NewRelyingParty:`optInConstructor\(missingchallenge/optin.WithPKCE\)`
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
func AuthURL(rp RelyingParty, state, verifier string) string { // want AuthURL:`pkceGate\(0\)`
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

// PKCEParams are the caller's PKCE parameters.
type PKCEParams struct{ Challenge, Verifier string }

type source struct {
	cfg  *oauth2.Config
	pkce *PKCEParams
}

// TokenSourceWithPKCE runs the code flow with the caller's PKCE parameters.
func TokenSourceWithPKCE(cfg *oauth2.Config, pkce *PKCEParams) *source {
	return &source{cfg: cfg, pkce: pkce}
}

// TokenSource runs the same flow with none.
func TokenSource(cfg *oauth2.Config) *source {
	return TokenSourceWithPKCE(cfg, nil) // want `TokenSource passes nil to TokenSourceWithPKCE as pkce, so the code flow it builds sends no code_challenge`
}

// tokenSourceFor is not exported: its callers choose.
func tokenSourceFor(cfg *oauth2.Config) *source { return TokenSourceWithPKCE(cfg, nil) }

// TokenSourceS256 passes real parameters.
func TokenSourceS256(cfg *oauth2.Config, verifier string) *source {
	return TokenSourceWithPKCE(cfg, &PKCEParams{Challenge: oauth2.S256ChallengeFromVerifier(verifier), Verifier: verifier})
}

func (s *source) authURL(state string) string {
	var opts []oauth2.AuthCodeOption
	if s.pkce != nil && s.pkce.Challenge != "" {
		opts = []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("code_challenge", s.pkce.Challenge), oauth2.SetAuthURLParam("code_challenge_method", "S256")}
	}
	return s.cfg.AuthCodeURL(state, opts...)
}

// hook is a nil-tested field that has nothing to do with PKCE.
type hooked struct {
	cfg  *oauth2.Config
	hook func(string)
}

// NewHooked leaves the hook nil.
func NewHooked(cfg *oauth2.Config) *hooked { return &hooked{cfg: cfg, hook: nil} }

func (h *hooked) authURL(state, verifier string) string {
	if h.hook != nil {
		h.hook(state)
	}
	return h.cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
}
