// Package fallback holds casdoor's shape: a token request that sends the
// verifier the caller gave, or a constant when none was given. The
// constant is every user's verifier whenever the caller forgets one.
package fallback

import (
	"net/http"
	"net/url"
	"strings"
)

type Provider struct {
	ClientID     string
	CodeVerifier string
}

func (p *Provider) GetToken(code string) (*http.Response, error) {
	params := url.Values{}
	verifier := p.CodeVerifier
	if verifier == "" {
		verifier = "casdoor-verifier"
	}
	params.Add("code_verifier", verifier) // want `code verifier used in the code_verifier parameter is the constant "casdoor-verifier"`
	params.Add("code", code)
	params.Add("grant_type", "authorization_code")
	return http.Post("https://api.example.com/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(params.Encode()))
}

// The same fallback into a form handed to another library's redemption.
type Session interface {
	Authorize(params url.Values) (string, error)
}

func (p *Provider) Redeem(s Session, code string) (string, error) {
	value := url.Values{}
	value.Add("code", code)
	verifier := p.CodeVerifier
	if verifier == "" {
		verifier = "casdoor-verifier"
	}
	value.Add("code_verifier", verifier) // want `code verifier used in the code_verifier parameter is the constant "casdoor-verifier"`
	return s.Authorize(value)
}

// Look-alike: no verifier given means no PKCE parameter at all.
func (p *Provider) GetTokenOptional(code string) (*http.Response, error) {
	params := url.Values{}
	if p.CodeVerifier != "" {
		params.Add("code_verifier", p.CodeVerifier)
	}
	params.Add("code", code)
	params.Add("grant_type", "authorization_code")
	return http.Post("https://api.example.com/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(params.Encode()))
}

// Look-alike: a placeholder in an error message is not a verifier sent.
func (p *Provider) describe() string {
	verifier := p.CodeVerifier
	if verifier == "" {
		verifier = "(none)"
	}
	return "verifier: " + verifier
}
