// Package wrappers calls x/oauth2 through wrappers and option constructors
// of its own and of another package (example.com/authwrap).
package wrappers

import (
	"context"

	"example.com/authwrap"
	"golang.org/x/oauth2"
)

func noChallenge(a *authwrap.Auth, state string) string {
	return a.AuthURL(state) // want `AuthURL \(which calls AuthCodeURL\) builds an authorization request without code_challenge`
}

func onlyOtherOptions(a *authwrap.Auth, state, nonce string) string {
	return a.AuthURL(state, authwrap.Nonce(nonce), oauth2.AccessTypeOffline) // want `AuthURL \(which calls AuthCodeURL\) builds an authorization request without code_challenge`
}

func optionSlice(a *authwrap.Auth, state string) string {
	opts := authwrap.Offline()
	return a.AuthURL(state, opts...) // want `AuthURL \(which calls AuthCodeURL\) builds`
}

func genericChain(a *authwrap.Auth, state string) string {
	return authwrap.URL[int](a, state) // want `URL \(which calls AuthCodeURL\) builds an authorization request without code_challenge`
}

func redeemWithout(ctx context.Context, a *authwrap.Auth, code string) (*oauth2.Token, error) {
	return a.Redeem(ctx, code) // want `Redeem \(which calls Exchange\) redeems the authorization code without code_verifier`
}

// client has a wrapper of its own around the other package's wrapper: a
// chain of two.
type client struct{ a *authwrap.Auth }

func (c *client) login(state string, opts ...oauth2.AuthCodeOption) string {
	return c.a.AuthURL(state, opts...)
}

func chained(c *client, state string) string {
	return c.login(state, authwrap.Nonce("n")) // want `login \(which calls AuthCodeURL\) builds an authorization request without code_challenge`
}

// provider keeps its options in an unexported field: every store into it
// is in this package, and none sets a challenge.
type provider struct {
	cfg  *oauth2.Config
	opts []oauth2.AuthCodeOption
}

func newProvider(cfg *oauth2.Config, offline bool) *provider {
	p := &provider{cfg: cfg, opts: []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("hd", "example.com")}}
	if offline {
		p.opts = append(p.opts, oauth2.AccessTypeOffline)
	}
	return p
}

func (p *provider) url(state string) string {
	return p.cfg.AuthCodeURL(state, p.opts...) // want `AuthCodeURL builds an authorization request without code_challenge`
}

// Correct code and look-alikes.

func withChallenge(a *authwrap.Auth, state, verifier string) string {
	return a.AuthURL(state, oauth2.S256ChallengeOption(verifier))
}

func wrapperAddsChallenge(a *authwrap.Auth, state, verifier string) string {
	return a.AuthURLPKCE(state, verifier, authwrap.Nonce("n"))
}

func challengeFromConstructor(a *authwrap.Auth, state, verifier string) string {
	return a.AuthURL(state, authwrap.PKCE(verifier))
}

func chainedWithChallenge(c *client, state, verifier string) string {
	return c.login(state, authwrap.PKCE(verifier))
}

func genericWithChallenge(a *authwrap.Auth, state, verifier string) string {
	return authwrap.URL[string](a, state, oauth2.S256ChallengeOption(verifier))
}

func redeemWithVerifier(ctx context.Context, a *authwrap.Auth, code, verifier string) (*oauth2.Token, error) {
	if _, err := a.Redeem(ctx, code, oauth2.VerifierOption(verifier)); err != nil {
		return nil, err
	}
	return a.RedeemWithVerifier(ctx, code, verifier)
}

// forward passes its own caller's options on: it is a wrapper, and its
// callers are judged.
func forward(a *authwrap.Auth, state string, opts ...oauth2.AuthCodeOption) string {
	return a.AuthURL(state, opts...)
}

func forwardWithChallenge(a *authwrap.Auth, state, verifier string) string {
	return forward(a, state, oauth2.S256ChallengeOption(verifier))
}

// pkceProvider's options field holds a challenge option in every store.
type pkceProvider struct {
	cfg  *oauth2.Config
	opts []oauth2.AuthCodeOption
}

func newPKCEProvider(cfg *oauth2.Config, verifier string) *pkceProvider {
	return &pkceProvider{cfg: cfg, opts: []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}}
}

func (p *pkceProvider) url(state string) string {
	return p.cfg.AuthCodeURL(state, p.opts...)
}

// Exported options fields can be set by any importer: nothing is known.
type Open struct {
	Cfg  *oauth2.Config
	Opts []oauth2.AuthCodeOption
}

func (o *Open) URL(state string) string {
	return o.Cfg.AuthCodeURL(state, o.Opts...)
}
