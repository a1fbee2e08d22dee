package driver

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go/types"

	"golang.org/x/tools/go/packages"
)

// TestAddFactSources loads the demo, whose authsdk module wraps x/oauth2
// (a fact source), and checks that addFactSources gives what a second
// load of the patterns plus the fact sources gives: the same packages,
// each with the same package-level objects and as many recorded
// definitions and uses, and roots whose imports are the fact sources'
// new, source-checked packages (the objects their facts are on).
func TestAddFactSources(t *testing.T) {
	dir, err := filepath.Abs("../../../../testdata/demo")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	first, err := loadPackages(ctx, dir, []string{"./..."}, true, "listing packages", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, extra := factPackages(first)
	if len(extra) == 0 {
		t.Fatal("the demo has no fact sources")
	}
	fast, ok := addFactSources(first, extra)
	if !ok {
		t.Fatalf("addFactSources did not handle the demo (fact sources %v)", extra)
	}
	second, err := loadPackages(ctx, dir, append([]string{"./..."}, extra...), true, "listing packages", nil, nil)
	if err != nil {
		t.Fatal(err)
	}

	byID := make(map[string]*packages.Package)
	for _, p := range fast {
		byID[p.ID] = p
	}
	compared := 0
	for _, want := range second {
		if underTest(want) != want.PkgPath && slices.Contains(extra, underTest(want)) || isTestMain(want) && slices.Contains(extra, strings.TrimSuffix(want.ID, ".test")) {
			continue // the fact sources' own tests: load skips them
		}
		got := byID[want.ID]
		if got == nil {
			t.Errorf("%s: missing", want.ID)
			continue
		}
		if g, w := describe(got), describe(want); g != w {
			t.Errorf("%s differs:\n--- addFactSources\n%s\n--- second load\n%s", want.ID, g, w)
		}
		compared++
	}
	if compared != len(fast) {
		t.Errorf("compared %d packages, addFactSources gave %d", compared, len(fast))
	}

	sources := make(map[*types.Package]bool)
	for _, path := range extra {
		sources[byID[path].Types] = true
	}
	linked := 0
	for _, p := range first {
		for _, imp := range p.Imports {
			if slices.Contains(extra, imp.PkgPath) {
				if !slices.Contains(p.Types.Imports(), imp.Types) || !sources[imp.Types] {
					t.Errorf("%s imports %s, but not its source-checked package", p.ID, imp.PkgPath)
				}
				linked++
			}
		}
	}
	if linked == 0 {
		t.Error("no root imports a fact source")
	}
}

// describe prints what a package's type-check gave: its package-level
// objects and how many definitions, uses and types were recorded.
func describe(p *packages.Package) string {
	var b strings.Builder
	fmt.Fprintf(&b, "illTyped=%v errors=%d files=%d\n", p.IllTyped, len(p.Errors), len(p.Syntax))
	if p.Types != nil {
		scope := p.Types.Scope()
		for _, name := range scope.Names() {
			fmt.Fprintln(&b, types.ObjectString(scope.Lookup(name), nil))
		}
	}
	if p.TypesInfo != nil {
		fmt.Fprintf(&b, "defs=%d uses=%d types=%d selections=%d\n", len(p.TypesInfo.Defs), len(p.TypesInfo.Uses), len(p.TypesInfo.Types), len(p.TypesInfo.Selections))
	}
	return b.String()
}
