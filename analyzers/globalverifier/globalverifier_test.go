package globalverifier_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/pkcevet/pkcevet/analyzers/globalverifier"
)

func TestGlobalVerifier(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	analysistest.Run(t, testdata, globalverifier.Analyzer, "globalverifier/...")
}
