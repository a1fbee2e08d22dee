package driver

import (
	"context"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers"
	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/evaltargets"
	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/report"
)

// TestSelectRelevant checks which packages are type-checked without -all:
// the ones with a mark read from syntax — here only through constants
// that another package declares and the package concatenates — with what
// they import, and the ones with parse errors; not the others, whose type
// errors go unreported.
func TestSelectRelevant(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26\n\nrequire example.com/dep v0.0.0\n\nreplace example.com/dep => ./depmod\n",
		// A dependency's package-level constant, read without parsing
		// its file whole (topConsts); the same name in a function is
		// not it.
		"depmod/go.mod":       "module example.com/dep\n\ngo 1.26\n",
		"depmod/keys/keys.go": "package keys\n\nfunc F() string {\n\tconst Prefix = \"client_\"\n\treturn Prefix\n}\n\nconst (\n\tPrefix = \"redirect_\"\n\tOther  = \"none\"\n)\n",
		"depuse/u.go":         "package depuse\n\nimport \"example.com/dep/keys\"\n\nvar U = keys.Prefix + \"uri\"\n",
		"depnot/n.go":         "package depnot\n\nimport \"example.com/dep/keys\"\n\nvar N = keys.Prefix + \"id\"\n",
		// No mark of its own: "client_" is no parameter name.
		"consts/c.go": "package consts\n\nconst A = \"client_\"\n\nconst (\n\tB = A\n\tC\n)\n",
		// "client_id" is a constant only once concatenated: a mark.
		"use/use.go": "package use\n\nimport k \"example.com/m/consts\"\n\nvar X = k.C + \"id\"\n",
		// The same through a dot import and a conversion.
		"dot/dot.go": "package dot\n\nimport . \"example.com/m/consts\"\n\ntype S string\n\nvar Y = S(A + \"secret\")\n",
		// A parse error: reported, even with no mark.
		"syn/syn.go": "package syn\n\nfunc F() int {\n\treturn 1 +\n}\n",
		// No mark: left out, its type error unreported.
		"plain/p.go":   "package plain\n\nconst A = \"client\"\n\nvar Z = A + \"_name\"\n",
		"typeerr/t.go": "package typeerr\n\nvar N int = \"s\"\n",
	})
	ls, err := listPackages(context.Background(), dir, []string{"./..."}, false, nil)
	if err != nil || ls == nil {
		t.Fatalf("listPackages: %v, %v", ls, err)
	}
	sel := selectRelevant(dir, []string{"./..."}, ls, nil)
	want := []string{"example.com/m/consts", "example.com/m/depuse", "example.com/m/dot", "example.com/m/syn", "example.com/m/use"}
	if !slices.Equal(sel.paths, want) || sel.leftOut != 3 {
		t.Errorf("selected %v and left out %d, want %v and 3 (depnot, plain, typeerr)", sel.paths, sel.leftOut, want)
	}

	failed := func(all bool) []string {
		r, err := Run(context.Background(), Config{Analyzers: analyzers.All(), Dir: dir, All: all})
		if err != nil {
			t.Fatal(err)
		}
		var pkgs []string
		for _, f := range r.Failures {
			pkgs = append(pkgs, f.Package)
		}
		return pkgs
	}
	if got := failed(false); !slices.Equal(got, []string{"example.com/m/syn"}) {
		t.Errorf("failures without -all: %v, want syn's parse error alone", got)
	}
	if got := failed(true); !slices.Equal(got, []string{"example.com/m/syn", "example.com/m/typeerr"}) {
		t.Errorf("failures with -all: %v, want syn's and typeerr's", got)
	}
}

