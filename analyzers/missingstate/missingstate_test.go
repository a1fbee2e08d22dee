package missingstate_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/pkcevet/pkcevet/analyzers/missingstate"
)

func TestMissingState(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	analysistest.Run(t, testdata, missingstate.Analyzer, "missingstate/...")
}
