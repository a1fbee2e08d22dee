// Package configured is a provider whose authorization request carries
// only the parameters configured once for every flow.
package configured

import "golang.org/x/oauth2"

// Provider is a client of one identity provider.
type Provider struct {
	config          *oauth2.Config
	authCodeOptions []oauth2.AuthCodeOption
}

// SetAuthCodeOptions adds parameters to every authorization request.
func (p *Provider) SetAuthCodeOptions(params map[string]string) {
	for k, v := range params {
		p.authCodeOptions = append(p.authCodeOptions, oauth2.SetAuthURLParam(k, v))
	}
}

// BeginAuth sends only the configured parameters: no per-flow challenge.
func (p *Provider) BeginAuth(state string) string {
	return p.config.AuthCodeURL(state, p.authCodeOptions...) // want `AuthCodeURL builds an authorization request without code_challenge`
}

// AuthURL leaves its caller a map of parameters for this one request:
// the caller may pass a challenge.
func (p *Provider) AuthURL(state string, extra map[string]string) string {
	var opts []oauth2.AuthCodeOption
	for k, v := range extra {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	return p.config.AuthCodeURL(state, opts...)
}
