package codereplay_test

import (
	"path/filepath"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers/codereplay"
	"github.com/pkcevet/pkcevet/analyzers/internal/pkcetest"
)

func TestCodeReplay(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.Run(t, testdata, codereplay.Analyzer, "codereplay/...")
}

// TestStrictFlag turns on -codereplay.strict: a lookup through a store
// interface implemented outside the package is then reported. It sets
// the analyzer's flag as a command line would, and restores it; it must
// not run in parallel.
func TestStrictFlag(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.SetFlag(t, codereplay.Analyzer, "strict", "true")
	pkcetest.Run(t, testdata, codereplay.Analyzer, "flags/codereplaystrict")
}
