// Package loginverifier holds verifiers that are not PKCE's: hydra's login,
// consent and logout requests carry a Verifier that is sent as
// login_verifier, consent_verifier or logout_verifier (issue 20, item 9).
// A field named just Verifier is a PKCE verifier when the package sends
// its value as one, or its struct is a PKCE one.
package loginverifier

import (
	"net/url"

	"github.com/google/uuid"
	"golang.org/x/oauth2"
)

type LoginRequest struct {
	ID       string `json:"challenge"`
	Verifier string `json:"-"`
	CSRF     string `json:"-"`
}

type ConsentRequest struct {
	Challenge       string `json:"challenge"`
	LoginChallenge  string
	LoginVerifier   string
	ConsentVerifier string
	Verifier        string `json:"-"`
}

// hydra's consent/test/manager_test_helpers.go shape.
func fixtures(key string) (*LoginRequest, *ConsentRequest) {
	return &LoginRequest{ID: "challenge" + key, Verifier: uuid.New().String(), CSRF: "csrf" + key},
		&ConsentRequest{Challenge: "c" + key, LoginVerifier: "login-verifier" + key, ConsentVerifier: "2022-03-11-test-1-ver", Verifier: "verifier" + key}
}

func acceptLogin(r *LoginRequest) string {
	return "https://idp.example/oauth2/auth?" + url.Values{"login_verifier": {r.Verifier}}.Encode()
}

// A bare Verifier that the package sends as the code verifier is one.
type Flow struct{ Verifier string }

func newFlow() *Flow {
	return &Flow{Verifier: uuid.New().String()} // want `is a UUID`
}

func exchange(cfg *oauth2.Config, f *Flow) oauth2.AuthCodeOption {
	return oauth2.VerifierOption(f.Verifier)
}

// A struct that is a PKCE pair by its other fields.
type pair struct {
	Verifier            string
	CodeChallenge       string
	CodeChallengeMethod string
}

func newPair() pair {
	return pair{Verifier: "fixed", CodeChallenge: "x", CodeChallengeMethod: "S256"} // want `constant`
}
