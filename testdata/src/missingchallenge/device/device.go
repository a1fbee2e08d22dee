// Package device: RFC 8628 device authorization requests carry no
// challenge and no state, and are not authorization-code requests.
package device

import (
	"net/http"
	"net/url"
)

type deviceResp struct {
	DeviceCode string `json:"device_code"`
	UserCode   string `json:"user_code"`
}

func requestDeviceCode(endpoint, clientID, redirect string) (*http.Response, error) {
	return http.PostForm(endpoint, url.Values{
		"client_id":    {clientID},
		"scope":        {"openid"},
		"redirect_uri": {redirect},
	})
}

func browserLogin(authURL, clientID, redirect, state string) string {
	v := url.Values{
		"client_id":    {clientID}, // want `no code_challenge`
		"scope":        {"openid"},
		"redirect_uri": {redirect},
		"state":        {state},
	}
	return authURL + "?" + v.Encode()
}
