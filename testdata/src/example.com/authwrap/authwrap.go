// Package authwrap stands for an SDK's auth package in another module: it
// wraps x/oauth2 and leaves PKCE to its callers. It is loaded as a
// dependency of the test packages, never as a root: nothing here is
// reported, and what its functions do reaches the callers as facts.
package authwrap

import (
	"context"

	"golang.org/x/oauth2"
)

// Auth wraps an OAuth client configuration.
type Auth struct{ cfg *oauth2.Config }

// New returns an Auth.
func New(cfg *oauth2.Config) *Auth { return &Auth{cfg: cfg} }

// AuthURL forwards state and options to AuthCodeURL: the choice of PKCE is
// its caller's.
func (a *Auth) AuthURL(state string, opts ...oauth2.AuthCodeOption) string {
	return a.cfg.AuthCodeURL(state, opts...)
}

// AuthURLPKCE adds the challenge itself.
func (a *Auth) AuthURLPKCE(state, verifier string, opts ...oauth2.AuthCodeOption) string {
	return a.cfg.AuthCodeURL(state, append(opts, oauth2.S256ChallengeOption(verifier))...)
}

// Redeem forwards to Exchange.
func (a *Auth) Redeem(ctx context.Context, code string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, error) {
	return a.cfg.Exchange(ctx, code, opts...)
}

// RedeemWithVerifier sends the verifier its caller gives.
func (a *Auth) RedeemWithVerifier(ctx context.Context, code, verifier string) (*oauth2.Token, error) {
	return a.cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
}

// Nonce is an option constructor in the style of go-oidc's oidc.Nonce.
func Nonce(n string) oauth2.AuthCodeOption { return oauth2.SetAuthURLParam("nonce", n) }

// PKCE returns the challenge option for a verifier.
func PKCE(verifier string) oauth2.AuthCodeOption { return oauth2.S256ChallengeOption(verifier) }

// Offline returns options that set access_type and prompt only.
func Offline() []oauth2.AuthCodeOption {
	return []oauth2.AuthCodeOption{oauth2.AccessTypeOffline, oauth2.SetAuthURLParam("prompt", "consent")}
}

// URL is a generic wrapper of a wrapper.
func URL[T any](a *Auth, state string, opts ...oauth2.AuthCodeOption) string {
	return a.AuthURL(state, opts...)
}
