package agent

import (
	"context"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Flows without an authorization code: PKCE does not apply to any of them.

// ServiceClient returns an HTTP client for the agent's own service account.
func ServiceClient(ctx context.Context, id, secret, tokenURL string) *http.Client {
	cc := &clientcredentials.Config{ClientID: id, ClientSecret: secret, TokenURL: tokenURL, Scopes: []string{"mcp:tools"}}
	return cc.Client(ctx) // ok: client credentials grant
}

// DeviceLogin signs in on a headless host with the device authorization grant (RFC 8628).
func (a *Agent) DeviceLogin(ctx context.Context, prompt func(uri, code string)) (*oauth2.Token, error) {
	da, err := a.cfg.DeviceAuth(ctx) // ok: device grant
	if err != nil {
		return nil, err
	}
	prompt(da.VerificationURI, da.UserCode)
	return a.cfg.DeviceAccessToken(ctx, da) // ok: device grant
}

// Client returns an HTTP client that refreshes tok as it expires.
func (a *Agent) Client(ctx context.Context, tok *oauth2.Token) *http.Client {
	return oauth2.NewClient(ctx, a.cfg.TokenSource(ctx, tok)) // ok: refresh grant
}

// ConsentLink points at the agent's own consent page. Its AuthCodeURL is not oauth2's.
type ConsentLink struct{ Base string }

// AuthCodeURL returns the consent page for tenant.
func (c ConsentLink) AuthCodeURL(tenant string) string {
	return c.Base + "/consent?tenant=" + url.QueryEscape(tenant)
}
