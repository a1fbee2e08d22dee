package driver

import (
	"fmt"
	"go/types"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestGuard(t *testing.T) {
	base := &analysis.Analyzer{
		Name: "base",
		Doc:  "base returns 42",
		Run:  func(*analysis.Pass) (any, error) { return 42, nil },
	}
	var user *analysis.Analyzer
	user = &analysis.Analyzer{
		Name:     "user",
		Doc:      "user reads base's result by the original pointer",
		Requires: []*analysis.Analyzer{base},
		Run: func(pass *analysis.Pass) (any, error) {
			if pass.ResultOf[base].(int) != 42 {
				t.Errorf("user: base's result is %v", pass.ResultOf[base])
			}
			return nil, nil
		},
	}
	boom := &analysis.Analyzer{
		Name:     "boom",
		Doc:      "boom panics",
		Requires: []*analysis.Analyzer{base},
		Run:      func(*analysis.Pass) (any, error) { panic("kaboom") },
	}
	runUser, runBoom := user.Run, boom.Run

	got := Guard([]*analysis.Analyzer{user, boom}, false)
	if err := analysis.Validate(got); err != nil {
		t.Fatal(err)
	}
	gUser, gBoom := got[0], got[1]
	if gUser == user || gBoom == boom || gUser.Requires[0] == base || gUser.Requires[0] != gBoom.Requires[0] {
		t.Fatalf("Guard did not copy the graph consistently")
	}
	if user.Requires[0] != base || funcPtr(user.Run) != funcPtr(runUser) || funcPtr(boom.Run) != funcPtr(runBoom) {
		t.Fatalf("Guard changed the original analyzers")
	}

	pkg := types.NewPackage("example.com/p", "p")
	gBase := gUser.Requires[0]
	baseResult, err := gBase.Run(&analysis.Pass{Pkg: pkg, ResultOf: map[*analysis.Analyzer]any{}})
	if err != nil || baseResult != 42 {
		t.Fatalf("base: %v, %v", baseResult, err)
	}
	if _, err := gUser.Run(&analysis.Pass{Pkg: pkg, ResultOf: map[*analysis.Analyzer]any{gBase: baseResult}}); err != nil {
		t.Fatalf("user: %v", err)
	}
	_, err = gBoom.Run(&analysis.Pass{Pkg: pkg, ResultOf: map[*analysis.Analyzer]any{gBase: baseResult}})
	if want := "analyzer boom panicked on package example.com/p: kaboom"; err == nil || err.Error() != want {
		t.Errorf("boom: error %v, want %q", err, want)
	}

	// With stacks, a short stack follows the message: the panicking
	// function, and nothing above (runtime) or below (the guard).
	_, err = Guard([]*analysis.Analyzer{boom}, true)[0].Run(&analysis.Pass{Pkg: pkg, ResultOf: map[*analysis.Analyzer]any{}})
	if err == nil || !strings.HasPrefix(err.Error(), "analyzer boom panicked on package example.com/p: kaboom\n\tat github.com/pkcevet/pkcevet/cmd/pkcevet/internal/driver.TestGuard.func") ||
		strings.Count(err.Error(), "\n") != 1 {
		t.Errorf("boom with stacks: error %v", err)
	}
}

func funcPtr(f func(*analysis.Pass) (any, error)) uintptr { return reflect.ValueOf(f).Pointer() }

// releasable counts its releases.
type releasable struct{ released int }

func (r *releasable) Release() { r.released++ }

// TestGuardRelease: a result with a Release method is released on a
// package once every analyzer requiring it has run there, a panicking one
// included, and not before.
func TestGuardRelease(t *testing.T) {
	base := &analysis.Analyzer{
		Name:       "base",
		Doc:        "base returns a releasable result",
		ResultType: reflect.TypeFor[*releasable](),
		Run:        func(*analysis.Pass) (any, error) { return new(releasable), nil },
	}
	user := &analysis.Analyzer{
		Name:     "user",
		Doc:      "user requires base",
		Requires: []*analysis.Analyzer{base},
		Run:      func(*analysis.Pass) (any, error) { return nil, nil },
	}
	boom := &analysis.Analyzer{
		Name:     "boom",
		Doc:      "boom requires base and panics",
		Requires: []*analysis.Analyzer{base},
		Run:      func(*analysis.Pass) (any, error) { panic("kaboom") },
	}
	got := Guard([]*analysis.Analyzer{user, boom}, false)
	gUser, gBoom, gBase := got[0], got[1], got[0].Requires[0]
	p, q := types.NewPackage("example.com/p", "p"), types.NewPackage("example.com/q", "q")
	results := make(map[*types.Package]*releasable)
	for _, pkg := range []*types.Package{p, q} {
		r, err := gBase.Run(&analysis.Pass{Pkg: pkg, ResultOf: map[*analysis.Analyzer]any{}})
		if err != nil {
			t.Fatal(err)
		}
		results[pkg] = r.(*releasable)
	}
	run := func(a *analysis.Analyzer, pkg *types.Package) {
		a.Run(&analysis.Pass{Pkg: pkg, ResultOf: map[*analysis.Analyzer]any{gBase: results[pkg]}})
	}
	run(gUser, p)
	run(gBoom, q)
	if results[p].released != 0 || results[q].released != 0 {
		t.Fatalf("released after one of two users: p %d, q %d", results[p].released, results[q].released)
	}
	run(gBoom, p)
	if results[p].released != 1 || results[q].released != 0 {
		t.Fatalf("after both users on p: p released %d times, q %d; want 1, 0", results[p].released, results[q].released)
	}
	run(gUser, q)
	if results[q].released != 1 {
		t.Fatalf("after both users on q: released %d times, want 1", results[q].released)
	}
}

// TestGuardReleaseBound: the guard holds at most GOMAXPROCS releasable
// results at once, and gives a place back when a result is released, when
// its analyzer fails and when nothing requires it. A place not given back
// would make this test hang (the -timeout ends it).
func TestGuardReleaseBound(t *testing.T) {
	fail := types.NewPackage("example.com/fail", "fail")
	base := &analysis.Analyzer{
		Name:       "base",
		Doc:        "base returns a releasable result, and panics on package fail",
		ResultType: reflect.TypeFor[*releasable](),
		Run: func(pass *analysis.Pass) (any, error) {
			if pass.Pkg == fail {
				panic("kaboom")
			}
			return new(releasable), nil
		},
	}
	user := &analysis.Analyzer{
		Name:     "user",
		Doc:      "user requires base",
		Requires: []*analysis.Analyzer{base},
		Run:      func(*analysis.Pass) (any, error) { return nil, nil },
	}
	gUser := Guard([]*analysis.Analyzer{user}, false)[0]
	gBase := gUser.Requires[0]
	for i := range 3 * runtime.GOMAXPROCS(0) {
		pkg := types.NewPackage(fmt.Sprintf("example.com/p%d", i), "p")
		r, err := gBase.Run(&analysis.Pass{Pkg: pkg, ResultOf: map[*analysis.Analyzer]any{}})
		if err != nil {
			t.Fatal(err)
		}
		gUser.Run(&analysis.Pass{Pkg: pkg, ResultOf: map[*analysis.Analyzer]any{gBase: r}})
		if r.(*releasable).released != 1 {
			t.Fatalf("%s: released %d times, want 1", pkg.Path(), r.(*releasable).released)
		}
		if _, err := gBase.Run(&analysis.Pass{Pkg: fail, ResultOf: map[*analysis.Analyzer]any{}}); err == nil {
			t.Fatal("base did not fail on package fail")
		}
	}
	// Run alone, base has no analyzer to release its result.
	alone := Guard([]*analysis.Analyzer{base}, false)[0]
	for i := range 3 * runtime.GOMAXPROCS(0) {
		pkg := types.NewPackage(fmt.Sprintf("example.com/q%d", i), "q")
		if _, err := alone.Run(&analysis.Pass{Pkg: pkg, ResultOf: map[*analysis.Analyzer]any{}}); err != nil {
			t.Fatal(err)
		}
	}
}
