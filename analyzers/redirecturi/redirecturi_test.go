package redirecturi_test

import (
	"path/filepath"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkcetest"
	"github.com/pkcevet/pkcevet/analyzers/redirecturi"
)

func TestRedirectURI(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.Run(t, testdata, redirecturi.Analyzer, "redirecturi/...")
}
