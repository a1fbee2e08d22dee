package missingstate_test

import (
	"path/filepath"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkcetest"
	"github.com/pkcevet/pkcevet/analyzers/missingstate"
)

func TestMissingState(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.Run(t, testdata, missingstate.Analyzer, "missingstate/...")
}

// TestRefusalFixtures turns on the analyzer's test flag: a finding in a
// test that expects the request to be refused is dropped, one in a test
// that runs a flow is kept. It must not run in parallel.
func TestRefusalFixtures(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.SetFlag(t, missingstate.Analyzer, "test", "true")
	pkcetest.Run(t, testdata, missingstate.Analyzer, "flags/refusal")
}

func TestMissingStateFixes(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.RunWithSuggestedFixes(t, testdata, missingstate.Analyzer, "missingstate/fix")
}

// TestTestCallers turns on the test flag: a test that calls a helper of
// the package's code without checking state (missingstate/callers'
// callers_test.go) does not make the helper a callback that ignores
// state. It must not run in parallel.
func TestTestCallers(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.SetFlag(t, missingstate.Analyzer, "test", "true")
	pkcetest.Run(t, testdata, missingstate.Analyzer, "missingstate/callers")
}
