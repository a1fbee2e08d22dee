// Package publicredeem is a public client's redemption: no secret, no
// verifier, and the authorization request built elsewhere.
package publicredeem

import (
	"net/http"
	"net/url"
)

type Client struct{ ID, Region string }

func (c *Client) redeem(code, redirect string) (*http.Response, error) {
	params := url.Values{}
	params.Add("grant_type", "authorization_code") // want `has no code_verifier`
	params.Add("client_id", c.ID)
	params.Add("redirect_uri", redirect)
	params.Add("region", c.Region)
	params.Add("code", code)
	return http.PostForm("https://idp.example/token", params)
}
