package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
)

type grant struct {
	challenge string
}

var grants = map[string]*grant{}

// authorize stores a challenge when the client sends one and issues a
// code either way.
func authorize(w http.ResponseWriter, r *http.Request) {
	g := &grant{}
	if challenge := r.FormValue("code_challenge"); challenge != "" { // want `the code flow proceeds when the request has no code_challenge`
		g.challenge = challenge
	}
	grants["code"] = g
	http.Redirect(w, r, "https://client.example/cb?code=code", http.StatusFound)
}

// token verifies PKCE only when a challenge was stored.
func token(g *grant, verifier string) error {
	if g.challenge != "" { // want `the code flow proceeds when the request has no code_challenge`
		sum := sha256.Sum256([]byte(verifier))
		if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(g.challenge)) != 1 {
			return errors.New("invalid_grant")
		}
	}
	return nil
}

// Correct servers.

func authorizeStrict(w http.ResponseWriter, r *http.Request) {
	challenge := r.FormValue("code_challenge")
	if challenge == "" {
		http.Error(w, "code_challenge required", http.StatusBadRequest)
		return
	}
	g := &grant{}
	if challenge != "" {
		g.challenge = challenge
	}
	grants["code"] = g
}

func tokenStrict(g *grant, verifier string) error {
	if len(g.challenge) > 0 {
		sum := sha256.Sum256([]byte(verifier))
		if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(g.challenge)) != 1 {
			return errors.New("invalid_grant")
		}
	} else {
		return errors.New("invalid_grant: PKCE required")
	}
	return nil
}

// A client that sends a challenge when it has one: not a server.
func clientSide(challenge string, params map[string]string) {
	if challenge != "" {
		params["code_challenge"] = challenge
	}
}

type config struct{ ForcePKCE bool }

func (c config) GetEnforcePKCE() bool { return c.ForcePKCE }

// PKCE required only when an operator turns it on.
func authorizeOptIn(cfg config, w http.ResponseWriter, r *http.Request) error {
	cc := r.FormValue("code_challenge")
	if cc == "" && cfg.ForcePKCE { // want `code_challenge is required only when cfg.ForcePKCE is set`
		return errors.New("code_challenge required")
	}
	return nil
}

// A stored challenge that is empty skips verification.
type tokenInfo struct{ challenge string }

func (t tokenInfo) GetCodeChallenge() string { return t.challenge }

func validateStored(ti tokenInfo, ver string) error {
	cc := ti.GetCodeChallenge()
	if cc == "" && ver == "" { // want `PKCE is skipped when the request has no code_challenge`
		return nil
	}
	if cc == "" || ver == "" {
		return errors.New("invalid_grant")
	}
	return nil
}

func handleToken(cfg config, challenge, verifier string) error {
	nc := len(challenge)
	if !cfg.GetEnforcePKCE() && nc == 0 { // want `PKCE is skipped when the request has no code_challenge unless cfg.GetEnforcePKCE\(\) is set`
		return nil
	}
	return nil
}

// Always required: fine.
func authorizeAlways(w http.ResponseWriter, r *http.Request) error {
	cc := r.FormValue("code_challenge")
	if cc == "" {
		return errors.New("code_challenge required")
	}
	return nil
}

type tokenRequest struct {
	Public       bool
	CodeVerifier string
}

func authorizeCodeChallenge(verifier, challenge string) error { return nil }

// Verification only when the client sends a verifier: a downgrade.
func exchange(r tokenRequest, storedChallenge string) error {
	if r.Public || r.CodeVerifier != "" { // want `PKCE is verified only when the token request carries a code_verifier`
		if err := authorizeCodeChallenge(r.CodeVerifier, storedChallenge); err != nil {
			return err
		}
	}
	return nil
}

// verifyStored passes when nothing was stored.
func verifyStored(storedMethod, storedChallenge, verifier string) bool {
	switch storedMethod {
	case "S256":
		return s256(verifier) == storedChallenge
	case "": // want `the PKCE check passes when no code_challenge was stored`
		return true
	}
	return false
}

// verifyStoredStrict refuses a missing method.
func verifyStoredStrict(storedMethod, storedChallenge, verifier string) bool {
	switch storedMethod {
	case "S256":
		return s256(verifier) == storedChallenge
	case "":
		return false
	}
	return false
}

