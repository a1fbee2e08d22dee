// Package helper holds challenge derivations, client side and server side:
// a switch on the method that computes a challenge accepts nothing by
// itself. It is a server's acceptance only where the method comes from
// the request, or the derived challenge is compared with a stored one.
package helper

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"

	"golang.org/x/oauth2"
)

// GenerateCodeChallenge is a client-side helper (the shape of issue 20's
// item 6): it derives a challenge for the method the client chose.
func GenerateCodeChallenge(method, verifier string) (string, error) {
	switch method {
	case "plain":
		return verifier, nil
	case "S256":
		sum := sha256.Sum256([]byte(verifier))
		return base64.RawURLEncoding.EncodeToString(sum[:]), nil
	}
	return "", errors.New("unknown method")
}

// challengeFor is the same derivation with an if.
func challengeFor(method, verifier string) string {
	if method == "plain" {
		return verifier
	}
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

type Client struct{ Method string }

// AuthParams sends the challenge: client side, the method is the
// operator's setting.
func (c Client) AuthParams(verifier string) map[string]string {
	ch, _ := GenerateCodeChallenge(c.Method, verifier)
	return map[string]string{"code_challenge": ch, "code_challenge_method": c.Method, "x": challengeFor(c.Method, verifier)}
}

// derive is the same derivation on a server: its result is compared with
// the stored challenge, so plain is accepted there.
func derive(challengeMethod, verifier string) string {
	switch challengeMethod {
	case "plain": // want `the server accepts code_challenge_method plain`
		return verifier
	}
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

type grant struct{ challenge, method string }

func token(w http.ResponseWriter, r *http.Request, g grant) {
	got := derive(g.method, r.FormValue("code_verifier"))
	if subtle.ConstantTimeCompare([]byte(got), []byte(g.challenge)) != 1 {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
	}
}

// deriveFromRequest takes the method straight from the request.
func deriveFromRequest(r *http.Request, verifier string) string {
	return deriveIf(r.FormValue("code_challenge_method"), verifier)
}

func deriveIf(challengeMethod, verifier string) string {
	if challengeMethod == "plain" { // want `the server accepts code_challenge_method plain`
		return verifier
	}
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// headscale's shape: a client whose operator picks the method for an
// identity provider without S256; plain is sent only when configured.
type PKCEConfig struct {
	Enabled bool
	Method  string
}

type OIDC struct {
	cfg  struct{ PKCE PKCEConfig }
	conf *oauth2.Config
}

func (a *OIDC) LoginURL(state string) string {
	var extras []oauth2.AuthCodeOption
	if a.cfg.PKCE.Enabled {
		verifier := oauth2.GenerateVerifier()
		switch a.cfg.PKCE.Method {
		case "S256":
			extras = append(extras, oauth2.S256ChallengeOption(verifier))
		case "plain":
			extras = append(extras, oauth2.SetAuthURLParam("code_challenge_method", "plain"), oauth2.SetAuthURLParam("code_challenge", verifier))
		}
	}
	return a.conf.AuthCodeURL(state, extras...)
}

// Plain whatever the operator says: still reported.
func (a *OIDC) LoginURLPlain(state string) string {
	verifier := oauth2.GenerateVerifier()
	return a.conf.AuthCodeURL(state, oauth2.SetAuthURLParam("code_challenge_method", "plain"), oauth2.SetAuthURLParam("code_challenge", verifier)) // want `code_challenge_method plain sends the verifier itself`
}

// optionFor chooses the option a client sends for the method its operator
// configured (dex's OIDC connector): no server accepts anything here.
// (VerifierOption for plain is its own mistake, PKCE001's.)
func optionFor(codeChallengeMethod, verifier string) (oauth2.AuthCodeOption, error) {
	switch codeChallengeMethod {
	case "plain":
		return oauth2.VerifierOption(verifier), nil
	case "S256":
		return oauth2.S256ChallengeOption(verifier), nil
	}
	return nil, errors.New("unknown challenge method")
}
