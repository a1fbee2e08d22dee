// Package optincopy is a client library whose requests run the code flow
// with PKCE only when built with WithPKCE: the default options leave the
// verifier nil, and NewRequest copies it into the request.
package optincopy

import (
	"context"

	"golang.org/x/oauth2"
)

// CodeVerifier is a PKCE verifier.
type CodeVerifier interface {
	Challenge() string
	Copy() CodeVerifier
}

// Request is an authorization request.
type Request interface {
	State() string
	PKCEVerifier() CodeVerifier
}

// Req implements Request.
type Req struct {
	state        string
	withVerifier CodeVerifier
}

func (r *Req) State() string { return r.state }

// PKCEVerifier returns a copy of the verifier, or nil.
func (r *Req) PKCEVerifier() CodeVerifier {
	if r.withVerifier == nil {
		return nil
	}
	return r.withVerifier.Copy()
}

// Option configures a request.
type Option func(interface{})

type reqOptions struct {
	withVerifier CodeVerifier
	withScopes   []string
}

func reqDefaults() reqOptions {
	return reqOptions{} // want `reqDefaults leaves withVerifier unset, and NewRequest copies it into withVerifier`
}

// WithPKCE turns PKCE on.
func WithPKCE(v CodeVerifier) Option {
	return func(o interface{}) {
		if o, ok := o.(*reqOptions); ok {
			o.withVerifier = v
		}
	}
}

// WithScopes sets the scopes.
func WithScopes(s ...string) Option {
	return func(o interface{}) {
		if o, ok := o.(*reqOptions); ok {
			o.withScopes = s
		}
	}
}

// NewRequest builds a request from the default options and opt.
func NewRequest(state string, opt ...Option) (*Req, error) { // want NewRequest:`optInConstructor\(missingchallenge/optincopy.WithPKCE\)`
	opts := reqDefaults()
	for _, o := range opt {
		o(&opts)
	}
	return &Req{state: state, withVerifier: opts.withVerifier}, nil
}

// Provider runs the code flow.
type Provider struct{ cfg *oauth2.Config }

// AuthURL adds a challenge for requests built with WithPKCE.
func (p *Provider) AuthURL(ctx context.Context, req Request) string { // want AuthURL:`pkceGate\(1\)`
	var opts []oauth2.AuthCodeOption
	if req.PKCEVerifier() != nil {
		opts = append(opts, oauth2.SetAuthURLParam("code_challenge", req.PKCEVerifier().Challenge()), oauth2.SetAuthURLParam("code_challenge_method", "S256"))
	}
	return p.cfg.AuthCodeURL(req.State(), opts...)
}
