package pkce_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
)

// TestReturnsFacts checks the function summaries a helper package exports:
// what other packages learn of its results.
func TestReturnsFacts(t *testing.T) {
	testdata, _ := filepath.Abs("../../../testdata")
	analysistest.Run(t, testdata, pkce.Analyzer, "pkceflow/...")
}
