package flowreuse_test

import (
	"path/filepath"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers/flowreuse"
	"github.com/pkcevet/pkcevet/analyzers/internal/pkcetest"
)

func TestFlowReuse(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.Run(t, testdata, flowreuse.Analyzer, "flowreuse/...")
}
