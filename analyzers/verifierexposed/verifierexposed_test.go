package verifierexposed_test

import (
	"path/filepath"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkcetest"
	"github.com/pkcevet/pkcevet/analyzers/verifierexposed"
)

func TestVerifierExposed(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.Run(t, testdata, verifierexposed.Analyzer, "verifierexposed/...")
}

func TestVerifierExposedFixes(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.RunWithSuggestedFixes(t, testdata, verifierexposed.Analyzer, "verifierexposed/fix")
}
