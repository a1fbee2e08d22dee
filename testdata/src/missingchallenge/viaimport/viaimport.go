// Package viaimport has no mark of OAuth code of its own: no x/oauth2
// import, no verifier or challenge name, no OAuth parameter. It is judged
// because it imports a relevant package (example.com/authwrap) whose call
// summaries make its calls authorization requests and code redemptions.
package viaimport

import (
	"context"

	"example.com/authwrap"
)

func login(a *authwrap.Auth, s string) string {
	return a.AuthURL(s) // want `AuthURL \(which calls AuthCodeURL\) builds an authorization request without code_challenge`
}

func redeem(ctx context.Context, a *authwrap.Auth, c string) error {
	_, err := a.Redeem(ctx, c) // one flow with login: a related location there
	return err
}
