// Package wrappers passes verifiers through wrappers and option
// constructors: the verifier is judged at the call that chooses it.
package wrappers

import (
	"context"
	"fmt"
	mrand "math/rand"

	"example.com/authwrap"
	"golang.org/x/oauth2"
)

func weakThroughConstructor(a *authwrap.Auth, state string) string {
	return a.AuthURL(state, authwrap.PKCE("fixed-verifier-value")) // want `code verifier used in PKCE \(which uses it in oauth2.S256ChallengeOption\) is the constant "fixed-verifier-value"`
}

func weakThroughWrapper(ctx context.Context, a *authwrap.Auth, code string) (*oauth2.Token, error) {
	return a.RedeemWithVerifier(ctx, code, fmt.Sprint(mrand.Int63())) // want `code verifier used in RedeemWithVerifier \(which uses it in oauth2.VerifierOption\) comes from math/rand.Int63`
}

// exchange is this package's wrapper: it is not reported, its callers are.
func exchange(ctx context.Context, a *authwrap.Auth, code, verifier string) (*oauth2.Token, error) {
	return a.RedeemWithVerifier(ctx, code, verifier)
}

func weakThroughChain(ctx context.Context, a *authwrap.Auth, code string) (*oauth2.Token, error) {
	return exchange(ctx, a, code, "v") // want `code verifier used in exchange .* is the constant "v"`
}

func strong(ctx context.Context, a *authwrap.Auth, state, code string) (*oauth2.Token, error) {
	v := oauth2.GenerateVerifier()
	_ = a.AuthURL(state, authwrap.PKCE(v))
	return exchange(ctx, a, code, v)
}
