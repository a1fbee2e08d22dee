// Package implied builds authorization and token requests with no
// response_type or grant_type, as GitHub-style providers accept them.
package implied

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"example.com/tokenutil"
)

func browserURL(clientID, redirect, state string, scopes []string) string {
	q := url.Values{}
	q.Set("client_id", clientID) // want `authorization request \(client_id and redirect_uri, no response_type\) has no code_challenge`
	q.Set("redirect_uri", redirect)
	q.Set("scope", strings.Join(scopes, " "))
	q.Set("state", state)
	return fmt.Sprintf("https://github.example/login/oauth/authorize?%s", q.Encode())
}

func redeem(clientID, secret, code string) (*http.Response, error) {
	return tokenutil.Post("https://github.example/login/oauth/access_token", url.Values{
		"client_id":     {clientID}, // want `token request \(a code and no grant_type\) has no code_verifier`
		"client_secret": {secret},
		"code":          {code},
	})
}

// Correct code and look-alikes.

func browserURLWithPKCE(clientID, redirect, state, challenge string) string {
	q := url.Values{}
	q.Set("client_id", clientID)
	q.Set("redirect_uri", redirect)
	q.Set("state", state)
	q.Set("code_challenge", challenge)
	q.Set("code_challenge_method", "S256")
	return "https://github.example/login/oauth/authorize?" + q.Encode()
}

func redeemWithVerifier(clientID, code, verifier, redirect string) (*http.Response, error) {
	return tokenutil.Post("https://github.example/login/oauth/access_token", url.Values{
		"client_id":     {clientID},
		"code":          {code},
		"redirect_uri":  {redirect},
		"code_verifier": {verifier},
	})
}

// deviceCode asks for a device code: client_id and scope, no redirect.
func deviceCode(clientID string) (*http.Response, error) {
	return http.PostForm("https://github.example/login/device/code", url.Values{
		"client_id": {clientID},
		"scope":     {"repo"},
	})
}

// signed is handed to code that adds parameters: nothing is known.
func signed(clientID, secret, code string) (*http.Response, error) {
	form := url.Values{"client_id": {clientID}, "client_secret": {secret}, "code": {code}}
	tokenutil.Sign(form, secret)
	return tokenutil.Post("https://github.example/login/oauth/access_token", form)
}

// logoutURL carries client_id and a post-logout redirect, not an
// authorization request.
func logoutURL(clientID, back string) string {
	q := url.Values{"client_id": {clientID}, "post_logout_redirect_uri": {back}}
	return "https://idp.example/logout?" + q.Encode()
}

// A server's test serves its request to the handler in-process
// (tailscale's tsidp, whose authorize endpoint takes no response_type): a
// test input, not a client's authorization request.
func authorizeTest(h http.HandlerFunc, clientID, redirect, state string, node bool) *httptest.ResponseRecorder {
	reqURL := "/authorize"
	if node {
		reqURL = "/authorize/123"
	}
	query := url.Values{}
	query.Set("client_id", clientID)
	query.Set("redirect_uri", redirect)
	query.Set("state", state)
	reqURL += "?" + query.Encode()
	req := httptest.NewRequest("GET", reqURL, nil)
	rr := httptest.NewRecorder()
	h(rr, req)
	return rr
}

// The same query sent to a provider is still a client's request.
func authorizeOverNetwork(c *http.Client, clientID, redirect, state string) (*http.Response, error) {
	query := url.Values{}
	query.Set("client_id", clientID) // want `authorization request \(client_id and redirect_uri, no response_type\) has no code_challenge`
	query.Set("redirect_uri", redirect)
	query.Set("state", state)
	return c.Get("https://github.example/login/oauth/authorize?" + query.Encode())
}
