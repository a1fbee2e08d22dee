// Package robust holds pkcevet's robustness tests and nothing else: it
// ships no code. This file is their harness: it
// type-checks Go source text the way go/packages would, runs the six rule
// analyzers on it through golang.org/x/tools/go/analysis/checker, and
// returns what they reported. Its tests fuzz the analyzers with mutated
// sources and run them over many packages at once under the race detector.
//
// The harness is hermetic. Imports resolve to the stubs under testdata/src
// (golang.org/x/oauth2 and the rest), to the demo module, or to the standard
// library type-checked from GOROOT; any other path is an import error, so a
// fuzzed import path never reaches the network or the go command.
package robust

import (
	"bytes"
	"cmp"
	"encoding/gob"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/module"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/pkcevet/pkcevet/analyzers"
)

// GoVersion is the language version sources are checked at: the go
// directive of pkcevet's own go.mod.
const GoVersion = "go1.26"

// maxFileSetBase bounds the positions one world hands out. Every checked
// source stays in the shared token.FileSet (its line table is small, but a
// long fuzzing run checks hundreds of thousands of them), so past this many
// bytes of source Preload starts a new world; the old one is freed once the
// checks that hold it are done.
const maxFileSetBase = 256 << 20

// Analyzers returns the six rule analyzers in rule-ID order, as the
// command runs them (analyzers.All).
func Analyzers() []*analysis.Analyzer {
	return analyzers.All()
}

// Root maps the import paths below Prefix to directories below Dir. An
// empty Prefix matches every path (a GOPATH-style tree such as
// testdata/src).
type Root struct {
	Prefix string
	Dir    string
}

// A Loader type-checks sources and packages against one shared importer.
// It is safe for concurrent use: the source importer of the standard
// library is not, so every import goes through one lock, but checking the
// importing file itself, and analysing it, runs unlocked.
type Loader struct {
	roots []Root

	mu    sync.Mutex // guards world
	world *world
}

// NewLoader returns a Loader that finds non-standard packages under roots,
// tried in order.
func NewLoader(roots ...Root) *Loader {
	return &Loader{roots: slices.Clone(roots)}
}

// world is one FileSet and every package type-checked into it. Packages of
// different worlds never meet: a check takes the current world at its start
// and keeps it to the end.
type world struct {
	roots []Root
	fset  *token.FileSet
	sizes types.Sizes

	mu      sync.Mutex                // guards what follows, and is held during every import
	std     types.ImporterFrom        // the standard library, from source
	stdPkgs map[string]*types.Package // what std imported, by the path it was asked for
	pkgs    map[string]*loadedPackage // non-standard packages by import path
}

type loadedPackage struct {
	pkg *packages.Package // nil while the package is being loaded (a cycle)
	err error
}

// current returns the world that checks use, making the first.
func (l *Loader) current() *world {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.world == nil {
		l.world = l.newWorld()
	}
	return l.world
}

func (l *Loader) newWorld() *world {
	fset := token.NewFileSet()
	return &world{
		roots:   l.roots,
		fset:    fset,
		sizes:   types.SizesFor("gc", runtime.GOARCH),
		std:     importer.ForCompiler(fset, "source", nil).(types.ImporterFrom),
		stdPkgs: make(map[string]*types.Package),
		pkgs:    make(map[string]*loadedPackage),
	}
}

