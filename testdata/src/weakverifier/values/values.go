// Package values holds verifiers whose weakness the engine must follow
// through package variables, buffers, hashes and generic containers.
package values

import (
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	mrand "math/rand"
	"strconv"
	"time"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{ClientID: "id"}

// codeVerifier is assigned only in its declaration: a constant.
var codeVerifier = "hard-coded-verifier-0123456789abcdefghijklmnop"

func fromGlobal(state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(codeVerifier)) // want `code verifier used in oauth2.S256ChallengeOption is the constant "hard-coded-verifier-0123456789abcdefghijklmnop"`
}

func fromBinary() string {
	b := make([]byte, 32)
	for i := 0; i < 4; i++ {
		binary.LittleEndian.PutUint64(b[i*8:], mrand.Uint64())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func usesBinary(state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(fromBinary())) // want `comes from math/rand.Uint64`
}

func fromCopy() string {
	src := []byte(strconv.FormatInt(time.Now().UnixNano(), 36))
	b := make([]byte, 32)
	copy(b, src)
	return hex.EncodeToString(b)
}

func usesCopy(state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(fromCopy())) // want `comes from time.Now`
}

func fromHash() string {
	h := sha256.New()
	h.Write([]byte(fmt.Sprint(mrand.Int63())))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

func usesHash(state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(fromHash())) // want `comes from math/rand.Int63`
}

// Look-alikes: strong values through the same paths.

// fallbackVerifier is exported: any importer may assign it, so its
// declaration says nothing.
var FallbackVerifier = "exported-verifier-0123456789abcdefghijklmnopq"

func fromExported(state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(FallbackVerifier))
}

var generated = oauth2.GenerateVerifier()

func fromGenerated(state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(generated))
}

func strongBinary() string {
	b := make([]byte, 32)
	crand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func usesStrongBinary(state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(strongBinary()))
}

func strongHash() string {
	h := sha256.New()
	h.Write([]byte(crand.Text()))
	h.Write([]byte(crand.Text()))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

func usesStrongHash(state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(strongHash()))
}

// jitter uses math/rand for what is not a secret.
func jitter() time.Duration { return time.Duration(mrand.Int63n(int64(time.Second))) }

func fallback(state string) string {
	v := oauth2.GenerateVerifier()
	if v == "" {
		v = "fixed-verifier"
	}
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(v)) // want `code verifier used in oauth2.S256ChallengeOption is the constant "fixed-verifier"`
}

// Box is a generic container.
type Box[T any] struct{ v T }

// Get returns what the box holds.
func (b Box[T]) Get() T { return b.v }

func identity[T any](x T) T { return x }

func usesBox(state string) string {
	b := Box[string]{v: strconv.Itoa(mrand.Int())}
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(b.Get())) // want `comes from math/rand.Int`
}

func usesIdentity(state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(identity(fmt.Sprint(time.Now().UnixNano())))) // want `comes from time.Now`
}

// A field read through a method's summary joins every store into that
// field in the package (usesBox's weak one included), so the strong twin
// goes through the generic function only.
func usesStrongIdentity(state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(identity(oauth2.GenerateVerifier())))
}
