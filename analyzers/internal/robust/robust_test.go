package robust

import (
	"fmt"
	"go/ast"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/go/packages"

	"github.com/pkcevet/pkcevet/rules"
)

// testdata is the repository's testdata directory, from this package's
// directory (where go test runs).
const testdata = "../../../testdata"

// loader is the one Loader of the test process: the standard library is
// type-checked from source once and shared by every test and fuzz input.
var loader = sync.OnceValue(func() *Loader {
	abs, err := filepath.Abs(testdata)
	if err != nil {
		panic(err)
	}
	return NewLoader(
		Root{Dir: filepath.Join(abs, "src")},
		Root{Prefix: "example.com/pkcedemo", Dir: filepath.Join(abs, "demo")},
	)
})

// preload type-checks every package that testdata imports, before the
// checks that follow (see Loader.Preload). A package
// that fails is left for the check that imports it to report.
func preload(tb testing.TB) {
	tb.Helper()
	var paths []string
	for _, src := range seedFiles(tb) {
		paths = append(paths, imports(src)...)
	}
	if err := loader().Preload(paths...); err != nil {
		tb.Logf("preloading: %v", err)
	}
}

// ruleOf maps each analyzer name to the ID of its rule.
var ruleOf = sync.OnceValue(func() map[string]string {
	m := make(map[string]string)
	for _, r := range rules.All() {
		m[r.Analyzer] = r.ID
	}
	return m
})

// checkDiagnostics checks what every diagnostic must be, whatever the
// input: a range inside one of the package's files, the analyzer's rule ID
// as category, and a message in the house style (STYLE.md habit 4).
func checkDiagnostics(t testing.TB, diags []Diagnostic) {
	t.Helper()
	for _, d := range diags {
		pkg := d.Package
		fset := pkg.Fset
		at := fset.Position(d.Pos)
		tf := fset.File(d.Pos)
		if !d.Pos.IsValid() || tf == nil || !ownsFile(pkg, tf) {
			t.Errorf("%s: diagnostic %q has position %v (%s), not in a file of package %s", d.Analyzer.Name, d.Message, d.Pos, at, pkg.PkgPath)
			continue
		}
		if d.End.IsValid() {
			if fset.File(d.End) != tf || d.End < d.Pos || int(d.End) > tf.Base()+tf.Size() {
				t.Errorf("%s: %s: diagnostic %q ends at %v (%s), before its start or outside its file", d.Analyzer.Name, at, d.Message, d.End, fset.Position(d.End))
			}
		}
		for _, r := range d.Related {
			// A source in another package (a fact's) is a file of a
			// package this one imports.
			if tf := fset.File(r.Pos); !r.Pos.IsValid() || !ownsFile(pkg, tf) && !importsFile(pkg, tf) {
				t.Errorf("%s: %s: related information %q has position %v, not in a file of the package or of one it imports", d.Analyzer.Name, at, r.Message, r.Pos)
			}
		}
		if want := ruleOf()[d.Analyzer.Name]; d.Category != want || !isRuleID(d.Category) {
			t.Errorf("%s: %s: category %q, want %q", d.Analyzer.Name, at, d.Category, want)
		}
		if problem := messageProblem(d.Message, pkg); problem != "" {
			t.Errorf("%s: %s: message %q %s", d.Analyzer.Name, at, d.Message, problem)
		}
	}
}

// isRuleID reports whether s is the ID of a rule.
func isRuleID(s string) bool {
	_, ok := rules.Get(s)
	return ok
}

// ownsFile reports whether tf is one of pkg's files.
func ownsFile(pkg *packages.Package, tf *token.File) bool {
	if tf == nil {
		return false
	}
	for _, f := range pkg.Syntax {
		if pkg.Fset.File(f.FileStart) == tf {
			return true
		}
	}
	return false
}

// importsFile reports whether tf is named after a Go file of a package
// that pkg imports, directly or not.
func importsFile(pkg *packages.Package, tf *token.File) bool {
	if tf == nil {
		return false
	}
	seen := make(map[*packages.Package]bool)
	var walk func(p *packages.Package) bool
	walk = func(p *packages.Package) bool {
		if seen[p] {
			return false
		}
		seen[p] = true
		if p != pkg && slices.Contains(p.CompiledGoFiles, tf.Name()) {
			return true
		}
		for _, q := range p.Imports {
			if walk(q) {
				return true
			}
		}
		return false
	}
	return walk(pkg)
}

// messageProblem says what is wrong with a diagnostic message, or "". A
// message is one line of valid UTF-8 without a final period, and starts
// lower-case unless its first word is an acronym ("PKCE is skipped ...") or
// a Go identifier used in the package: the API it names ("AuthCodeURL
// builds an authorization request ...").
func messageProblem(msg string, pkg *packages.Package) string {
	switch {
	case msg == "":
		return "is empty"
	case !utf8.ValidString(msg):
		return "is not valid UTF-8"
	case strings.ContainsAny(msg, "\r\n"):
		return "spans lines"
	case strings.HasSuffix(msg, "."):
		return "ends with a period"
	}
	first, _ := utf8.DecodeRuneInString(msg)
	if !unicode.IsUpper(first) {
		return ""
	}
	word, _, _ := strings.Cut(msg, " ")
	if isAcronym(word) || token.IsIdentifier(word) && usesIdent(pkg, word) {
		return ""
	}
	return "starts with an upper-case letter, but not with an acronym or an identifier of the code"
}

