// Package optionhelper makes its AuthCodeOption in a helper that returns
// an error beside it, as dex's OIDC connector does.
package optionhelper

import (
	"fmt"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}

// optionFor returns VerifierOption for plain: AuthCodeURL then sends the
// verifier itself, as code_verifier, and no code_challenge.
func optionFor(verifier, method string) (oauth2.AuthCodeOption, error) {
	switch method {
	case "plain":
		return oauth2.VerifierOption(verifier), nil
	case "S256":
		return oauth2.S256ChallengeOption(verifier), nil
	}
	return nil, fmt.Errorf("unknown challenge method %q", method)
}

func LoginURL(state, method string) (string, string, error) {
	v := oauth2.GenerateVerifier()
	opt, err := optionFor(v, method) // want `the option of optionFor can be oauth2.VerifierOption, which AuthCodeURL sends as code_verifier on the front channel`
	if err != nil {
		return "", "", err
	}
	return cfg.AuthCodeURL(state, opt), v, nil
}

// s256 returns the challenge option or an error: nothing to report.
func s256(verifier string) (oauth2.AuthCodeOption, error) {
	if len(verifier) < 43 {
		return nil, fmt.Errorf("verifier too short")
	}
	return oauth2.S256ChallengeOption(verifier), nil
}

// Connector has PKCE behind its own setting (dex's pkceChallenge): a
// client's choice, not a server letting a request go without a challenge.
type Connector struct{ pkceChallenge string }

func (c *Connector) LoginURL(state string) (string, error) {
	var opts []oauth2.AuthCodeOption
	if c.pkceChallenge != "" {
		verifier := oauth2.GenerateVerifier()
		opt, err := s256(verifier)
		if err != nil {
			return "", err
		}
		opts = append(opts, opt)
	}
	return cfg.AuthCodeURL(state, opts...), nil
}
