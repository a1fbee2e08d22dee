package weakverifier_test

import (
	"path/filepath"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkcetest"
	"github.com/pkcevet/pkcevet/analyzers/weakverifier"
)

func TestWeakVerifier(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.Run(t, testdata, weakverifier.Analyzer, "weakverifier/...")
}

// TestRefusalFixtures turns on the analyzer's test flag: a table entry
// that expects a refusal is a fixture, one that expects success is judged.
// It must not run in parallel.
func TestRefusalFixtures(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.SetFlag(t, weakverifier.Analyzer, "test", "true")
	pkcetest.Run(t, testdata, weakverifier.Analyzer, "flags/refusaltable")
}

func TestWeakVerifierFixes(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.RunWithSuggestedFixes(t, testdata, weakverifier.Analyzer, "weakverifier/fix")
}
