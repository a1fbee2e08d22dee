// Package confidential is a server-side integration with an identity
// provider that offers no PKCE: it redeems codes with its client secret,
// and the authorization URL is built elsewhere (a frontend). Nothing here
// is a choice this package made, so nothing is reported by default; with -missingchallenge.confidential it is.
package confidential

import (
	"net/http"
	"net/url"
)

func redeem(code, secret string) (*http.Response, error) {
	form := url.Values{}
	form.Set("grant_type", "authorization_code") // want `token request with grant_type=authorization_code has no code_verifier`
	form.Set("code", code)
	form.Set("client_id", "id")
	form.Set("client_secret", secret)
	return http.PostForm("https://idp.example/oauth/token", form)
}