// Preload imports the packages with the given paths into the current
// world, so that the checks that follow find them type-checked: the first
// import of net/http from source takes seconds (three times as long under
// the race detector), which should not count against a check's time
// limit. Preload is also where a world that has grown past its bound is
// replaced; a check never replaces it. Calls for loaded packages are cheap.
func (l *Loader) Preload(paths ...string) error {
	l.mu.Lock()
	if l.world == nil || l.world.fset.Base() > maxFileSetBase {
		l.world = l.newWorld()
	}
	w := l.world
	l.mu.Unlock()
	var errs []error
	for _, path := range paths {
		if _, err := w.importLocking(path); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Reset makes the next check or load start a new world, as if the Loader
// were new. Checks under way keep the world they started with.
func (l *Loader) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.world = nil
}

// Source is a file checked by CheckSource.
type Source struct {
	Fset   *token.FileSet
	File   *token.File // nil when the file did not parse at all
	Syntax *ast.File   // as far as it parsed
	// ParseError and TypeErrors are the problems found; when both are
	// empty, Package is the file as a type-checked package.
	ParseError error
	TypeErrors []types.Error
	Package    *packages.Package
}

// CheckSource parses src as the only file of a package, named filename
// (which need not exist), and type-checks it. Imports are resolved as the
// package comment says; the package has no Imports, so analysing it
// sees no facts from its dependencies.
func (l *Loader) CheckSource(filename string, src []byte) *Source {
	w := l.current()
	s := &Source{Fset: w.fset}
	f, err := parser.ParseFile(w.fset, filename, src, parseMode)
	if f != nil {
		s.File = w.fset.File(f.FileStart)
		s.Syntax = f
	}
	if err != nil {
		s.ParseError = err
		return s
	}
	path := "robust.test/" + f.Name.Name
	pkg, typeErrs := w.check(path, []*ast.File{f}, importerFunc(w.importLocking))
	s.TypeErrors = typeErrs
	if len(typeErrs) == 0 {
		pkg.GoFiles = []string{filename}
		pkg.CompiledGoFiles = pkg.GoFiles
		s.Package = pkg
	}
	return s
}

// Prune returns src without the parts that hold the errors s found in it,
// so that a mutated source that no longer type-checks still gives the
// analyzers most of its code: each top-level declaration with an error in
// it goes (for an import declaration, just the import spec), and for an
// error outside every declaration, the line it is on. Cut text becomes
// spaces, so what remains keeps its lines and columns. Dropping a
// declaration can leave its uses undefined; pruning again removes those.
// ok is false when there is nothing to cut: no error in the file, or one
// in the package clause.
func Prune(src []byte, s *Source) (pruned []byte, ok bool) {
	if s.File == nil || s.Syntax == nil || !s.Syntax.Name.Pos().IsValid() || s.File.Size() != len(src) {
		return src, false // not even a package clause
	}
	var offsets []int
	if list, isList := s.ParseError.(scanner.ErrorList); isList {
		for _, e := range list {
			offsets = append(offsets, e.Pos.Offset)
		}
	}
	for _, e := range s.TypeErrors {
		if e.Pos.IsValid() && s.Fset.File(e.Pos) == s.File {
			offsets = append(offsets, s.File.Offset(e.Pos))
		}
	}
	f := s.Syntax
	off := func(p token.Pos) int { return s.File.Offset(p) }
	pruned = slices.Clone(src)
	cut := func(from, to int) {
		for i := max(from, 0); i < min(to, len(pruned)); i++ {
			if pruned[i] != '\n' {
				pruned[i] = ' '
			}
		}
	}
	for _, o := range offsets {
		if o < off(f.Name.End()) {
			return src, false // the package clause
		}
		if d := declAt(f, o, off); d != nil {
			from, to := off(d.Pos()), off(d.End())
			if g, isGen := d.(*ast.GenDecl); isGen {
				if g.Doc != nil {
					from = off(g.Doc.Pos())
				}
				if g.Tok == token.IMPORT && g.Lparen.IsValid() {
					for _, spec := range g.Specs {
						if off(spec.Pos()) <= o && o <= off(spec.End()) {
							from, to = off(spec.Pos()), off(spec.End())
						}
					}
				}
			} else if fd, isFunc := d.(*ast.FuncDecl); isFunc && fd.Doc != nil {
				from = off(fd.Doc.Pos())
			}
			cut(from, to)
			continue
		}
		start := bytes.LastIndexByte(src[:min(o, len(src))], '\n') + 1
		end := len(src)
		if i := bytes.IndexByte(src[min(o, len(src)):], '\n'); i >= 0 {
			end = o + i
		}
		cut(start, end)
	}
	if bytes.Equal(pruned, src) {
		return src, false
	}
	return pruned, true
}

// declAt returns the top-level declaration of f whose text holds offset o.
func declAt(f *ast.File, o int, off func(token.Pos) int) ast.Decl {
	for _, d := range f.Decls {
		if off(d.Pos()) <= o && o <= off(d.End()) {
			return d
		}
	}
	return nil
}

// Packages loads the packages with the given import paths (which must be
// found under the Loader's roots) with their non-standard imports, type-
// checked from source into one world. Each package's Imports holds the
// loaded packages it imports, so facts flow between them when analysed
// together.
func (l *Loader) Packages(paths ...string) ([]*packages.Package, error) {
	w := l.current()
	w.mu.Lock()
	defer w.mu.Unlock()
	var pkgs []*packages.Package
	for _, path := range paths {
		lp := w.load(path)
		if lp == nil {
			return nil, fmt.Errorf("package %q not found under the loader's roots", path)
		}
		if lp.err != nil {
			return nil, lp.err
		}
		pkgs = append(pkgs, lp.pkg)
	}
	return pkgs, nil
}

// parseMode is the mode go/packages parses with.
const parseMode = parser.AllErrors | parser.ParseComments | parser.SkipObjectResolution

// check type-checks files as package path, collecting every error.
func (w *world) check(path string, files []*ast.File, imp types.Importer) (*packages.Package, []types.Error) {
	var errs []types.Error
	conf := types.Config{
		Importer:  imp,
		GoVersion: GoVersion,
		Sizes:     w.sizes,
		Error: func(err error) {
			var te types.Error
			if !errors.As(err, &te) {
				te = types.Error{Fset: w.fset, Msg: err.Error()}
			}
			errs = append(errs, te)
		},
	}
	info := &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Instances:    make(map[*ast.Ident]types.Instance),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:       make(map[ast.Node]*types.Scope),
		FileVersions: make(map[*ast.File]string),
	}
	tpkg, _ := conf.Check(path, w.fset, files, info) // the error is errs[0]
	name := tpkg.Name()
	if name == "" && len(files) > 0 {
		name = files[0].Name.Name
	}
	return &packages.Package{
		ID:         path,
		Name:       name,
		PkgPath:    path,
		Fset:       w.fset,
		Syntax:     files,
		Types:      tpkg,
		TypesInfo:  info,
		TypesSizes: w.sizes,
	}, errs
}

