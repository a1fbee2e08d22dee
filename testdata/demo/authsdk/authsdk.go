// Package authsdk stands for an SDK's auth package in another module: it
// wraps x/oauth2 and leaves PKCE to its callers. The demo requires it
// through a replace directive, so pkcevet loads it as a dependency: it
// computes its call summaries from source and reports nothing in it.
package authsdk

import (
	"context"

	"golang.org/x/oauth2"
)

// Client wraps an OAuth client configuration.
type Client struct{ Config *oauth2.Config }

// LoginURL forwards state and options to AuthCodeURL.
func (c *Client) LoginURL(state string, opts ...oauth2.AuthCodeOption) string {
	return c.Config.AuthCodeURL(state, opts...)
}

// Redeem forwards to Exchange.
func (c *Client) Redeem(ctx context.Context, code string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, error) {
	return c.Config.Exchange(ctx, code, opts...)
}

// Prompt is an option constructor that sets prompt only.
func Prompt(p string) oauth2.AuthCodeOption { return oauth2.SetAuthURLParam("prompt", p) }
