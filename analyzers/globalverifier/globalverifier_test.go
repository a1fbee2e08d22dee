package globalverifier_test

import (
	"path/filepath"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers/globalverifier"
	"github.com/pkcevet/pkcevet/analyzers/internal/pkcetest"
)

func TestGlobalVerifier(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.Run(t, testdata, globalverifier.Analyzer, "globalverifier/...")
}
