package a

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
)

type grant struct {
	CodeChallenge       string
	CodeChallengeMethod string
	verifierBytes       []byte
}

func verifyPlain(g *grant, verifier string) error {
	if verifier != g.CodeChallenge { // want `code verifier compared with !=`
		return errors.New("invalid_grant")
	}
	return nil
}

func verifyS256(g *grant, r *http.Request) bool {
	sum := sha256.Sum256([]byte(r.FormValue("code_verifier")))
	computed := base64.RawURLEncoding.EncodeToString(sum[:])
	return computed == g.CodeChallenge // want `code challenge computed from the code verifier compared with ==: the stored challenge is public`
}

func verifyDecoded(stored string, r *http.Request) bool {
	sum := sha256.Sum256([]byte(r.FormValue("code_verifier")))
	want, _ := base64.RawURLEncoding.DecodeString(stored)
	return bytes.Equal(sum[:], want) // want `code challenge computed from the code verifier compared with bytes.Equal`
}

// checksum compares a hash of data that is no PKCE secret.
func checksum(data []byte, expected string) bool {
	sum := sha256.Sum256(data)
	return base64.StdEncoding.EncodeToString(sum[:]) == expected
}

func verifyHelper(g *grant, v string) bool {
	return oauth2.S256ChallengeFromVerifier(v) == g.CodeChallenge // want `code challenge computed from the code verifier compared with ==: the stored challenge is public`
}

func verifyBytes(g *grant, got []byte) bool {
	return bytes.Equal(got, g.verifierBytes) // want `code verifier compared with bytes.Equal`
}

func verifyFold(g *grant, challenge string) bool {
	return strings.EqualFold(challenge, g.CodeChallenge) // want `code challenge compared with strings.EqualFold`
}

func verifyCompare(g *grant, challenge string) bool {
	return strings.Compare(challenge, g.CodeChallenge) == 0 // want `code challenge compared with strings.Compare`
}

// Look-alikes: constants, methods, lengths, other parameters, constant-time
// comparisons.

func fine(g *grant, r *http.Request, verifier string) bool {
	if r.FormValue("grant_type") != "authorization_code" {
		return false
	}
	if g.CodeChallengeMethod != "S256" || g.CodeChallenge == "" || len(verifier) < 43 {
		return false
	}
	if g.CodeChallengeMethod == r.FormValue("code_challenge_method") {
		return hmac.Equal([]byte(verifier), g.verifierBytes)
	}
	return false
}

func state(r *http.Request, saved string) bool {
	return r.FormValue("state") == saved
}

// Inside a PKCE verification function, local strings compared are the
// verifier and the challenge whatever their names.
type CodeChallengeMethod string

func (ccm CodeChallengeMethod) Validate(cc, ver string) bool {
	if ccm == "plain" {
		return cc == ver // want `code verifier or challenge compared with ==`
	}
	return false
}

// A challenge that is not PKCE's: a machine's signed login challenge,
// whose owner is compared with the key that signed it.
func verifyChallenge(owner, machineKey string) bool {
	return owner == machineKey
}

// A code challenge check, whatever its operands are called.
func checkCodeChallenge(stored, computed string) bool {
	return stored == computed // want `code verifier or challenge compared with ==`
}

// Elsewhere, two local strings are just strings.
func sameName(a, b string) bool { return a == b }

// An ID-token claim verifier is not a PKCE function.
func DefaultISSVerifier(expectIssuer string) func(string) bool {
	return func(inputIssuer string) bool { return inputIssuer == expectIssuer }
}

// A test of PKCE code compares expected values, not secrets.
func TestExchangeWithPKCE(t interface{ Errorf(string, ...any) }) {
	got, want := "bearer", "bearer"
	if got != want {
		t.Errorf("token type %q, want %q", got, want)
	}
}
