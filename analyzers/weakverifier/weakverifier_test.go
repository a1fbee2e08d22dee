package weakverifier_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/pkcevet/pkcevet/analyzers/weakverifier"
)

func TestWeakVerifier(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	analysistest.Run(t, testdata, weakverifier.Analyzer, "weakverifier/...")
}
