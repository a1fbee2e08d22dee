package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestNewerGo: a module whose go directive is newer than the Go pkcevet
// was built with gets one line on stderr that says so and exit status 2,
// not an internal error per package.
func TestNewerGo(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"clean/clean.go": cleanSrc, "weak/weak.go": weakSrc})
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.99\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runInEnv(t, dir, []string{"GOTOOLCHAIN=local"}, binary, "./...")
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if r.code != 2 || len(lines) != 1 {
		t.Fatalf("exit %d, stderr:\n%s\nwant exit 2 and one line", r.code, r.stderr)
	}
	for _, want := range []string{"go.mod says go 1.99", "built with " + runtime.Version(), "GOTOOLCHAIN=go1.99.0 go install"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("stderr %q does not say %q", lines[0], want)
		}
	}
}
