package timingcompare_test

import (
	"path/filepath"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkcetest"
	"github.com/pkcevet/pkcevet/analyzers/timingcompare"
)

func TestTimingCompare(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.RunWithSuggestedFixes(t, testdata, timingcompare.Analyzer, "timingcompare/a")
}

// TestStateFlag turns on -timingcompare.state. It sets the analyzer's flag
// as a command line would, and restores it; it must not run in parallel.
func TestStateFlag(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.SetFlag(t, timingcompare.Analyzer, "state", "true")
	pkcetest.Run(t, testdata, timingcompare.Analyzer, "timingcompare/state")
}

// TestTestFiles turns on the test flag: a test's own assertions on the
// verifiers and challenges it made are not reported, a fake server inside
// the test is. It must not run in parallel.
func TestTestFiles(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.SetFlag(t, timingcompare.Analyzer, "test", "true")
	pkcetest.Run(t, testdata, timingcompare.Analyzer, "timingcompare/tests")
}
