// Package device posts RFC 8628 device authorization requests: client_id,
// scope, a PKCE challenge and sometimes a redirect_uri, but no state and no
// response_type. They are not authorization requests (issue 20, item 5).
package device

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

type Flow struct {
	Endpoint    oauth2.Endpoint
	ClientID    string
	RedirectURL string
}

// Recognised by x/oauth2's DeviceAuthURL field.
func (f *Flow) Start(challenge string) (*http.Response, error) {
	v := url.Values{
		"client_id":             {f.ClientID},
		"scope":                 {"openid"},
		"code_challenge":        {challenge},
		"code_challenge_method": {"S256"},
		"redirect_uri":          {f.RedirectURL},
	}
	return http.PostForm(f.Endpoint.DeviceAuthURL, v)
}

type deviceResponse struct {
	DeviceCode      string `json:"device_code"`
	UserCode        string `json:"user_code"`
	VerificationURI string `json:"verification_uri"`
}

// Recognised by its response fields.
func start(endpoint, clientID, redirect, challenge string) (string, error) {
	v := url.Values{}
	v.Set("client_id", clientID)
	v.Set("scope", "openid")
	v.Set("redirect_uri", redirect)
	v.Set("code_challenge", challenge)
	v.Set("code_challenge_method", "S256")
	resp, err := http.Post(endpoint, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var dr deviceResponse
	if err := json.NewDecoder(resp.Body).Decode(&dr); err != nil {
		return "", err
	}
	return dr.UserCode, nil
}

// The same parameters for the browser, in a function that speaks of no
// device: an authorization request without state.
func login(authURL, clientID, redirect, challenge string) string {
	v := url.Values{
		"client_id":             {clientID}, // want `no state`
		"scope":                 {"openid"},
		"code_challenge":        {challenge},
		"code_challenge_method": {"S256"},
		"redirect_uri":          {redirect},
	}
	return authURL + "?" + v.Encode()
}

type Getter struct{ codeURL string }

type deviceResp struct {
	DeviceCode string `json:"device_code"`
	Interval   int    `json:"interval"`
}

// sigstore's oauthflow shape: the redirect_uri is added when given.
func (d *Getter) deviceFlow(clientID, redirectURL, challenge string) (string, error) {
	data := url.Values{
		"client_id":             []string{clientID},
		"scope":                 []string{"openid email"},
		"code_challenge_method": []string{"S256"},
		"code_challenge":        []string{challenge},
	}
	if redirectURL != "" {
		data["redirect_uri"] = []string{redirectURL}
	}
	resp, err := http.PostForm(d.codeURL, data)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	parsed := deviceResp{}
	if err := json.NewDecoder(resp.Body).Decode(&parsed); err != nil {
		return "", err
	}
	return parsed.DeviceCode, nil
}