// importerFunc adapts a function to types.Importer.
type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// importLocking is the importer of a file checked outside w.mu.
func (w *world) importLocking(path string) (*types.Package, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.importLocked(path)
}

// importLocked is the importer of the packages loaded under w.mu: the
// importer's own recursion.
func (w *world) importLocked(path string) (*types.Package, error) {
	if lp := w.load(path); lp != nil {
		if lp.err != nil {
			return nil, lp.err
		}
		return lp.pkg.Types, nil
	}
	if pkg, ok := w.stdPkgs[path]; ok {
		return pkg, nil
	}
	if !isStd(path) {
		return nil, fmt.Errorf("package %q is not in the standard library or the test roots", path)
	}
	pkg, err := w.std.ImportFrom(path, "", 0)
	if err == nil {
		// The source importer caches packages too, but finds each one
		// with go/build first, which reads the headers of all its files.
		w.stdPkgs[path] = pkg
	}
	return pkg, err
}

// load returns the package path found under the roots, type-checking it
// on first use, or nil if no root has it. It needs w.mu.
func (w *world) load(path string) *loadedPackage {
	if lp, ok := w.pkgs[path]; ok {
		if lp.pkg == nil && lp.err == nil {
			return &loadedPackage{err: fmt.Errorf("import cycle through package %q", path)}
		}
		return lp
	}
	dir := w.dir(path)
	if dir == "" {
		return nil
	}
	lp := new(loadedPackage)
	w.pkgs[path] = lp // marks the load in progress
	bp, err := build.Default.ImportDir(dir, 0)
	if err != nil {
		lp.err = fmt.Errorf("package %q: %v", path, err)
		return lp
	}
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(w.fset, filepath.Join(dir, name), nil, parseMode)
		if err != nil {
			lp.err = fmt.Errorf("package %q: %v", path, err)
			return lp
		}
		files = append(files, f)
	}
	pkg, errs := w.check(path, files, importerFunc(w.importLocked))
	if len(errs) > 0 {
		lp.err = fmt.Errorf("package %q: %v", path, errs[0])
		return lp
	}
	pkg.GoFiles = filenames(dir, bp.GoFiles)
	pkg.CompiledGoFiles = pkg.GoFiles
	pkg.Imports = make(map[string]*packages.Package)
	for _, imp := range bp.Imports {
		if dep, ok := w.pkgs[imp]; ok && dep.pkg != nil {
			pkg.Imports[imp] = dep.pkg
		}
	}
	lp.pkg = pkg
	return lp
}

