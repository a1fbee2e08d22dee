package agent

import (
	"context"

	"golang.org/x/oauth2"

	"example.com/authsdk"
)

// The SDK's wrappers are judged at the calls that choose their arguments.

func sdkLoginNoChallenge(c *authsdk.Client) string {
	return c.LoginURL(newState(), authsdk.Prompt("consent")) // want PKCE001
}

func sdkLoginConstantState(c *authsdk.Client, verifier string) string {
	return c.LoginURL("login", oauth2.S256ChallengeOption(verifier)) // want PKCE004
}

func sdkRedeem(ctx context.Context, c *authsdk.Client, code, verifier string) (*oauth2.Token, error) {
	return c.Redeem(ctx, code, oauth2.VerifierOption(verifier)) // ok: the verifier goes with the code
}

func sdkLogin(c *authsdk.Client, verifier string) string {
	return c.LoginURL(newState(), oauth2.S256ChallengeOption(verifier), authsdk.Prompt("consent")) // ok: challenge and a fresh state
}
