// Package pkcetest runs an analyzer over the analysistest tree in
// testdata/src and checks what it reports against the "// want" comments
// of the files, as golang.org/x/tools/go/analysis/analysistest does, with
// the same comment syntax and the same checks: every diagnostic and fact
// must match an expectation on its line, every expectation must be met,
// and RunWithSuggestedFixes compares the fixed files with their .golden
// files.
//
// It differs from analysistest in how it loads. analysistest type-checks
// every dependency from source, the standard library included, and runs
// the analyzer on each of them, for every call: with net/http imported,
// that is about 190 packages and most of a minute per call, all but a
// fraction of a second of it spent on the standard library. pkcetest loads
// every package under testdata/src once per test binary, from source, and
// gives them the standard library from export data (as the pkcevet
// command does with a module's dependencies); the analyzer runs on the
// testdata packages that a call's patterns match and on the testdata
// packages they import, directly or not, so facts flow between them as
// they do in analysistest. A package added under testdata/src is loaded
// with the others without any list to update.
package pkcetest

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	textscanner "text/scanner"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/txtar"
)

// loadMode type-checks the testdata packages from source and gives them
// their other dependencies (the standard library) from export data. It
// has no NeedDeps, which would type-check the standard library from
// source too.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedTypes | packages.NeedTypesSizes |
	packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule

// loads holds one load of each testdata directory, shared by the tests of
// a test binary: a func() ([]*packages.Package, error) by directory.
var loads sync.Map

// Load returns every package under dir/src, with test variants (as
// analysistest loads them), from one packages.Load in GOPATH mode. Each
// package's Imports keep only the packages of the same load, so that the
// checker analyses testdata packages, never the standard library (which
// has no syntax here). The packages are shared: callers must not change
// them.
func Load(dir string) ([]*packages.Package, error) {
	f, _ := loads.LoadOrStore(dir, sync.OnceValues(func() ([]*packages.Package, error) {
		return load(dir)
	}))
	return f.(func() ([]*packages.Package, error))()
}