// encoding is a switch on something else with an empty case.
func encoding(kind string) string {
	switch kind {
	case "S256":
		return "sha256"
	case "":
		return "none"
	}
	return kind
}

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// The token endpoint refuses a wrong code_verifier but not a missing one:
// the rejecting condition itself requires the verifier to be present.
func tokenEndpoint(w http.ResponseWriter, r *http.Request, want string) {
	switch {
	case r.FormValue("grant_type") != "authorization_code":
		http.Error(w, "unsupported_grant_type", http.StatusBadRequest)
		return
	case r.FormValue("code_verifier") != "" && r.FormValue("code_verifier") != want: // want `the code_verifier is checked only when the token request carries one`
		http.Error(w, "invalid_grant", http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func tokenIfPresent(verifier, storedChallenge string) error {
	if len(verifier) > 0 && !checkVerifier(verifier, storedChallenge) { // want `the code_verifier is checked only when the token request carries one`
		return errors.New("invalid_grant")
	}
	return nil
}

func checkVerifier(verifier, challenge string) bool {
	return subtle.ConstantTimeCompare([]byte(s256(verifier)), []byte(challenge)) == 1
}

// Look-alikes: a missing verifier is refused too.

func tokenEndpointStrict(w http.ResponseWriter, r *http.Request, want string) {
	switch {
	case r.FormValue("code_verifier") == "":
		http.Error(w, "code_verifier required", http.StatusBadRequest)
		return
	case r.FormValue("code_verifier") != "" && r.FormValue("code_verifier") != want:
		http.Error(w, "invalid_grant", http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func tokenEitherWay(verifier, storedChallenge string) error {
	if verifier == "" || !checkVerifier(verifier, storedChallenge) {
		return errors.New("invalid_grant")
	}
	return nil
}

func tokenRequiredFirst(verifier, storedChallenge string) error {
	if verifier == "" {
		return errors.New("invalid_request")
	}
	if verifier != "" && !checkVerifier(verifier, storedChallenge) {
		return errors.New("invalid_grant")
	}
	return nil
}

// A verifier that is present and well-formed is logged; nothing is refused.
func logVerifier(verifier string, logf func(string, ...any)) {
	if verifier != "" && len(verifier) != 43 {
		logf("unusual verifier length %d", len(verifier))
	}
}

type client struct{ method string }

func (c client) AuthMethod() string { return c.method }

const AuthMethodNone = "none"

type codeChallenge struct{ Challenge, Method string }

type authRequest struct{ challenge *codeChallenge }

func (a authRequest) GetCodeChallenge() *codeChallenge { return a.challenge }

// PKCE is required from public clients only.
func authorizeCodeClient(c client, req authRequest) error {
	codeChallenge := req.GetCodeChallenge()
	if c.AuthMethod() == AuthMethodNone { // want `code_challenge is required only when c.AuthMethod\(\) == AuthMethodNone \(public clients\)`
		if codeChallenge == nil {
			return errors.New("invalid_request: PKCE required")
		}
		return nil
	}
	return nil
}

func redeemPublicOnly(isPublic bool, challenge string) error {
	if isPublic { // want `code_challenge is required only when isPublic`
		if challenge == "" {
			return errors.New("invalid_request")
		}
	}
	return nil
}

// Look-alikes: every client must send one; a public-only rule about
// something else.
func authorizeEveryClient(c client, req authRequest) error {
	cc := req.GetCodeChallenge()
	if cc == nil {
		return errors.New("invalid_request: PKCE required")
	}
	if c.AuthMethod() == AuthMethodNone {
		if cc == nil {
			return errors.New("invalid_request: PKCE required")
		}
	}
	return nil
}

func publicNeedsRedirect(isPublic bool, redirect string) error {
	if isPublic {
		if redirect == "" {
			return errors.New("invalid_request")
		}
	}
	return nil
}

// mockoidc's shape: a stored challenge or method that is missing skips the
// check, in a disjunction.
type session struct{ CodeChallenge, CodeChallengeMethod string }

func validateCodeChallenge(r *http.Request, s *session) bool {
	if s.CodeChallenge == "" || s.CodeChallengeMethod == "" { // want `PKCE is skipped when the request has no code_challenge`
		return true
	}
	v := r.FormValue("code_verifier")
	return v != "" && s256(v) == s.CodeChallenge
}

// casdoor's shape: the token function returns its OAuth error as a
// struct, not as an error value. A branch that returns one for a code
// without challenge refuses the flow; it does not skip PKCE. It refuses
// only clients whose secret does not match, though: one that
// authenticates redeems a code without PKCE (reported at that test).
type TokenError struct {
	Error            string
	ErrorDescription string
}

type Token struct{ CodeChallenge, Application string }

const InvalidClient = "invalid_client"

func redeemRefusing(stored *Token, secret, givenSecret, verifier string) (*Token, *TokenError, error) {
	if stored.CodeChallenge != "" && s256(verifier) != stored.CodeChallenge {
		return nil, &TokenError{Error: "invalid_grant"}, nil
	}
	if secret != givenSecret { // want `code_challenge is required only when secret != givenSecret \(clients that fail the secret check\)`
		if stored.CodeChallenge == "" {
			return nil, &TokenError{Error: InvalidClient, ErrorDescription: "client_secret is invalid"}, nil
		}
	}
	return stored, nil, nil
}

// oauthFailure is a response value whose error member carries an OAuth
// error code, under a type name that does not say so.
type oauthFailure struct{ Code, Description string }

func redeemRefusingPlain(stored *Token, verifier string) (*Token, *oauthFailure) {
	if stored.CodeChallenge == "" {
		return nil, &oauthFailure{Code: "invalid_request", Description: "PKCE required"}
	}
	if s256(verifier) != stored.CodeChallenge {
		return nil, &oauthFailure{Code: "invalid_grant"}
	}
	return stored, nil
}

// The same struct returned empty, with the token, is no refusal.
func redeemSkipping(stored *Token, verifier string) (*Token, *TokenError) {
	if stored.CodeChallenge == "" { // want `PKCE is skipped when the request has no code_challenge`
		return stored, nil
	}
	if s256(verifier) != stored.CodeChallenge {
		return nil, &TokenError{Error: "invalid_grant"}
	}
	return stored, nil
}