// isAcronym reports whether word is written in capitals, like PKCE or
// S256: at least two upper-case letters and no lower-case one.
func isAcronym(word string) bool {
	upper := 0
	for _, r := range word {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2
}

// usesIdent reports whether an identifier called name occurs in pkg.
func usesIdent(pkg *packages.Package, name string) bool {
	found := false
	for _, f := range pkg.Syntax {
		ast.Inspect(f, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == name {
				found = true
			}
			return !found
		})
	}
	return found
}

// TestCheckSource checks the harness itself: a file with a finding is
// analysed, a file with a type error or an unknown import is not, and
// imports resolve to the stubs and the standard library.
func TestCheckSource(t *testing.T) {
	const good = `package p

import (
	"net/http"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{ClientID: "id"}

func login(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, cfg.AuthCodeURL("state"), http.StatusFound)
}
`
	preload(t)
	var res *Result
	var err error
	s := loader().CheckSource("good.go", []byte(good))
	if s.Package != nil {
		res, err = Analyze([]*packages.Package{s.Package})
	}
	if s.Package == nil {
		t.Fatalf("good source did not type-check: %v %v", s.ParseError, s.TypeErrors)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("analysis errors: %v", res.Errors)
	}
	checkDiagnostics(t, res.Diagnostics)
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, fmt.Sprintf("%d %s", s.Fset.Position(d.Pos).Line, d.Category))
	}
	// PKCE001 for the missing challenge, PKCE004 for the constant state.
	if want := []string{"12 PKCE001", "12 PKCE004"}; !slices.Equal(got, want) {
		t.Errorf("diagnostics = %q, want %q", got, want)
	}

	for name, src := range map[string]string{
		"type error":      "package p\n\nvar x int = \"s\"\n",
		"unknown import":  "package p\n\nimport _ \"example.org/nowhere\"\n",
		"go command tree": "package p\n\nimport _ \"cmd/go\"\n",
		"relative import": "package p\n\nimport _ \"../robust\"\n",
	} {
		s := loader().CheckSource(name+".go", []byte(src))
		if s.Package != nil || len(s.TypeErrors) == 0 {
			t.Errorf("%s: package type-checked without errors", name)
		}
	}
	if s := loader().CheckSource("syntax.go", []byte("package p\n\nfunc {")); s.ParseError == nil || s.Package != nil {
		t.Errorf("syntax error: ParseError = %v", s.ParseError)
	}
}

// TestPrune checks that pruning turns broken sources into well-typed ones
// that keep the code around the errors.
func TestPrune(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		keep      []string // what the pruned, well-typed source still has
	}{
		{
			name: "type error in a function",
			src:  "package p\n\nfunc good() int { return 1 }\n\n// bad is broken.\nfunc bad() int { return \"s\" }\n",
			keep: []string{"func good() int"},
		},
		{
			name: "uses of a dropped declaration",
			src:  "package p\n\nvar v int = \"s\"\n\nfunc user() int { return v }\n\nfunc other() {}\n",
			keep: []string{"func other() {}"},
		},
		{
			name: "unused and unknown imports",
			src:  "package p\n\nimport (\n\t\"fmt\"\n\t\"example.org/nowhere\"\n\t\"strings\"\n)\n\nvar s = strings.ToUpper(\"x\")\n",
			keep: []string{`"strings"`, "var s = strings.ToUpper"},
		},
		{
			name: "syntax error",
			src:  "package p\n\nfunc ok() {}\n\nfunc broken( {\n}\n\nvar after = 1\n",
			keep: []string{"func ok() {}"},
		},
	} {
		text := []byte(tc.src)
		var s *Source
		for range pruneRounds {
			s = loader().CheckSource("prune.go", text)
			if s.Package != nil {
				break
			}
			var ok bool
			if text, ok = Prune(text, s); !ok {
				break
			}
		}
		if s.Package == nil {
			t.Errorf("%s: still broken after pruning: %v %v\n%s", tc.name, s.ParseError, s.TypeErrors, text)
			continue
		}
		if len(text) != len(tc.src) || strings.Count(string(text), "\n") != strings.Count(tc.src, "\n") {
			t.Errorf("%s: pruning moved text:\n%s", tc.name, text)
		}
		for _, k := range tc.keep {
			if !strings.Contains(string(text), k) {
				t.Errorf("%s: pruned source lost %q:\n%s", tc.name, k, text)
			}
		}
	}
	if _, ok := Prune([]byte("package p\n"), loader().CheckSource("ok.go", []byte("package p\n"))); ok {
		t.Error("Prune cut a source without errors")
	}
	bad := []byte("package 1\n")
	if _, ok := Prune(bad, loader().CheckSource("bad.go", bad)); ok {
		t.Error("Prune cut a source whose package clause is broken")
	}
}

