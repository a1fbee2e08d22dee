// Package closedopts is a client library whose authorization URL takes
// functional options, none of which can add a challenge (issue 20, item 3).
package closedopts

import (
	"context"
	"net/url"
	"strings"
)

// AuthCodeURLOption changes the authorization request.
type AuthCodeURLOption func(url.Values)

// WithPrompt sets prompt.
func WithPrompt(p string) AuthCodeURLOption {
	return func(v url.Values) { v.Set("prompt", p) }
}

// WithLoginHint sets login_hint.
func WithLoginHint(h string) AuthCodeURLOption {
	return func(v url.Values) { v.Set("login_hint", h) }
}

type Client struct{ AuthURL string }

func (c Client) AuthCodeURL(ctx context.Context, clientID, redirectURI, state string, scopes []string, opts ...AuthCodeURLOption) (string, error) {
	v := url.Values{}
	v.Set("response_type", "code") // want `has no code_challenge, and no AuthCodeURLOption of the package can add one`
	v.Set("client_id", clientID)
	v.Set("redirect_uri", redirectURI)
	v.Set("state", state)
	v.Set("scope", strings.Join(scopes, " "))
	for _, o := range opts {
		o(v)
	}
	return c.AuthURL + "?" + v.Encode(), nil
}
