package pkcetest

import (
	"fmt"
	"go/ast"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// isBad marks a function whose name starts with Bad.
type isBad struct{}

func (*isBad) AFact()         {}
func (*isBad) String() string { return "bad" }

// badCalls exports an isBad fact for each function whose name starts with
// Bad and reports each call of a function with that fact, in its package or
// another, with a fix that replaces the call by good().
var badCalls = &analysis.Analyzer{
	Name:      "badcalls",
	Doc:       "reports calls of functions named Bad*",
	FactTypes: []analysis.Fact{new(isBad)},
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && strings.HasPrefix(fd.Name.Name, "Bad") {
					pass.ExportObjectFact(pass.TypesInfo.Defs[fd.Name], new(isBad))
				}
			}
		}
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if fn := typeutil.StaticCallee(pass.TypesInfo, call); fn != nil && pass.ImportObjectFact(fn, new(isBad)) {
					pass.Report(analysis.Diagnostic{
						Pos:     call.Pos(),
						Message: "call of bad function " + fn.Name(),
						SuggestedFixes: []analysis.SuggestedFix{{
							Message:   "call good",
							TextEdits: []analysis.TextEdit{{Pos: call.Pos(), End: call.End(), NewText: []byte("good()")}},
						}},
					})
				}
				return true
			})
		}
		return nil, nil
	},
}

// recorder is a testing.TB that keeps the errors a run reports.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Error(args ...any) { r.Errorf("%s", fmt.Sprint(args...)) }

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf("FATAL: "+format, args...)
	runtime.Goexit()
}

func (r *recorder) FailNow() { runtime.Goexit() }

// record runs f with a recorder, in a goroutine of its own so that a
// Fatalf ends f alone, and returns what f reported.
func record(t *testing.T, f func(testing.TB)) []string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.errors
}

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRunPasses checks that diagnostics and facts that meet their
// expectations pass, with a fact exported in one package and used in
// another, a "+N" line offset, a test file, and a standard-library import.
func TestRunPasses(t *testing.T) {
	dir := testdata(t)
	if errs := record(t, func(tb testing.TB) { Run(tb, dir, badCalls, "ok/...") }); len(errs) > 0 {
		t.Errorf("ok/...: errors:\n%s", strings.Join(errs, "\n"))
	}
	// The test variant of ok/use was analysed too: its want comment is
	// only in use_test.go.
	var ids []string
	for _, act := range Run(t, dir, badCalls, "ok/use") {
		ids = append(ids, act.Package.ID)
	}
	if !slices.Contains(ids, "ok/use [ok/use.test]") {
		t.Errorf("analysed %q, want the test variant ok/use [ok/use.test] among them", ids)
	}
}

// TestRunFails checks that each way a result can miss its expectations is
// reported: an unexpected diagnostic, a message that does not match, an
// expectation nothing met, a pattern that matches no package.
func TestRunFails(t *testing.T) {
	dir := testdata(t)
	errs := record(t, func(tb testing.TB) { Run(tb, dir, badCalls, "wrong") })
	for _, want := range []string{
		"wrong/wrong.go:7:2: unexpected diagnostic: call of bad function BadOne",
		"wrong/wrong.go:8:2: diagnostic \"call of bad function BadOne\" does not match pattern `call of something else`",
		"wrong/wrong.go:8: no diagnostic was reported matching `call of something else`",
		"wrong/wrong.go:9: no diagnostic was reported matching `never reported`",
	} {
		if !slices.Contains(errs, want) {
			t.Errorf("missing error %q; got:\n%s", want, strings.Join(errs, "\n"))
		}
	}
	if len(errs) != 4 {
		t.Errorf("got %d errors, want 4:\n%s", len(errs), strings.Join(errs, "\n"))
	}
	// A package that does not type-check fails the runs that reach it
	// (and only those: the runs above share its load).
	errs = record(t, func(tb testing.TB) { Run(tb, dir, badCalls, "broken") })
	if len(errs) == 0 || slices.ContainsFunc(errs, func(e string) bool { return !strings.Contains(e, "broken.go:3:13") }) {
		t.Errorf("broken: errors %q, want the type error at broken.go:3:13 (from go list and the type checker)", errs)
	}
	errs = record(t, func(tb testing.TB) { Run(tb, dir, badCalls, "nosuch/...") })
	if len(errs) != 1 || !strings.Contains(errs[0], "no packages") {
		t.Errorf("nosuch/...: errors %q, want one saying no packages match", errs)
	}
}

// TestSuggestedFixes checks the comparison of fixed files with their
// golden files, both ways.
func TestSuggestedFixes(t *testing.T) {
	dir := testdata(t)
	if errs := record(t, func(tb testing.TB) { RunWithSuggestedFixes(tb, dir, badCalls, "fix") }); len(errs) > 0 {
		t.Errorf("fix: errors:\n%s", strings.Join(errs, "\n"))
	}
	errs := record(t, func(tb testing.TB) { RunWithSuggestedFixes(tb, dir, badCalls, "fixwrong") })
	if len(errs) != 1 || !strings.Contains(errs[0], "the fixed file differs from the golden file") || !strings.Contains(errs[0], "fixed: \tgood()") {
		t.Errorf("fixwrong: errors %q, want one saying the fixed file differs at good()", errs)
	}
}

func TestParseWant(t *testing.T) {
	delta, exps, err := parseWant(" +2 \"a\" `b` F:\"c\"")
	if err != nil || delta != 2 || len(exps) != 3 || exps[0].fact || exps[1].rx.String() != "b" || !exps[2].fact || exps[2].name != "F" {
		t.Errorf("parseWant = %d, %v, %v", delta, exps, err)
	}
	for _, bad := range []string{" F", " F:1", " +x", " 'c'", ` "(" `} {
		if _, _, err := parseWant(bad); err == nil {
			t.Errorf("parseWant(%q): no error", bad)
		}
	}
}