// TestSelectedFindingsMatchAll checks that leaving out the packages with no
// mark changes no finding: Run prints the same findings (and failures)
// with and without All, with and without tests, on the demo module, on the
// analyzers' test fixtures (testdata/src, loaded in GOPATH mode), and on
// the eval modules when `make eval` has fetched them (testdata/eval/work).
func TestSelectedFindingsMatchAll(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo, the fixtures and the eval modules four times each")
	}
	root, err := filepath.Abs("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	type target struct {
		name, dir string
		patterns  []string
		env       []string // KEY=value
	}
	targets := []target{
		{"demo", filepath.Join(root, "testdata/demo"), nil, []string{"GOFLAGS=-mod=mod", "GOPROXY=off"}},
		{"fixtures", filepath.Join(root, "testdata/src"), nil,
			[]string{"GO111MODULE=off", "GOPATH=" + filepath.Join(root, "testdata"), "GOFLAGS="}},
	}
	for _, m := range evaltargets.All() {
		dir := filepath.Join(root, "testdata/eval/work", m.ScratchName())
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			targets = append(targets, target{m.Path(), dir, m.Patterns(), []string{"GOFLAGS=-mod=mod", "GOPROXY=off"}})
		}
	}
	for _, tg := range targets {
		for _, tests := range []bool{false, true} {
			name := tg.name
			if tests {
				name += " -test"
			}
			t.Run(strings.ReplaceAll(name, "/", "_"), func(t *testing.T) {
				for _, kv := range tg.env {
					k, v, _ := strings.Cut(kv, "=")
					t.Setenv(k, v)
				}
				run := func(all bool) *report.Report {
					r, err := Run(context.Background(), Config{Analyzers: analyzers.All(), Patterns: tg.patterns, Dir: tg.dir, Tests: tests, All: all})
					if err != nil {
						t.Fatal(err)
					}
					return r
				}
				selected, all := run(false), run(true)
				if len(all.Findings) == 0 {
					t.Errorf("no findings with -all: the comparison proves nothing")
				}
				if !reflect.DeepEqual(selected.Findings, all.Findings) {
					t.Errorf("%d findings without -all, %d with; they differ", len(selected.Findings), len(all.Findings))
					for i := range min(len(selected.Findings), len(all.Findings)) {
						if !reflect.DeepEqual(selected.Findings[i], all.Findings[i]) {
							t.Errorf("first difference: %+v\nwith -all: %+v", selected.Findings[i], all.Findings[i])
							break
						}
					}
				}
				if !reflect.DeepEqual(selected.Failures, all.Failures) {
					t.Errorf("failures without -all %+v, with %+v", selected.Failures, all.Failures)
				}
			})
		}
	}
}

// TestTopConsts checks the declarations topConsts keeps: the imports and
// the package-level constants, in blocks, on one line or over several;
// not the constants of function bodies or function literals, nor any
// other declaration.
func TestTopConsts(t *testing.T) {
	src := `package dep

import "strings"

import (
	k "example.com/keys"
)

const Single = "client_" + "id"

const (
	Block   = k.Prefix +
		"secret"
	Kind = iota
	Repeat
)

var fn = func() int {
	const inLiteral = "redirect_uri"
	return len(inLiteral)
}

type G[T any] struct{ v [2]T }

func F() string {
	const inFunc = "code_challenge"
	return strings.ToUpper(inFunc)
}

const Last = "grant_type"`
	got := string(topConsts([]byte(src)))
	f, err := parser.ParseFile(token.NewFileSet(), "", got, 0)
	if err != nil {
		t.Fatalf("topConsts gave a source that does not parse: %v\n%s", err, got)
	}
	var imports, consts []string
	for _, spec := range f.Imports {
		imports = append(imports, spec.Path.Value)
	}
	byName := make(map[string][]constDecl)
	indexConsts(f, byName, true)
	for name := range byName {
		consts = append(consts, name)
	}
	slices.Sort(consts)
	if want := []string{`"strings"`, `"example.com/keys"`}; !slices.Equal(imports, want) {
		t.Errorf("imports %v, want %v", imports, want)
	}
	if want := []string{"Block", "Kind", "Last", "Repeat", "Single"}; !slices.Equal(consts, want) {
		t.Errorf("constants %v, want %v\n%s", consts, want, got)
	}
	if len(f.Decls) != 5 {
		t.Errorf("%d declarations, want 5 (two imports, three of constants)\n%s", len(f.Decls), got)
	}
	if topConsts([]byte("package p\n\nfunc F() { const c = 1 }\n")) != nil {
		t.Error("a file with no package-level constant: want nil")
	}
}
