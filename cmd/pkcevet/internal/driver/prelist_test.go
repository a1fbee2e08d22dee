package driver

import (
	"context"
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
		"go.mod": "module example.com/m\n\ngo 1.26\n",
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
	want := []string{"example.com/m/consts", "example.com/m/dot", "example.com/m/syn", "example.com/m/use"}
	if !slices.Equal(sel.paths, want) || sel.leftOut != 2 {
		t.Errorf("selected %v and left out %d, want %v and 2 (plain, typeerr)", sel.paths, sel.leftOut, want)
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
