// Package server is a token endpoint that logs or echoes the code_verifier
// it receives.
package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"log"
	"net/http"
)

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func token(w http.ResponseWriter, r *http.Request, challenge string) {
	verifier := r.PostFormValue("code_verifier")
	if len(verifier) < 43 {
		log.Printf("code_verifier too short: %d characters", len(verifier)) // ok: its length
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	if subtle.ConstantTimeCompare([]byte(s256(verifier)), []byte(challenge)) != 1 {
		log.Printf("PKCE mismatch: verifier %s, challenge %s", verifier, challenge)        // want `code verifier written to a log by log.Printf`
		http.Error(w, "invalid_grant: bad code_verifier "+verifier, http.StatusBadRequest) // want `written to an HTTP response by http.Error`
		return
	}
	log.Printf("code redeemed, challenge %s", challenge) // ok: the challenge
}

func tokenQuery(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	v := r.Form.Get("code_verifier")
	log.Println("got", v) // want `code verifier written to a log by log.Println`
}
