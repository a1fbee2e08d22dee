// Package oneflow has provider logins in one package: a flow without PKCE
// is one finding, at its authorization request, whatever its redemption
// does (issue 20, item 8). A redemption is reported on its own when its
// flow's request does send a challenge: the verifier is what is missing.
package oneflow

import (
	"context"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"
)

type GitHub struct{ config *oauth2.Config }

func (p *GitHub) BeginAuth(state string) string {
	return p.config.AuthCodeURL(state) // want `AuthCodeURL builds an authorization request without code_challenge; pass oauth2.S256ChallengeOption\(verifier\) with a verifier from oauth2.GenerateVerifier\(\).* \(a client secret does not replace PKCE`
}

func (p *GitHub) FetchToken(ctx context.Context, code string) (*oauth2.Token, error) {
	return p.config.Exchange(ctx, code)
}

type Google struct{ conf *oauth2.Config }

func (p *Google) BeginAuth(state string) string {
	return p.conf.AuthCodeURL(state, oauth2.AccessTypeOffline) // want `AuthCodeURL builds an authorization request without code_challenge.*redeemed without code_verifier at oneflow.go:32`
}

func (p *Google) FetchToken(ctx context.Context, code string) (*oauth2.Token, error) {
	return p.conf.Exchange(ctx, code)
}

// The challenge goes out, the verifier does not come back: a finding of
// its own.
type Halfway struct{ oc *oauth2.Config }

func (p *Halfway) BeginAuth(state, verifier string) string {
	return p.oc.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
}

func (p *Halfway) FetchToken(ctx context.Context, code string) (*oauth2.Token, error) {
	return p.oc.Exchange(ctx, code) // want `Exchange redeems the authorization code without code_verifier`
}

func New(id, secret string) *GitHub {
	return &GitHub{config: &oauth2.Config{ClientID: id, ClientSecret: secret}}
}

// A Config held by value: the calls are made on the field's address.
type Value struct{ conf oauth2.Config }

func (p *Value) BeginAuth(state string) string {
	return p.conf.AuthCodeURL(state) // want `AuthCodeURL builds an authorization request without code_challenge.*redeemed without code_verifier at oneflow.go:59`
}

func (p *Value) FetchToken(ctx context.Context, code string) (*oauth2.Token, error) {
	return p.conf.Exchange(ctx, code)
}

// Hand-built requests in two methods of one type (go-pkgz/auth's Apple
// provider): one flow.
type Form struct{ id, secret string }

func (f *Form) loginURL(state string) string {
	q := url.Values{}
	q.Set("response_type", "code") // want `authorization request with response_type=code has no code_challenge.*redeemed without code_verifier at oneflow.go:76`
	q.Set("client_id", f.id)
	q.Set("state", state)
	return "https://appleid.apple.com/auth/authorize?" + q.Encode()
}

func (f *Form) exchange(code string) (*http.Response, error) {
	form := url.Values{}
	form.Set("grant_type", "authorization_code")
	form.Set("code", code)
	form.Set("client_id", f.id)
	form.Set("client_secret", f.secret)
	return http.PostForm("https://appleid.apple.com/auth/token", form)
}
