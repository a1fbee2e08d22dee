package plainmethod_test

import (
	"path/filepath"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkcetest"
	"github.com/pkcevet/pkcevet/analyzers/plainmethod"
)

func TestPlainMethod(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.Run(t, testdata, plainmethod.Analyzer, "plainmethod/...")
}

func TestPlainMethodFixes(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.RunWithSuggestedFixes(t, testdata, plainmethod.Analyzer, "plainmethod/fix")
}
