// Package offdefault sends PKCE parameters only under settings whose
// default is off.
package offdefault

import (
	"net/http"
	"net/url"
)

// Config is the client's configuration; PKCEEnabled defaults to false.
type Config struct {
	ClientID    string
	PKCEEnabled bool
}

type handler struct{ config Config }

func (h *handler) redeem(code, verifier string) (*http.Response, error) {
	data := url.Values{}
	data.Set("grant_type", "authorization_code") // want `token request with grant_type=authorization_code sends code_verifier only when h.config.PKCEEnabled is set, and nothing in this package turns it on`
	data.Set("code", code)
	if h.config.PKCEEnabled && verifier != "" {
		data.Set("code_verifier", verifier)
	}
	return http.PostForm("https://as.example/token", data)
}

func (h *handler) authorize(state, challenge string) string {
	q := url.Values{}
	q.Set("response_type", "code") // want `authorization request with response_type=code sends code_challenge only when h.config.PKCEEnabled is set`
	q.Set("client_id", h.config.ClientID)
	q.Set("state", state)
	if h.config.PKCEEnabled {
		q.Set("code_challenge", challenge)
		q.Set("code_challenge_method", "S256")
	}
	return "https://as.example/authorize?" + q.Encode()
}

// Options has a PKCE switch that its constructor turns on.
type Options struct{ UsePKCE bool }

// NewOptions returns the defaults: PKCE on.
func NewOptions() Options { return Options{UsePKCE: true} }

type client struct{ opts Options }

func (c *client) authorize(state, challenge string) string {
	q := url.Values{}
	q.Set("response_type", "code")
	q.Set("state", state)
	if c.opts.UsePKCE {
		q.Set("code_challenge", challenge)
		q.Set("code_challenge_method", "S256")
	}
	return "https://as.example/authorize?" + q.Encode()
}
