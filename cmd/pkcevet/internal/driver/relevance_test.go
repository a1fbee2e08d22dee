package driver

import (
	"context"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/pkcevet/pkcevet/analyzers"
)

// TestSplitRoots checks which roots every analyzer runs on: the relevant
// ones, what they import, and those with a directive; and that a stale
// directive in a package that is not relevant is still reported.
func TestSplitRoots(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26\n",
		// util has no mark, but auth, which is relevant, imports it:
		// its summaries are read.
		"util/util.go": "package util\n\nfunc Encode(b []byte) string { return string(b) }\n",
		"auth/auth.go": "package auth\n\nimport \"example.com/m/util\"\n\nfunc NewVerifier(b []byte) string { return util.Encode(b) }\n",
		// cli is relevant through its import of auth.
		"cli/cli.go": "package cli\n\nimport \"example.com/m/auth\"\n\nvar V = auth.NewVerifier(nil)\n",
		// other and its import lib have no mark, and nothing relevant
		// imports them.
		"lib/lib.go":     "package lib\n\nfunc Code() int { return 1 }\n",
		"other/other.go": "package other\n\nimport \"example.com/m/lib\"\n\nvar X = lib.Code()\n",
		// stale has no mark but a directive, which suppresses nothing.
		"stale/stale.go": "package stale\n\n//pkcevet:ignore PKCE003 kept from an old version\nvar Y = 2\n",
	})
	l, err := load(context.Background(), dir, []string{"./..."}, false, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	all, rest := splitRoots(l.roots)
	paths := func(ps []*packages.Package) []string {
		var out []string
		for _, p := range ps {
			out = append(out, strings.TrimPrefix(p.PkgPath, "example.com/m/"))
		}
		slices.Sort(out)
		return out
	}
	if got, want := paths(all), []string{"auth", "cli", "stale", "util"}; !slices.Equal(got, want) {
		t.Errorf("roots every analyzer runs on: %v, want %v", got, want)
	}
	if got, want := paths(rest), []string{"lib", "other"}; !slices.Equal(got, want) {
		t.Errorf("roots only the ungated analyzers run on: %v, want %v", got, want)
	}

	r, err := Run(context.Background(), Config{Analyzers: analyzers.All(), Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var stale []string
	for _, f := range r.Findings {
		if strings.Contains(f.Message, "unused //pkcevet:ignore") {
			stale = append(stale, f.RuleID+" "+f.Pos.File)
		}
	}
	if len(stale) != 1 || !strings.HasPrefix(stale[0], "PKCE003 ") || !strings.HasSuffix(stale[0], "stale.go") {
		t.Errorf("unused-directive findings %v, want one PKCE003 in stale/stale.go", stale)
	}
}
