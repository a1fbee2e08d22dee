package verifierexposed_test

import (
	"path/filepath"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
	"github.com/pkcevet/pkcevet/analyzers/internal/pkcetest"
	"github.com/pkcevet/pkcevet/analyzers/verifierexposed"
)

func TestVerifierExposed(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	// verifierexposed/helper is analysed for its facts (it is imported)
	// and checked by TestExposureFacts.
	pkcetest.Run(t, testdata, verifierexposed.Analyzer,
		"verifierexposed/crosspkg", "verifierexposed/errs", "verifierexposed/fix", "verifierexposed/front", "verifierexposed/issue18",
		"verifierexposed/logs", "verifierexposed/lookalikes", "verifierexposed/responses", "verifierexposed/server",
		"verifierexposed/thirdparty")
}

// TestExposureFacts checks the summaries a helper package with no mark of
// OAuth code exports for its importers.
func TestExposureFacts(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.Run(t, testdata, pkce.ExposureAnalyzer, "verifierexposed/helper")
}

func TestVerifierExposedFixes(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.RunWithSuggestedFixes(t, testdata, verifierexposed.Analyzer, "verifierexposed/fix")
}
