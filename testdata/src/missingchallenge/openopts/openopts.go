// Package openopts offers an option that sets any parameter, or one that
// sets the challenge: a caller can use PKCE, so the request is not judged.
package openopts

import (
	"net/url"
)

type Option func(url.Values)

// WithParam sets any parameter: a caller may add code_challenge.
func WithParam(k, val string) Option { return func(v url.Values) { v.Set(k, val) } }

func AuthURL(base, clientID, redirectURI, state string, opts ...Option) string {
	v := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirectURI}, "state": {state}}
	for _, o := range opts {
		o(v)
	}
	return base + "?" + v.Encode()
}

type PKCEOption func(url.Values)

// WithChallenge sets the challenge.
func WithChallenge(c string) PKCEOption {
	return func(v url.Values) {
		v.Set("code_challenge", c)
		v.Set("code_challenge_method", "S256")
	}
}

func AuthURL2(base, clientID, redirectURI, state string, opts ...PKCEOption) string {
	v := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirectURI}, "state": {state}}
	for _, o := range opts {
		o(v)
	}
	return base + "?" + v.Encode()
}
