package pkce_test

import (
	"path/filepath"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
	"github.com/pkcevet/pkcevet/analyzers/internal/pkcetest"
)

// TestReturnsFacts checks the function summaries a helper package exports:
// what other packages learn of its results.
func TestReturnsFacts(t *testing.T) {
	testdata, _ := filepath.Abs("../../../testdata")
	pkcetest.Run(t, testdata, pkce.Analyzer, "pkceflow/...")
}

// TestIsVerifierMaker checks the one name test that makes a function a
// verifier API, against the look-alikes it must not match.
func TestIsVerifierMaker(t *testing.T) {
	for name, want := range map[string]bool{
		"GenerateCodeVerifier": true,
		"NewVerifier":          true,
		"CodeVerifier":         true,
		"generateVerifier":     true,
		"RandomPKCEVerifier":   true,
		"NewIDTokenVerifier":   false,
		"VerifierFunc":         false,
		"ValidVerifier":        false,
		"uuidVerifier":         false,
		"LegacyVerifier":       false,
		"DisplayName":          false,
		"RandomName":           false,
		"NewVerifierPattern":   false,
		"Verifiers":            false,
	} {
		if got := pkce.IsVerifierMaker(name); got != want {
			t.Errorf("IsVerifierMaker(%q) = %v, want %v", name, got, want)
		}
	}
}
