package missingchallenge_test

import (
	"path/filepath"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkcetest"
	"github.com/pkcevet/pkcevet/analyzers/missingchallenge"
)

func TestMissingChallenge(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.Run(t, testdata, missingchallenge.Analyzer, "missingchallenge/...")
}

// TestConfidentialFlag turns on -missingchallenge.confidential: a code
// redemption by a confidential client whose authorization request is not
// in the package is then reported. It sets the analyzer's flag as a
// command line would, and restores it; it must not run in parallel.
func TestConfidentialFlag(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.SetFlag(t, missingchallenge.Analyzer, "confidential", "true")
	pkcetest.Run(t, testdata, missingchallenge.Analyzer, "flags/confidential")
}

func TestMissingChallengeFixes(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.RunWithSuggestedFixes(t, testdata, missingchallenge.Analyzer, "missingchallenge/fix")
}
