package pkce

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

// TestBuildSSA checks that buildSSA gives every source function the SSA
// form buildssa.Analyzer gives it, instruction by instruction, with the
// same callees (their packages and synthetic kinds included), and that
// init stores the same values. It runs on a few standard packages; for a
// wider check (std, the eval modules with their tests):
//
//	PKCE_SSAEQUIV='std' go test -run TestBuildSSA ./analyzers/internal/pkce
//
// with PKCE_SSAEQUIV_DIR a module directory to load from and
// PKCE_SSAEQUIV_TESTS=1 to load test variants too.
func TestBuildSSA(t *testing.T) {
	pats := os.Getenv("PKCE_SSAEQUIV")
	if pats == "" {
		pats = "net/url encoding/json os/exec crypto/rand"
	}
	cfg := &packages.Config{Mode: packages.LoadSyntax | packages.NeedModule, Dir: os.Getenv("PKCE_SSAEQUIV_DIR"), Tests: os.Getenv("PKCE_SSAEQUIV_TESTS") != ""}
	pkgs, err := packages.Load(cfg, strings.Fields(pats)...)
	if err != nil {
		t.Fatal(err)
	}
	ok := map[*packages.Package]bool{}
	for _, p := range pkgs {
		ok[p] = !p.IllTyped
	}
	var roots []*packages.Package
	for _, p := range pkgs {
		if !ok[p] || strings.HasSuffix(p.ID, ".test") {
			continue
		}
		imps := map[string]*packages.Package{}
		for k, v := range p.Imports {
			if ok[v] {
				imps[k] = v
			}
		}
		p.Imports = imps
		roots = append(roots, p)
	}
	var mu sync.Mutex
	var fails []string
	var nfn, nimp, nall int
	a := &analysis.Analyzer{
		Name:       "buildssacompare",
		Doc:        "x",
		Requires:   []*analysis.Analyzer{buildssa.Analyzer, ctrlflow.Analyzer},
		ResultType: reflect.TypeOf(0),
		Run: func(pass *analysis.Pass) (any, error) {
			want := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
			init, got := buildSSA(pass)
			var bad []string
			if len(got) != len(want.SrcFuncs) {
				bad = append(bad, fmt.Sprintf("%s: %d funcs, want %d", pass.Pkg.Path(), len(got), len(want.SrcFuncs)))
			} else {
				for i := range got {
					g, w := dump(got[i]), dump(want.SrcFuncs[i])
					if g != w {
						bad = append(bad, fmt.Sprintf("%s: %s differs:\n--- got\n%s\n--- want\n%s", pass.Pkg.Path(), w[:strings.Index(w, "\n")], g, w))
					}
				}
			}
			if g, w := initStores(init), initStores(want.Pkg.Func("init")); g != w {
				bad = append(bad, fmt.Sprintf("%s: init stores differ:\n%s\n---\n%s", pass.Pkg.Path(), g, w))
			}
			mu.Lock()
			fails = append(fails, bad...)
			nfn += len(got)
			nimp += len(neededImports(pass))
			nall += len(pass.Pkg.Imports())
			mu.Unlock()
			return 0, nil
		},
	}
	if _, err := checker.Analyze([]*analysis.Analyzer{a}, roots, nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d packages, %d functions, %d of %d imports created", len(roots), nfn, nimp, nall)
	for i, f := range fails {
		if i > 10 {
			break
		}
		t.Error(f)
	}
	if len(fails) > 0 {
		t.Errorf("%d differences", len(fails))
	}
}

// dump prints fn's SSA form and what its callees, globals and function
// operands are.
func dump(fn *ssa.Function) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s synthetic=%q pkg=%v\n", fn, fn.Synthetic, fn.Pkg != nil)
	ssa.WriteFunction(&b, fn)
	for _, blk := range fn.Blocks {
		for _, instr := range blk.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok {
				if callee := c.Common().StaticCallee(); callee != nil {
					fmt.Fprintf(&b, "callee %s pkg=%v synth=%q origin=%v blocks=%d params=%d\n", callee, callee.Pkg != nil, callee.Synthetic, callee.Origin() != nil, len(callee.Blocks), len(callee.Params))
				}
			}
			for _, op := range instr.Operands(nil) {
				if g, ok := (*op).(*ssa.Global); ok {
					fmt.Fprintf(&b, "global %s pkg=%v\n", g, g.Pkg != nil)
				}
				if f, ok := (*op).(*ssa.Function); ok {
					fmt.Fprintf(&b, "func %s pkg=%v synth=%q\n", f, f.Pkg != nil, f.Synthetic)
				}
			}
		}
	}
	return b.String()
}

// initStores prints the package variables' initial values that init
// stores, with value names and block numbers left out: buildssa's init
// has a guard and calls of the imports' initialisers, which shift both.
func initStores(fn *ssa.Function) string {
	var b bytes.Buffer
	for _, blk := range fn.Blocks {
		for _, instr := range blk.Instrs {
			if st, ok := instr.(*ssa.Store); ok {
				if g, ok := st.Addr.(*ssa.Global); ok && g.Name() == "init$guard" {
					continue
				}
				fmt.Fprintf(&b, "%s %s\n", st, st.Val.String())
			}
		}
	}
	s := regexp.MustCompile(`\bt[0-9]+\b`).ReplaceAllString(b.String(), "t")
	return regexp.MustCompile(`\b[0-9]+: `).ReplaceAllString(s, "")
}