// concurrentPackages are the testdata packages the concurrency test
// analyses: every analyzer's cases, the fact-exporting helpers they
// import, and the demo module.
var concurrentPackages = []string{
	"codereplay/mapstore",
	"globalverifier/a",
	"missingchallenge/client",
	"missingchallenge/server",
	"missingstate/a",
	"missingstate/stateutil",
	"pkceflow/randutil",
	"plainmethod/client",
	"flowreuse/a",
	"plainmethod/server",
	"redirecturi/a",
	"timingcompare/a",
	"timingcompare/state",
	"verifierexposed/crosspkg",
	"verifierexposed/errs",
	"weakverifier/a",
	"weakverifier/randutil",
	"example.com/pkcedemo/authserver",
	"example.com/pkcedemo/internal/pkceutil",
	"example.com/pkcedemo/store",
}

// TestConcurrentAnalyzers runs the analyzers over many packages at once:
// one checker.Analyze call on all of them (the checker runs its actions in
// parallel) while other goroutines each analyse one package, twice over,
// and others check and analyse each testdata file alone.
// Under -race it finds state that passes share; it also checks that every
// package gets the same diagnostics however it is analysed.
func TestConcurrentAnalyzers(t *testing.T) {
	preload(t)
	pkgs, err := loader().Packages(concurrentPackages...)
	if err != nil {
		t.Fatal(err)
	}

	const rounds = 2
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		errs   []error
		all    [rounds]*Result
		single [rounds][]*Result
	)
	record := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err)
	}
	for r := range rounds {
		single[r] = make([]*Result, len(pkgs))
		wg.Go(func() {
			res, err := Analyze(pkgs)
			if err != nil {
				record(err)
				return
			}
			all[r] = res
		})
		for i, p := range pkgs {
			wg.Go(func() {
				res, err := Analyze([]*packages.Package{p})
				if err != nil {
					record(fmt.Errorf("%s: %v", p.PkgPath, err))
					return
				}
				single[r][i] = res
			})
		}
	}
	// Meanwhile, check and analyse every seed file on its own, as the
	// fuzz target does, so that type-checking new files into the shared
	// world races with the analyses too.
	var seedDiags [][]Diagnostic
	for _, src := range seedFiles(t) {
		wg.Go(func() {
			s := loader().CheckSource("seed.go", []byte(src))
			if s.Package == nil {
				return
			}
			res, err := Analyze([]*packages.Package{s.Package})
			if err == nil && len(res.Errors) > 0 {
				err = res.Errors[0]
			}
			if err != nil {
				record(fmt.Errorf("a seed: %v", err))
				return
			}
			mu.Lock()
			defer mu.Unlock()
			seedDiags = append(seedDiags, res.Diagnostics)
		})
	}
	wg.Wait()
	for _, diags := range seedDiags {
		checkDiagnostics(t, diags)
	}
	for _, err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}

	want := byPackage(all[0])
	for r := range rounds {
		for _, e := range all[r].Errors {
			t.Errorf("round %d, all packages: %v", r, e)
		}
		checkDiagnostics(t, all[r].Diagnostics)
		if got := byPackage(all[r]); r > 0 && !maps.EqualFunc(got, want, slices.Equal[[]string]) {
			t.Errorf("round %d: the diagnostics of the joint analysis differ from round 0", r)
		}
		for i, p := range pkgs {
			for _, e := range single[r][i].Errors {
				t.Errorf("round %d, %s alone: %v", r, p.PkgPath, e)
			}
			got := byPackage(single[r][i])[p.PkgPath]
			if !slices.Equal(got, want[p.PkgPath]) {
				t.Errorf("round %d, %s analysed alone:\n%s\nwant, as analysed with the others:\n%s",
					r, p.PkgPath, strings.Join(got, "\n"), strings.Join(want[p.PkgPath], "\n"))
			}
		}
	}

	// The test proves little if the packages raise nothing: every rule
	// must fire somewhere.
	fired := make(map[string]bool)
	for _, d := range all[0].Diagnostics {
		fired[d.Category] = true
	}
	for _, r := range rules.All() {
		if !fired[r.ID] {
			t.Errorf("no %s (%s) diagnostic in the concurrent run", r.ID, r.Analyzer)
		}
	}
	t.Logf("%d packages, %d diagnostics", len(pkgs), len(all[0].Diagnostics))
}

// byPackage renders a result's diagnostics as text, by package path.
func byPackage(res *Result) map[string][]string {
	m := make(map[string][]string)
	for _, d := range res.Diagnostics {
		p := d.Package
		m[p.PkgPath] = append(m[p.PkgPath], fmt.Sprintf("%s: %s: %s", p.Fset.Position(d.Pos), d.Category, d.Message))
	}
	return m
}