// dir is the directory of path under the first root that has it, or "".
func (w *world) dir(path string) string {
	if module.CheckImportPath(path) != nil {
		return "" // also keeps "..", "." and absolute paths out
	}
	for _, r := range w.roots {
		rest := path
		if r.Prefix != "" {
			var ok bool
			if rest, ok = strings.CutPrefix(path, r.Prefix); !ok || (rest != "" && rest[0] != '/') {
				continue
			}
		}
		dir := filepath.Join(r.Dir, filepath.FromSlash(rest))
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir
		}
	}
	return ""
}

// isStd reports whether path names a standard library package other than
// the go command's own: one that the source importer can type-check
// without running the go command.
func isStd(path string) bool {
	if path == "unsafe" {
		return true
	}
	if module.CheckImportPath(path) != nil || path == "cmd" || strings.HasPrefix(path, "cmd/") {
		return false
	}
	if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
		return false
	}
	fi, err := os.Stat(filepath.Join(build.Default.GOROOT, "src", filepath.FromSlash(path)))
	return err == nil && fi.IsDir()
}

func filenames(dir string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = filepath.Join(dir, n)
	}
	return out
}

// Diagnostic is one diagnostic with the analyzer and package it came from.
type Diagnostic struct {
	Analyzer *analysis.Analyzer
	Package  *packages.Package
	analysis.Diagnostic
}

// Result is what Analyze found.
type Result struct {
	Diagnostics []Diagnostic
	// Errors are the actions that failed, and facts that gob (the
	// encoding go vet and nogo carry facts in) cannot round-trip.
	Errors []error
}

// Analyze runs the rule analyzers on pkgs, with facts flowing along the
// packages' Imports, in one checker.Analyze call: the checker runs the
// actions in parallel. A panic in an analyzer is not recovered.
func Analyze(pkgs []*packages.Package) (*Result, error) {
	g, err := checker.Analyze(Analyzers(), pkgs, &checker.Options{SanityCheck: true})
	if err != nil {
		return nil, err
	}
	res := new(Result)
	for act := range g.All() {
		if act.Err != nil {
			res.Errors = append(res.Errors, fmt.Errorf("%s: %w", act, act.Err))
			continue
		}
		if act.IsRoot {
			for _, d := range act.Diagnostics {
				res.Diagnostics = append(res.Diagnostics, Diagnostic{Analyzer: act.Analyzer, Package: act.Package, Diagnostic: d})
			}
		}
		if len(act.Analyzer.FactTypes) > 0 {
			for _, f := range act.AllObjectFacts() {
				if err := roundTrip(f.Fact); err != nil {
					res.Errors = append(res.Errors, fmt.Errorf("%s: fact %T on %s: %v", act, f.Fact, f.Object, err))
				}
			}
			for _, f := range act.AllPackageFacts() {
				if err := roundTrip(f.Fact); err != nil {
					res.Errors = append(res.Errors, fmt.Errorf("%s: package fact %T: %v", act, f.Fact, err))
				}
			}
		}
	}
	slices.SortFunc(res.Diagnostics, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Pos, b.Pos), cmp.Compare(a.Category, b.Category), cmp.Compare(a.Message, b.Message))
	})
	return res, nil
}

// roundTrip gob-encodes a fact twice, checks that both encodings are the
// same, and decodes it: what a modular driver does with every fact.
func roundTrip(fact analysis.Fact) error {
	var b1, b2 bytes.Buffer
	if err := gob.NewEncoder(&b1).Encode(fact); err != nil {
		return err
	}
	if err := gob.NewEncoder(&b2).Encode(fact); err != nil {
		return err
	}
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		return errors.New("gob encoding is not deterministic")
	}
	decoded := reflect.New(reflect.TypeOf(fact).Elem()).Interface()
	return gob.NewDecoder(&b1).Decode(decoded)
}
