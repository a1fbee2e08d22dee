package tests

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestGenerate(t *testing.T) {
	verifier, verifier2 := GenerateCodeVerifier(), GenerateCodeVerifier()
	if verifier == verifier2 {
		t.Errorf("identical code verifiers: %s", verifier)
	}
	challenge := GenerateCodeChallenge(verifier)
	if challenge != GenerateCodeChallenge(verifier) {
		t.Errorf("the same verifier gave two challenges")
	}
}

func TestFakeServer(t *testing.T) {
	challenge := GenerateCodeChallenge(GenerateCodeVerifier())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		matched := GenerateCodeChallenge(r.FormValue("code_verifier")) == challenge // want `code challenge compared with ==`
		fmt.Fprintf(w, `{"matched": %v}`, matched)
	}))
	defer srv.Close()
}

// The same assertions in goroutines and t.Run cases are still the test's.
func TestConcurrentGenerate(t *testing.T) {
	done := make(chan bool)
	go func() {
		verifier, verifier2 := GenerateCodeVerifier(), GenerateCodeVerifier()
		if verifier == verifier2 {
			t.Errorf("identical verifiers")
		}
		done <- true
	}()
	<-done
	t.Run("twice", func(t *testing.T) {
		challenge, challenge2 := GenerateCodeChallenge("a"), GenerateCodeChallenge("a")
		if challenge != challenge2 {
			t.Errorf("unstable challenge")
		}
	})
}
