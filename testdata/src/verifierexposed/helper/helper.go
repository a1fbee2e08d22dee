// Package helper has logging and response helpers that write whatever
// they are given: harmless on their own, and with no mark of OAuth code,
// so nothing is reported here. Their ExposureFacts say what they do.
package helper

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"log"
	"net/http"
)

// Debugf logs a formatted line.
func Debugf(format string, args ...any) { // want Debugf:`exposes\(arg0→log.Printf, arg1→log.Printf\)`
	log.Printf(format, args...)
}

// WriteJSON writes v as the response body.
func WriteJSON(w http.ResponseWriter, v any) { // want WriteJSON:`exposes\(arg1→a JSON encoder on the http.ResponseWriter\)`
	_ = json.NewEncoder(w).Encode(v)
}

// Quote puts a value in quotes.
func Quote(s string) string { // want Quote:`exposes\(arg0→result0\)`
	return `"` + s + `"`
}

// Count logs only how long a value is.
func Count(s string) {
	log.Printf("%d bytes", len(s))
}

// Pending is a flow waiting for its callback.
type Pending struct {
	State, Verifier string
}

// NewCodeVerifier makes a code verifier.
func NewCodeVerifier() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// VerifierPattern describes what a verifier looks like.
func VerifierPattern() string { return "[A-Za-z0-9-._~]{43,128}" }
