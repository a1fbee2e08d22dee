package driver

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
)

// TestCheck runs Check with a no-op analyzer in both modes: Run's loader
// type-checks and analyses the scanned packages only; allSyntax
// type-checks the standard library packages they import too.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"go.mod":      "module example.com/m\n\ngo 1.26\n",
		"a/a.go":      "package a\n\nimport \"strings\"\n\nfunc A() string { return strings.ToUpper(\"a\") }\n",
		"a/a_test.go": "package a\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) { A() }\n",
		"b/b.go":      "package b\n\nimport \"example.com/m/a\"\n\nvar B = a.A()\n",
	} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	var ran []string
	noop := &analysis.Analyzer{
		Name:     "noop",
		Doc:      "noop records the packages it runs on",
		Requires: []*analysis.Analyzer{inspect.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			mu.Lock()
			ran = append(ran, pass.Pkg.Path())
			mu.Unlock()
			return nil, nil
		},
	}

	st, err := Check(context.Background(), dir, []string{"./..."}, true, []*analysis.Analyzer{noop}, false)
	if err != nil {
		t.Fatal(err)
	}
	// a, its test variant, b, and (as in Run) the go test main when its
	// generated file comes from the build cache under a hashed name,
	// which isTestMain does not recognise.
	if st.Packages != len(ran) || st.Files < 4 || st.Broken != 0 {
		t.Errorf("Check: %+v, want one package per analysed root (%d), at least 4 files", st, len(ran))
	}
	ran = slices.DeleteFunc(ran, func(path string) bool { return strings.HasSuffix(path, ".test") })
	slices.Sort(ran)
	if want := []string{"example.com/m/a", "example.com/m/a", "example.com/m/b"}; !slices.Equal(ran, want) {
		t.Errorf("Check ran on %q, want %q", ran, want)
	}

	ran = nil
	st, err = Check(context.Background(), dir, []string{"./..."}, false, []*analysis.Analyzer{noop}, true)
	if err != nil {
		t.Fatal(err)
	}
	if st.Packages <= 3 || st.Broken != 0 {
		t.Errorf("Check with allSyntax: %+v, want strings and its dependencies type-checked too", st)
	}
	slices.Sort(ran)
	if want := []string{"example.com/m/a", "example.com/m/b"}; !slices.Equal(ran, want) {
		t.Errorf("Check with allSyntax ran on %q, want %q (no facts: the roots only)", ran, want)
	}
}
