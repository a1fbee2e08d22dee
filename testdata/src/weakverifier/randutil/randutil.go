// Package randutil holds random-string helpers, some weak. Nothing here is
// reported: a helper is harmless until its result is used as a verifier.
package randutil

import (
	crand "crypto/rand"
	"encoding/base64"
	"encoding/hex"
	mrand "math/rand"
)

const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// Weak draws letters with math/rand.
func Weak(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[mrand.Intn(len(letters))]
	}
	return string(b)
}

// Bytes returns n crypto/rand bytes, base64url-encoded.
func Bytes(n int) (string, error) {
	b := make([]byte, n)
	if _, err := crand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Hex returns 16 crypto/rand bytes in hex.
func Hex() string {
	var b [16]byte
	crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Display is a display name: math/rand is fine for it.
func Display() string {
	return Weak(6)
}
