// Package optinuse builds relying parties with the optin library, which
// leaves PKCE off unless given optin.WithPKCE.
package optinuse

import (
	"context"

	"golang.org/x/oauth2"

	"missingchallenge/optin"
	"missingchallenge/optincopy"
	"missingchallenge/optinflow"
)

func noOption(cfg *oauth2.Config) string {
	rp := optin.NewRelyingParty(cfg) // want `optin.NewRelyingParty builds a client with PKCE off unless given optin.WithPKCE, and optin.AuthURL \(optinuse.go:17\) then runs the code flow`
	return optin.AuthURL(rp, "state", "verifier")
}

func onlyWithoutSecret(cfg *oauth2.Config, secret string) string {
	var opts []optin.Option
	if secret == "" {
		opts = append(opts, optin.WithPKCE())
	}
	rp := optin.NewRelyingParty(cfg, opts...) // want `optin.NewRelyingParty gets optin.WithPKCE only when secret == "", so otherwise`
	return optin.AuthURL(rp, "state", "verifier")
}

func throughAnotherPackage(cfg *oauth2.Config) string {
	party := optin.NewRelyingParty(cfg) // want `optin.NewRelyingParty builds a client with PKCE off unless given optin.WithPKCE, and optinflow.Login\[int\] \(optinuse.go:31\)`
	return optinflow.Login[int](party, "state")
}

// Look-alikes.

func withPKCE(cfg *oauth2.Config) string {
	rp := optin.NewRelyingParty(cfg, optin.WithPKCE())
	return optin.AuthURL(rp, "state", "verifier")
}

func withPKCESlice(cfg *oauth2.Config, extra bool) string {
	opts := []optin.Option{optin.WithPKCE()}
	if extra {
		opts = append(opts, nil)
	}
	rp := optin.NewRelyingParty(cfg, opts...)
	return optin.AuthURL(rp, "state", "verifier")
}

// A relying party used for something other than the code flow.
func notACodeFlow(cfg *oauth2.Config) oauth2.Config {
	rp := optin.NewRelyingParty(cfg)
	return *rp.Config()
}

// Options the caller chose.
func callersOptions(cfg *oauth2.Config, opts ...optin.Option) string {
	rp := optin.NewRelyingParty(cfg, opts...)
	return optin.AuthURL(rp, "state", "verifier")
}

// Options from a helper this cannot see into.
func helperOptions(cfg *oauth2.Config, more func() []optin.Option) string {
	opts := more()
	rp := optin.NewRelyingParty(cfg, opts...)
	return optin.AuthURL(rp, "state", "verifier")
}

// A request library whose default options leave PKCE off.

func pkceUnderFlag(p *optincopy.Provider, usePKCE *bool, v optincopy.CodeVerifier) string {
	var opts []optincopy.Option
	switch {
	case *usePKCE:
		opts = append(opts, optincopy.WithPKCE(v))
	}
	opts = append(opts, optincopy.WithScopes("openid"))
	req, err := optincopy.NewRequest("state", opts...) // want `optincopy.NewRequest gets optincopy.WithPKCE only when \*usePKCE, so otherwise p.AuthURL`
	if err != nil {
		return ""
	}
	return p.AuthURL(context.Background(), req)
}

func pkceAlways(p *optincopy.Provider, v optincopy.CodeVerifier) string {
	req, err := optincopy.NewRequest("state", optincopy.WithPKCE(v), optincopy.WithScopes("openid"))
	if err != nil {
		return ""
	}
	return p.AuthURL(context.Background(), req)
}

// A handler that builds requests from the options its caller chose.

func loginHandler(p *optincopy.Provider, requestOptions []optincopy.Option) func() string {
	return func() string {
		req, err := optincopy.NewRequest("state", requestOptions...)
		if err != nil {
			return ""
		}
		return p.AuthURL(context.Background(), req)
	}
}

func mainWithFlag(p *optincopy.Provider, usePKCE bool, v optincopy.CodeVerifier) {
	var requestOptions []optincopy.Option
	if usePKCE {
		requestOptions = append(requestOptions, optincopy.WithPKCE(v))
	}
	_ = loginHandler(p, requestOptions) // want `the options passed to loginHandler get optincopy.WithPKCE only when usePKCE, and it builds optincopy.NewRequest with them, so otherwise p.AuthURL \(optinuse.go:\d+\) runs`
}

func mainWithout(p *optincopy.Provider) {
	requestOptions := []optincopy.Option{optincopy.WithScopes("openid")}
	_ = loginHandler(p, requestOptions) // want `the options passed to loginHandler have no optincopy.WithPKCE`
}

func mainWithPKCE(p *optincopy.Provider, v optincopy.CodeVerifier) {
	requestOptions := []optincopy.Option{optincopy.WithPKCE(v)}
	_ = loginHandler(p, requestOptions)
}
