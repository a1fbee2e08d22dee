// Package pkceutil holds the random-string helpers the agent shares. None of them is a finding on
// its own: pkcevet reports where a weak one is used as a verifier or state, with the random
// source here as the related location.
package pkceutil

import (
	crand "crypto/rand"
	"encoding/base64"
	"math/big"
	mrand "math/rand"
	mrandv2 "math/rand/v2"
	"time"
)

// alphabet is RFC 7636's unreserved set: 66 characters, about 6 bits each.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

// LegacyVerifier is v0.1's generator: 43 characters from math/rand seeded with the clock.
// Anyone who knows roughly when the flow started can replay the seed.
func LegacyVerifier() string {
	r := mrand.New(mrand.NewSource(time.Now().UnixNano()))
	b := make([]byte, 43)
	for i := range b {
		b[i] = alphabet[r.Intn(len(alphabet))]
	}
	return string(b)
}

// StrongVerifier returns 32 bytes from crypto/rand, base64url-encoded (43 characters).
func StrongVerifier() string {
	b := make([]byte, 32)
	_, _ = crand.Read(b) // never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b)
}

// ShortVerifier returns 16 bytes from crypto/rand: 22 characters, below RFC 7636's minimum of 43.
func ShortVerifier() string {
	b := make([]byte, 16)
	_, _ = crand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// RandomString returns n characters drawn uniformly from alphabet with crypto/rand. Its strength
// is n × 6 bits: fine at 64 characters, too weak for a verifier at 20.
func RandomString(n int) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		k, err := crand.Int(crand.Reader, max)
		if err != nil {
			panic(err)
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}

// Jitter returns d plus up to 50% random jitter, for retry backoff.
func Jitter(d time.Duration) time.Duration {
	return d + time.Duration(mrandv2.Int64N(int64(d/2)+1)) // ok: math/rand for backoff, never a secret
}
