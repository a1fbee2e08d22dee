// Package pkce builds a PKCE authorization request the way RFC 7636 asks:
// a 32-byte verifier from crypto/rand, an S256 challenge, a random state,
// and constant-time comparisons. pkcevet finds nothing here.
package pkce

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/url"
)

// Flow is one authorization attempt, kept in the browser's session.
type Flow struct {
	State        string
	CodeVerifier string
}

// NewFlow starts an authorization attempt.
func NewFlow() *Flow {
	return &Flow{State: random(), CodeVerifier: random()}
}

// random is 32 bytes from crypto/rand, base64url-encoded (43 characters).
func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// challenge is the S256 code challenge of a verifier.
func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// AuthURL is the authorization request of the flow.
func (f *Flow) AuthURL(endpoint, clientID, redirect string) string {
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {clientID},
		"redirect_uri":          {redirect},
		"state":                 {f.State},
		"code_challenge":        {challenge(f.CodeVerifier)},
		"code_challenge_method": {"S256"},
	}
	return endpoint + "?" + q.Encode()
}

// CheckState reports whether the callback's state is the flow's.
func (f *Flow) CheckState(got string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(f.State)) == 1
}
