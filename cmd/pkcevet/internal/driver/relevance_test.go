package driver

import (
	"context"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/pkcevet/pkcevet/analyzers"
	"github.com/pkcevet/pkcevet/analyzers/timingcompare"
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
		"auth/auth.go": "package auth\n\nimport \"example.com/m/util\"\n\nfunc NewCodeVerifier(b []byte) string { return util.Encode(b) }\n",
		// cli is relevant through its import of auth.
		"cli/cli.go": "package cli\n\nimport \"example.com/m/auth\"\n\nvar V = auth.NewCodeVerifier(nil)\n",
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

	var log strings.Builder
	r, err := Run(context.Background(), Config{Analyzers: analyzers.All(), Dir: dir, Progress: NewProgress(&log, false)})
	if err != nil {
		t.Fatal(err)
	}
	// The analysing phase counts the packages analysed; the last line
	// counts those and the ones left out, and they add up.
	for _, want := range []string{"analysing: 4/4 packages\n", "done: 1 finding; 6 packages: 4 analysed, 2 left out (no OAuth or PKCE mark), in "} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("progress log has no %q:\n%s", want, log.String())
		}
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

// TestGated checks which analyzers a driver may leave out of packages
// that are not relevant: all of them, but PKCE005's once -timingcompare.state
// asks it to judge state comparisons too. It sets the analyzer's flag as
// a command line would, and restores it; it must not run in parallel.
func TestGated(t *testing.T) {
	for _, a := range analyzers.All() {
		if !analyzers.Gated(a) {
			t.Errorf("%s is not gated by default", a.Name)
		}
	}
	tc := timingcompare.Analyzer
	if err := tc.Flags.Set("state", "true"); err != nil {
		t.Fatal(err)
	}
	defer tc.Flags.Set("state", "false")
	if analyzers.Gated(tc) {
		t.Errorf("%s is gated with -state", tc.Name)
	}
	if got := ungated(analyzers.Configure(analyzers.All(), analyzers.Options{})); len(got) != 1 || got[0].Name != tc.Name {
		t.Errorf("ungated analyzers with -state: %v, want %s alone", got, tc.Name)
	}
	// A package with no mark: the state comparison is still judged.
	dir := writeFiles(t, map[string]string{
		"go.mod":   "module example.com/m\n\ngo 1.26\n",
		"cb/cb.go": "package cb\n\nfunc Check(state, expectedState string) bool { return state == expectedState }\n",
	})
	r, err := Run(context.Background(), Config{Analyzers: analyzers.All(), Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || r.Findings[0].RuleID != "PKCE005" {
		t.Errorf("findings with -state %+v, want one PKCE005", r.Findings)
	}
}
