package fix

import (
	"context"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}

func leaks(state, verifier string) string {
	return cfg.AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.VerifierOption(verifier)) // want `oauth2.VerifierOption passed to AuthCodeURL sends the code verifier`
}

// With a challenge already sent, the verifier option only leaks: removed.
func leaksToo(state, verifier string) string {
	return cfg.AuthCodeURL(state,
		oauth2.S256ChallengeOption(verifier),
		oauth2.VerifierOption(verifier), // want `oauth2.VerifierOption passed to AuthCodeURL sends the code verifier`
	)
}

// No fix: the same option value also goes to Exchange, where it belongs.
func shared(ctx context.Context, state, code, verifier string) string {
	opt := oauth2.VerifierOption(verifier) // want `oauth2.VerifierOption passed to AuthCodeURL sends the code verifier`
	u := cfg.AuthCodeURL(state, opt)
	cfg.Exchange(ctx, code, opt)
	return u
}