func load(dir string) ([]*packages.Package, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "src"))
	if err != nil {
		return nil, err
	}
	// One pattern per top-level directory: in GOPATH mode "..." alone
	// would match the whole standard library too.
	var patterns []string
	for _, e := range entries {
		if e.IsDir() {
			patterns = append(patterns, e.Name()+"/...")
		}
	}
	if len(patterns) == 0 {
		return nil, fmt.Errorf("no packages under %s", filepath.Join(dir, "src"))
	}
	cfg := &packages.Config{
		Mode:  loadMode,
		Dir:   dir,
		Tests: true,
		Env:   append(os.Environ(), "GOPATH="+dir, "GO111MODULE=off", "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	// A package that fails to load keeps its errors, for the Run calls
	// that reach it to report: the others go on.
	ours := make(map[*packages.Package]bool, len(pkgs))
	for _, p := range pkgs {
		ours[p] = true
	}
	for _, p := range pkgs {
		imports := make(map[string]*packages.Package)
		for path, imp := range p.Imports {
			if ours[imp] {
				imports[path] = imp
			}
		}
		p.Imports = imports
	}
	return pkgs, nil
}

// Match returns the packages of pkgs that a pattern matches: "p" matches
// package p and its test variants, "p/..." matches p and every package
// under it. Test variants are matched by the path of the package they
// test, and the generated test main package "p.test" with them.
func Match(pkgs []*packages.Package, patterns ...string) []*packages.Package {
	var out []*packages.Package
	for _, p := range pkgs {
		path := strings.TrimSuffix(strings.TrimSuffix(p.PkgPath, ".test"), "_test")
		for _, pat := range patterns {
			dir, tree := strings.CutSuffix(pat, "/...")
			if path == pat || tree && (path == dir || strings.HasPrefix(path, dir+"/")) {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// Run runs a on the packages under dir/src that the patterns match (and
// the testdata packages they import, for their facts) and checks its
// diagnostics and facts against the "// want" comments of the matched
// packages, as analysistest.Run does. dir is the root of a GOPATH-style
// tree, such as the repository's testdata. Run returns the checker's
// actions of the matched packages, for further checks.
func Run(t testing.TB, dir string, a *analysis.Analyzer, patterns ...string) []*checker.Action {
	t.Helper()
	all, err := Load(dir)
	if err != nil {
		t.Fatalf("loading %s: %v", dir, err)
	}
	roots := Match(all, patterns...)
	if len(roots) == 0 {
		t.Fatalf("no packages under %s match %q", filepath.Join(dir, "src"), patterns)
	}
	// Errors anywhere the analysis reaches: the checker would skip an
	// ill-typed package, and its expectations would go unchecked.
	broken := false
	packages.Visit(roots, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			t.Errorf("%s: %v", p.ID, e)
			broken = true
		}
	})
	if broken {
		t.FailNow()
	}
	res, err := checker.Analyze([]*analysis.Analyzer{a}, roots, &checker.Options{SanityCheck: true})
	if err != nil {
		t.Fatalf("analyzing %q: %v", patterns, err)
	}
	for _, act := range res.Roots {
		if act.Err != nil {
			t.Errorf("analyzing %s: %v", act, act.Err)
			continue
		}
		check(t, dir, act)
	}
	return res.Roots
}

// position is a file, relative to dir/src, and a line.
type position struct {
	file string
	line int
}

func (p position) String() string { return fmt.Sprintf("%s:%d", p.file, p.line) }

// expectation is one item of a "// want" comment: a diagnostic message
// pattern, or a fact pattern for a named object ("package" for a package
// fact).
type expectation struct {
	fact bool
	name string
	rx   *regexp.Regexp
}

func (e expectation) kind() string {
	if e.fact {
		return "fact"
	}
	return "diagnostic"
}

// check compares what act reported with the expectations of its files.
func check(t testing.TB, dir string, act *checker.Action) {
	t.Helper()
	pkg := act.Package
	rel := func(filename string) string {
		if r, err := filepath.Rel(filepath.Join(dir, "src"), filename); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
		return filename
	}
	want := make(map[position][]expectation)
	add := func(at position, text string) {
		t.Helper()
		rest, ok := strings.CutPrefix(strings.TrimSpace(text), "want")
		if !ok {
			return
		}
		delta, exps, err := parseWant(rest)
		if err != nil {
			t.Errorf("%s: in a want comment: %v", at, err)
			return
		}
		if exps != nil {
			at.line += delta
			want[at] = exps
		}
	}
	for _, f := range pkg.Syntax {
		for _, group := range f.Comments {
			for _, c := range group.List {
				text, ok := strings.CutPrefix(c.Text, "//")
				if !ok {
					text = strings.TrimSuffix(strings.TrimPrefix(c.Text, "/*"), "*/")
				}
				// A comment on a comment: "//... // want ..." counts
				// from its want.
				if i := strings.Index(text, "// want"); i >= 0 {
					text = text[i+len("// "):]
				}
				posn := pkg.Fset.Position(c.Pos()) // per comment: //line may move it
				add(position{rel(posn.Filename), posn.Line}, text)
			}
		}
	}
	for _, filename := range pkg.OtherFiles {
		data, err := os.ReadFile(filename)
		if err != nil {
			t.Errorf("reading the want comments of %s: %v", filename, err)
			continue
		}
		for i, line := range strings.Split(string(data), "\n") {
			if j := strings.Index(line, "// want"); j >= 0 {
				line = line[j:]
			}
			if j := strings.Index(line, "//"); j >= 0 {
				add(position{rel(filename), i + 1}, line[j+len("//"):])
			}
		}
	}

	got := func(posn token.Position, fact bool, name, msg string) {
		t.Helper()
		at := position{rel(posn.Filename), posn.Line}
		exps := want[at]
		var tried []string
		for i, e := range exps {
			if e.fact != fact || e.name != name {
				continue
			}
			if e.rx.MatchString(msg) {
				want[at] = slices.Delete(exps, i, i+1)
				return
			}
			tried = append(tried, fmt.Sprintf("%#q", e.rx))
		}
		kind := expectation{fact: fact}.kind()
		if tried == nil {
			t.Errorf("%s:%d:%d: unexpected %s: %s", at.file, posn.Line, posn.Column, kind, msg)
		} else {
			t.Errorf("%s:%d:%d: %s %q does not match pattern %s", at.file, posn.Line, posn.Column, kind, msg, strings.Join(tried, " or "))
		}
	}
	for _, d := range act.Diagnostics {
		got(pkg.Fset.Position(d.Pos), false, "", d.Message)
	}
	// A package fact is expected on line 1 of the first file, an object
	// fact on the line of the object's declaration.
	for _, pf := range act.AllPackageFacts() {
		if pf.Package == pkg.Types && len(pkg.Syntax) > 0 {
			posn := pkg.Fset.Position(pkg.Syntax[0].Pos())
			posn.Line, posn.Column = 1, 1
			got(posn, true, "package", fmt.Sprint(pf))
		}
	}
	objFacts := act.AllObjectFacts()
	sort.Slice(objFacts, func(i, j int) bool { return objFacts[i].Object.Pos() < objFacts[j].Object.Pos() })
	for _, of := range objFacts {
		if obj := of.Object; obj.Pkg() == pkg.Types {
			got(pkg.Fset.Position(obj.Pos()), true, obj.Name(), fmt.Sprint(of.Fact))
		}
	}

	var missing []string
	for at, exps := range want {
		for _, e := range exps {
			missing = append(missing, fmt.Sprintf("%s: no %s was reported matching %#q", at, e.kind(), e.rx))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s", m)
	}
}

// parseWant parses what follows "want" in a comment: diagnostic patterns
// ("rx" or `rx`), fact patterns (name:"rx"), and "+N" to expect them N
// lines further down.
func parseWant(text string) (delta int, exps []expectation, err error) {
	var scanErr string
	var sc textscanner.Scanner
	sc.Init(strings.NewReader(text))
	sc.Error = func(_ *textscanner.Scanner, msg string) { scanErr = msg }
	sc.Mode = textscanner.ScanIdents | textscanner.ScanStrings | textscanner.ScanRawStrings | textscanner.ScanInts
	pattern := func(tok rune) (*regexp.Regexp, error) {
		if tok != textscanner.String && tok != textscanner.RawString {
			return nil, fmt.Errorf("got %s, want a regular expression", textscanner.TokenString(tok))
		}
		s, err := strconv.Unquote(sc.TokenText())
		if err != nil {
			return nil, err
		}
		return regexp.Compile(s)
	}
	for {
		switch tok := sc.Scan(); tok {
		case '+':
			if tok = sc.Scan(); tok != textscanner.Int {
				return 0, nil, fmt.Errorf("got +%s, want +N", textscanner.TokenString(tok))
			}
			delta, _ = strconv.Atoi(sc.TokenText())
		case textscanner.String, textscanner.RawString:
			rx, err := pattern(tok)
			if err != nil {
				return 0, nil, err
			}
			exps = append(exps, expectation{rx: rx})
		case textscanner.Ident:
			name := sc.TokenText()
			if tok = sc.Scan(); tok != ':' {
				return 0, nil, fmt.Errorf("got %s after %s, want ':'", textscanner.TokenString(tok), name)
			}
			rx, err := pattern(sc.Scan())
			if err != nil {
				return 0, nil, err
			}
			exps = append(exps, expectation{fact: true, name: name, rx: rx})
		case textscanner.EOF:
			if scanErr != "" {
				return 0, nil, fmt.Errorf("%s", scanErr)
			}
			return delta, exps, nil
		default:
			return 0, nil, fmt.Errorf("unexpected %s", textscanner.TokenString(tok))
		}
	}
}

// RunWithSuggestedFixes does what Run does, then applies the suggested
// fixes of each matched package to its files and compares each fixed file
// F with F.golden, as analysistest.RunWithSuggestedFixes does: a golden
// file is either the whole fixed file (all fixes applied), or a txtar
// archive with one section per fix message (the fixes with that message
// applied). Fixes to generated files are skipped; identical edits (the
// same import added by several fixes) apply once; overlapping ones are a
// conflict. Both sides are gofmt-ed, and the fixed file loses the imports
// the fixes left unused, before they are compared.
func RunWithSuggestedFixes(t testing.TB, dir string, a *analysis.Analyzer, patterns ...string) []*checker.Action {
	t.Helper()
	acts := Run(t, dir, a, patterns...)
	// Each package alone: a file of p is also in p's test variant, with
	// the same fixes, which must not be applied twice.
	for _, act := range acts {
		pkg := act.Package
		generated := make(map[*token.File]bool)
		for _, f := range pkg.Syntax {
			generated[pkg.Fset.File(f.FileStart)] = ast.IsGenerated(f)
		}
		type edit struct {
			start, end int
			text       string
		}
		// byMessage[message][filename]: the edits of the fixes with that
		// message, in the order reported.
		byMessage := make(map[string]map[string][]edit)
		files := make(map[string]bool)
	fixes:
		for _, d := range act.Diagnostics {
			for _, fix := range d.SuggestedFixes {
				for _, e := range fix.TextEdits {
					if generated[pkg.Fset.File(e.Pos)] {
						continue fixes
					}
				}
				for _, e := range fix.TextEdits {
					tf := pkg.Fset.File(e.Pos)
					if byMessage[fix.Message] == nil {
						byMessage[fix.Message] = make(map[string][]edit)
					}
					byMessage[fix.Message][tf.Name()] = append(byMessage[fix.Message][tf.Name()],
						edit{tf.Offset(e.Pos), tf.Offset(e.End), string(e.NewText)})
					files[tf.Name()] = true
				}
			}
		}
		names := make(map[string]string) // import path -> package name
		for _, imp := range pkg.Types.Imports() {
			names[imp.Path()] = imp.Name()
		}
		apply := func(filename, what string, src []byte, edits []edit, want []byte) {
			t.Helper()
			if len(edits) == 0 {
				t.Errorf("%s: %s: no edits", filename, what)
				return
			}
			sort.SliceStable(edits, func(i, j int) bool {
				if edits[i].start != edits[j].start {
					return edits[i].start < edits[j].start
				}
				return edits[i].end < edits[j].end
			})
			edits = slices.Compact(edits)
			var out bytes.Buffer
			last := 0
			for i, e := range edits {
				if e.start < last || i > 0 && e.start == edits[i-1].start && e.start == e.end && edits[i-1].start == edits[i-1].end {
					t.Errorf("%s: %s: conflicting edits at offset %d", filename, what, e.start)
					return
				}
				out.Write(src[last:e.start])
				out.WriteString(e.text)
				last = e.end
			}
			out.Write(src[last:])
			fixed, err := formatRemovingImports(filename, out.Bytes(), names)
			if err != nil {
				t.Errorf("%s: %s: formatting the fixed file: %v\n%s", filename, what, err, out.Bytes())
				return
			}
			want, err = format.Source(want)
			if err != nil {
				t.Errorf("%s.golden: %v", filename, err)
				return
			}
			if f, w := bytes.TrimSpace(fixed), bytes.TrimSpace(want); !bytes.Equal(f, w) {
				t.Errorf("%s: %s: the fixed file differs from the golden file\n-- fixed --\n%s\n-- want --\n%s\n-- first difference --\n%s",
					filename, what, f, w, firstDifference(f, w))
			}
		}
		for _, filename := range slices.Sorted(maps.Keys(files)) {
			src, err := os.ReadFile(filename)
			if err != nil {
				t.Error(err)
				continue
			}
			ar, err := txtar.ParseFile(filename + ".golden")
			if err != nil {
				t.Errorf("reading the golden file: %v", err)
				continue
			}
			if len(ar.Files) == 0 {
				var all []edit
				for _, m := range byMessage {
					all = append(all, m[filename]...)
				}
				apply(filename, "all fixes", src, all, ar.Comment)
				continue
			}
			if len(ar.Comment) > 0 {
				t.Errorf("%s.golden: a txtar archive with a leading comment", filename)
				continue
			}
			for _, section := range ar.Files {
				apply(filename, fmt.Sprintf("the fixes %q", section.Name), src, slices.Clone(byMessage[section.Name][filename]), section.Data)
			}
		}
	}
	return acts
}

// formatRemovingImports gofmts a Go file after deleting the imports it
// does not use. An import is used when its name qualifies an identifier:
// the name it is renamed to, else the package's name from names (import
// path to name), else the last element of its path that is not a major
// version ("v2"). Blank and dot imports are kept.
func formatRemovingImports(filename string, src []byte, names map[string]string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
			return nil, list[0]
		}
		return nil, err
	}
	used := make(map[string]bool)
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	for _, imp := range slices.Clone(f.Imports) {
		path, _ := strconv.Unquote(imp.Path.Value)
		name := names[path]
		if imp.Name != nil {
			name = imp.Name.Name
		} else if name == "" {
			elems := strings.Split(path, "/")
			name = elems[len(elems)-1]
			if len(elems) > 1 && majorVersion.MatchString(name) {
				name = elems[len(elems)-2]
			}
		}
		if name == "_" || name == "." || used[name] {
			continue
		}
		if imp.Name != nil {
			astutil.DeleteNamedImport(fset, f, imp.Name.Name, path)
		} else {
			astutil.DeleteImport(fset, f, path)
		}
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

// firstDifference shows the first line where got and want differ.
func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n  fixed: %s\n  want:  %s", i+1, gl, wl)
		}
	}
	return ""
}

// SetFlag sets an analyzer flag as a command line would and restores its
// previous value when the test ends. Analyzer flags are shared by every
// test of the binary: a test that calls SetFlag must not run in parallel.
func SetFlag(t testing.TB, a *analysis.Analyzer, name, value string) {
	t.Helper()
	f := a.Flags.Lookup(name)
	if f == nil {
		t.Fatalf("analyzer %s has no flag %q", a.Name, name)
	}
	old := f.Value.String()
	if err := a.Flags.Set(name, value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Flags.Set(name, old) })
}
