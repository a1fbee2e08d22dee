// Package confidentialflag redeems codes as a public client (no
// client_secret): the missing verifier is reported whatever builds the
// authorization request.
package confidentialflag

import (
	"net/http"
	"net/url"
)

func redeemPublic(code string) (*http.Response, error) {
	form := url.Values{}
	form.Set("grant_type", "authorization_code") // want `token request with grant_type=authorization_code has no code_verifier`
	form.Set("code", code)
	form.Set("client_id", "id")
	return http.PostForm("https://idp.example/oauth/token", form)
}

// redeemConfidential sends a client secret, but this package also builds
// the authorization request: the choice of PKCE is visible here.
func redeemConfidential(code, secret string) (*http.Response, error) {
	form := url.Values{}
	form.Set("grant_type", "authorization_code") // want `token request with grant_type=authorization_code has no code_verifier`
	form.Set("code", code)
	form.Set("client_secret", secret)
	return http.PostForm("https://idp.example/oauth/token", form)
}

func authorize(state, challenge string) string {
	q := url.Values{}
	q.Set("response_type", "code")
	q.Set("client_id", "id")
	q.Set("state", state)
	q.Set("code_challenge", challenge)
	q.Set("code_challenge_method", "S256")
	return "https://idp.example/authorize?" + q.Encode()
}
