// Package tests is a PKCE helper with a unit test: the test's own
// assertions compare values the test made, which no attacker can time;
// a fake server inside the test still verifies what it is sent.
package tests

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// GenerateCodeVerifier returns a new code verifier.
func GenerateCodeVerifier() string { return rand.Text() + rand.Text() }

// GenerateCodeChallenge returns the S256 challenge of a verifier.
func GenerateCodeChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
