// Package api is a library whose functions exist to make verifiers: their
// weakness is reported in them, even though no caller here uses them.
package api

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	mrand "math/rand"
	"strconv"

	"golang.org/x/oauth2"
)

// GenerateCodeVerifier draws its bytes from math/rand.
func GenerateCodeVerifier() string {
	b := make([]byte, 32)
	for i := range b {
		b[i] = byte(mrand.Intn(256))
	}
	return base64.RawURLEncoding.EncodeToString(b) // want `code verifier used in the result of GenerateCodeVerifier, a verifier API comes from math/rand.Intn`
}

// PKCEPair returns a verifier and its challenge.
func PKCEPair() (verifier, challenge string, err error) {
	if mrand.Intn(2) == 3 {
		return "", "", errors.New("never")
	}
	v := strconv.Itoa(mrand.Int())
	sum := sha256.Sum256([]byte(v))
	return v, base64.RawURLEncoding.EncodeToString(sum[:]), nil // want `code verifier used in the result of PKCEPair, a verifier API comes from math/rand.Int`
}

// useOwn uses this package's weak API: reported once, in the API.
func useOwn(cfg *oauth2.Config, state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(GenerateCodeVerifier()))
}

// Look-alikes.

// NewVerifier is a verifier API that does it right.
func NewVerifier() string { return oauth2.GenerateVerifier() }

// NewIDTokenVerifier makes no code verifier.
func NewIDTokenVerifier() string { return "issuer" }

// VerifierFunc names a callback type's constructor.
func VerifierFunc() string { return "fn" }

// DisplayName is random for display only.
func DisplayName() string { return "user-" + strconv.Itoa(mrand.Intn(1000)) }

// LegacyVerifier is judged where it is used as a verifier, not here: its
// name says what kind of verifier it is, not that it makes fresh ones.
func LegacyVerifier() string { return strconv.Itoa(mrand.Int()) }

// maybePKCE returns "" when PKCE is off (kratos's shape): no verifier,
// which its callers test for before they send anything.
func maybePKCE(off bool) (verifier string) {
	if off {
		return ""
	}
	return oauth2.GenerateVerifier()
}

func challengeOptions(v string) []oauth2.AuthCodeOption {
	if v == "" {
		return nil
	}
	return []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(v)}
}

func loginMaybePKCE(cfg *oauth2.Config, state string, off bool) string {
	return cfg.AuthCodeURL(state, challengeOptions(maybePKCE(off))...)
}

// An empty verifier sent as one is still reported.
func sendsEmpty(cfg *oauth2.Config, state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption("")) // want `code verifier used in oauth2.S256ChallengeOption is empty`
}
