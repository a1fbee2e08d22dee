// Package confidential is a server-side integration with an identity
// provider that offers no PKCE: it redeems codes with its client secret,
// and the authorization URL is built elsewhere (a frontend). Nothing here
// is a choice this package made, so nothing is reported by default.
package confidential

import (
	"context"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"
)

func redeem(code, secret string) (*http.Response, error) {
	form := url.Values{}
	form.Set("grant_type", "authorization_code")
	form.Set("code", code)
	form.Set("client_id", "id")
	form.Set("client_secret", secret)
	return http.PostForm("https://idp.example/oauth/token", form)
}

// workloadIdentity borrows Exchange for a JWT exchange: no code, no PKCE.
func workloadIdentity(ctx context.Context, assertion string) (*oauth2.Token, error) {
	return (&oauth2.Config{ClientID: "id"}).Exchange(ctx, "",
		oauth2.SetAuthURLParam("assertion", assertion))
}

// confidentialConfig is a server-side client with a secret; this package
// never builds its authorization request.
var confidentialConfig = &oauth2.Config{ClientID: "id", ClientSecret: "from-env"}

func redeemConfidential(ctx context.Context, code string) (*oauth2.Token, error) {
	return confidentialConfig.Exchange(ctx, code)
}
