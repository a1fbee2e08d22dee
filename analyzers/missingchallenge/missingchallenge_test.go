package missingchallenge_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/pkcevet/pkcevet/analyzers/missingchallenge"
)

func TestMissingChallenge(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	analysistest.Run(t, testdata, missingchallenge.Analyzer, "missingchallenge/...")
}
