package driver

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"

	"github.com/pkcevet/pkcevet/analyzers"
	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/report"
)

// metaMode lists packages with their files and import graph and nothing
// else: go list -deps -json, without -export or -compiled, compiles
// nothing.
const metaMode = packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule

// selection is what selectRelevant decides before anything is
// type-checked.
type selection struct {
	// paths are the import paths to type-check and analyse: the
	// packages the patterns match that can hold a finding, feed one, or
	// have errors (see selectRelevant).
	paths []string
	// leftOut counts the packages the patterns match that are left out
	// (a package and its test variants as one).
	leftOut int
	// failures are the patterns that matched nothing.
	failures []report.Failure
	// mainDirs are the directories of the main modules of the listed
	// packages.
	mainDirs []string
	// facts are the packages analysed for their facts only (see
	// factPackages) that the selected packages import, by path.
	facts []string
	// syntax holds the parsed files of the selected packages, for their
	// load.
	syntax *syntaxReader
}

// listing is the metadata of the packages the patterns match and of
// their dependencies (metaMode): what selectRelevant decides on and the
// result cache keys on.
type listing struct {
	pkgs  []*packages.Package // as packages.Load returned them
	roots []*packages.Package // pkgs without the generated test mains
}

// listPackages lists the packages the patterns match and their
// dependencies without type-checking or compiling anything. It returns
// nil when the listing cannot serve selectRelevant (a pattern that names
// files, whose package has no import path to load it again by).
func listPackages(ctx context.Context, dir string, patterns []string, tests bool, progress *Progress) (*listing, error) {
	for _, pat := range patterns {
		if strings.HasSuffix(pat, ".go") {
			return nil, nil
		}
	}
	cfg := &packages.Config{Context: ctx, Mode: metaMode, Dir: dir, Tests: tests}
	progress.Phase("listing packages", 0)
	progress.SetActivity(goActivity)
	end, ok := startGoCommand(ctx)
	if !ok {
		return nil, context.Cause(ctx)
	}
	pkgs, err := packages.Load(cfg, patterns...)
	end()
	if err != nil {
		return nil, goListError(err)
	}
	ls := &listing{pkgs: pkgs}
	for _, p := range pkgs {
		if isTestMain(p) {
			continue
		}
		if p.PkgPath == "command-line-arguments" {
			return nil, nil
		}
		ls.roots = append(ls.roots, p)
	}
	return ls, nil
}

// selectRelevant parses the files of the listed packages that the
// patterns matched, and decides which of them to type-check: the ones
// splitRoots would give every analyzer after a full load, and the ones
// with errors.
//
// The relevance test is analyzers.RelevantSyntax, which holds whenever
// analyzers.Relevant holds on the type-checked package, with the same
// import graph: the matched packages and the ones factPackages adds
// (main-module imports and dependencies that import x/oauth2). A matched
// package is selected when it is relevant, has a //pkcevet:ignore
// directive, has parse errors, or has list errors or imports a package
// with some, directly or not (a missing import, a module that cannot be
// downloaded, an import cycle: an import that could not be resolved may
// be a relevant package, and the failure is reported as a full load
// reports it); then, with them, the matched packages they import,
// directly or not. The others are never type-checked: their type
// errors go unreported (README, "What is not type-checked").
func selectRelevant(dir string, patterns []string, ls *listing, progress *Progress) *selection {
	pkgs, roots := ls.pkgs, ls.roots
	sel := &selection{failures: unmatchedPatterns(dir, patterns, pkgs)}
	var extra []string
	sel.mainDirs, extra = factPackages(roots)

	// The import graph relevance is decided over: the roots and, for
	// facts, the packages factPackages adds (by path; test variants of
	// those are not part of it, as in load).
	inGraph := make(map[*packages.Package]bool)
	for _, p := range roots {
		inGraph[p] = true
	}
	isExtra := make(map[string]bool, len(extra))
	for _, path := range extra {
		isExtra[path] = true
	}
	packages.Visit(roots, nil, func(p *packages.Package) {
		if isExtra[p.PkgPath] && p.ID == p.PkgPath {
			inGraph[p] = true
		}
	})

	r := newSyntaxReader()
	memo := make(map[*packages.Package]bool)
	var relevant func(p *packages.Package) bool
	relevant = func(p *packages.Package) bool {
		if v, ok := memo[p]; ok {
			return v
		}
		memo[p] = false // imports form no cycle; this only guards against one
		files, _ := r.files(p)
		v := analyzers.RelevantSyntax(files, func(path string) bool {
			imp := p.Imports[path]
			if imp == nil {
				return false
			}
			if imp.PkgPath == analyzers.OAuth2Path || strings.HasPrefix(imp.PkgPath, analyzers.OAuth2Path+"/") {
				return true
			}
			return inGraph[imp] && relevant(imp)
		}, r.constValues(p))
		memo[p] = v
		return v
	}
	// The matched packages to type-check, by path, and what they
	// import: the roots, and through the fact packages in between.
	need := make(map[string]bool)
	isRoot := make(map[*packages.Package]bool, len(roots))
	for _, p := range roots {
		isRoot[p] = true
	}
	visited := make(map[*packages.Package]bool)
	var add func(p *packages.Package)
	add = func(p *packages.Package) {
		if visited[p] {
			return
		}
		visited[p] = true
		if isRoot[p] {
			need[underTest(p)] = true
		}
		for _, imp := range p.Imports {
			if inGraph[imp] {
				add(imp)
			}
		}
	}
	paths := make(map[string]bool) // the matched packages, by path
	for _, p := range roots {
		if !strings.HasSuffix(p.ID, ".test") {
			paths[underTest(p)] = true
		}
	}
	progress.Phase("reading syntax", len(paths))
	read := make(map[string]bool)
	// A package that does not list cleanly, or imports one, directly or
	// not: its errors are reported as a full load reports them.
	brokenMemo := make(map[*packages.Package]bool)
	var broken func(p *packages.Package) bool
	broken = func(p *packages.Package) bool {
		if v, ok := brokenMemo[p]; ok {
			return v
		}
		brokenMemo[p] = false // a cycle is an error of a package in it
		v := len(p.Errors) > 0
		for _, imp := range p.Imports {
			v = broken(imp) || v
		}
		brokenMemo[p] = v
		return v
	}
	for _, p := range roots {
		files, parseErrs := r.files(p)
		if broken(p) || parseErrs || slices.ContainsFunc(files, analyzers.HasDirective) || relevant(p) {
			add(p)
		}
		if path := underTest(p); paths[path] && !read[path] {
			read[path] = true
			progress.Add(1)
		}
	}
	progress.EndPhase()

	for _, path := range slices.Sorted(maps.Keys(paths)) {
		if need[path] {
			sel.paths = append(sel.paths, path)
		} else {
			sel.leftOut++
		}
	}
	var kept []*packages.Package
	for _, p := range roots {
		if need[underTest(p)] {
			kept = append(kept, p)
		}
	}
	r.retain(kept)
	sel.syntax = r
	_, sel.facts = factPackages(kept)
	return sel
}

// syntaxReader parses the files of listed packages, each file once, and
// resolves the constants they name, in their own package or in the
// packages they import, from those packages' syntax.
type syntaxReader struct {
	fset   *token.FileSet
	mu     sync.Mutex
	parsed map[string]*parsedFile
	consts map[*packages.Package]*packageConsts
}

// packageConsts indexes the constants of a package as names are looked
// up, so that resolving pkg.Name reads little of pkg: resolving
// http.StatusOK, reflect.String or runtime.GOOS, which most packages do,
// used to parse every file of net/http, reflect and runtime that has a
// constant (1.6 s of the 2.5 s that deciding relevance took on
// tailscale.com's 477 packages).
//
// A file is looked at only when its source spells the name, and one
// that is not parsed already is not parsed whole: go/scanner finds its
// package-level constant declarations, and only those, with its imports,
// are parsed (topConsts). Package level is enough there: another package
// can name only those, and a package-level constant refers only to
// those. A package's own files, which selectRelevant parses anyway, are
// indexed whole: their function bodies' constants too.
type packageConsts struct {
	src    map[string][]byte      // files with "const" in them, not indexed yet
	top    map[string][]constDecl // package-level constants of the files indexed
	looked map[string]bool        // names whose files are all indexed in top
	all    map[string][]constDecl // every constant of the parsed files; nil until built
}

type parsedFile struct {
	f   *ast.File
	bad bool // a parse error, or the file could not be read
}

// constDecl is the expression of a constant, in its file.
type constDecl struct {
	expr ast.Expr
	file *ast.File
}

func newSyntaxReader() *syntaxReader {
	return &syntaxReader{
		fset:   token.NewFileSet(),
		parsed: make(map[string]*parsedFile),
		consts: make(map[*packages.Package]*packageConsts),
	}
}

// parseAgain is packages.Config.ParseFile, for the load of the selected
// packages in r.fset: a file r parsed without error is not parsed again.
func (r *syntaxReader) parseAgain(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	r.mu.Lock()
	pf := r.parsed[filename]
	r.mu.Unlock()
	if fset == r.fset && pf != nil && pf.f != nil && !pf.bad {
		return pf.f, nil
	}
	return parseGoFile(fset, filename, src)
}

// retain drops the trees of every file but those of the packages keep,
// and the constants read: what the load of the selected packages can use.
func (r *syntaxReader) retain(keep []*packages.Package) {
	files := make(map[string]bool)
	for _, p := range keep {
		for _, name := range p.GoFiles {
			files[name] = true
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for name := range r.parsed {
		if !files[name] {
			delete(r.parsed, name)
		}
	}
	r.consts = nil
}

// files returns the parsed Go files of p, and whether one of them could
// not be read or parsed.
func (r *syntaxReader) files(p *packages.Package) ([]*ast.File, bool) {
	var files []*ast.File
	bad := false
	for _, name := range p.GoFiles {
		pf := r.parse(name, nil)
		bad = bad || pf.bad
		if pf.f != nil {
			files = append(files, pf.f)
		}
	}
	return files, bad
}

// parse parses the file name once. src is its content, when the caller
// has read it already.
func (r *syntaxReader) parse(name string, src []byte) *parsedFile {
	r.mu.Lock()
	pf, ok := r.parsed[name]
	r.mu.Unlock()
	if ok {
		return pf
	}
	pf = &parsedFile{}
	var err error
	if src == nil {
		src, err = os.ReadFile(name)
	}
	if err != nil {
		pf.bad = true
	} else {
		// As the typed load would: parseAgain hands it the same tree.
		pf.f, err = parser.ParseFile(r.fset, name, src, goFileMode)
		pf.bad = err != nil
	}
	r.mu.Lock()
	r.parsed[name] = pf
	r.mu.Unlock()
	return pf
}

// constsNamed returns the constants named name that p declares: at
// package level and, when p's files are parsed, in functions too (a name
// may have several). The predeclared iota, true, false and nil are never
// looked up: a package that declared a constant so named could not use
// the predeclared one.
func (r *syntaxReader) constsNamed(p *packages.Package, name string) []constDecl {
	switch name {
	case "iota", "true", "false", "nil", "_":
		return nil
	}
	pc := r.packageConsts(p)
	if pc.all == nil && r.allParsed(p) {
		pc.all = make(map[string][]constDecl)
		files, _ := r.files(p)
		for _, f := range files {
			indexConsts(f, pc.all, true)
		}
	}
	if pc.all != nil {
		return pc.all[name]
	}
	return r.topConstsNamed(p, name)
}

// topConstsNamed returns the package-level constants named name that p
// declares.
func (r *syntaxReader) topConstsNamed(p *packages.Package, name string) []constDecl {
	pc := r.packageConsts(p)
	if pc.looked[name] {
		return pc.top[name]
	}
	pc.looked[name] = true
	for _, file := range p.GoFiles { // in order: the values keep the files' order
		src, ok := pc.src[file]
		if !ok || !bytes.Contains(src, []byte(name)) {
			continue
		}
		delete(pc.src, file)
		r.mu.Lock()
		pf := r.parsed[file]
		r.mu.Unlock()
		if pf != nil && pf.f != nil {
			indexConsts(pf.f, pc.top, false)
		} else if decls := topConsts(src); decls != nil {
			if f, err := parser.ParseFile(r.fset, file+" (constants)", decls, goFileMode); f != nil && err == nil {
				indexConsts(f, pc.top, false)
			}
		}
	}
	return pc.top[name]
}

// packageConsts returns p's index, reading which of its files have a
// constant the first time.
func (r *syntaxReader) packageConsts(p *packages.Package) *packageConsts {
	pc := r.consts[p]
	if pc == nil {
		pc = &packageConsts{src: make(map[string][]byte), top: make(map[string][]constDecl), looked: make(map[string]bool)}
		r.consts[p] = pc
		for _, file := range p.GoFiles {
			if src, err := os.ReadFile(file); err == nil && bytes.Contains(src, []byte("const")) {
				pc.src[file] = src
			}
		}
	}
	return pc
}

// allParsed reports whether every file of p is parsed already.
func (r *syntaxReader) allParsed(p *packages.Package) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, file := range p.GoFiles {
		if pf := r.parsed[file]; pf == nil {
			return false
		}
	}
	return true
}

// topConsts returns the package clause, the import declarations and the
// package-level constant declarations of the Go source src, found with
// go/scanner, as a source to parse; nil when it has no constant
// declaration at package level.
func topConsts(src []byte) []byte {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var sc scanner.Scanner
	sc.Init(file, src, nil, 0)
	out := []byte("package p\n")
	found := false
	depth := 0 // of (, [ and {
	for {
		pos, tok, _ := sc.Scan()
		switch tok {
		case token.EOF:
			if !found {
				return nil
			}
			return out
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		case token.IMPORT, token.CONST:
			if depth != 0 {
				continue
			}
			// The declaration runs to the semicolon that ends it at
			// depth 0: after its closing parenthesis, or its line.
			start, end := file.Offset(pos), len(src)
			for d := 0; ; {
				p, t, _ := sc.Scan()
				if t == token.EOF {
					break
				}
				if t == token.LPAREN || t == token.LBRACK || t == token.LBRACE {
					d++
				} else if t == token.RPAREN || t == token.RBRACK || t == token.RBRACE {
					d--
				} else if t == token.SEMICOLON && d == 0 {
					end = min(file.Offset(p), len(src))
					break
				}
			}
			found = found || tok == token.CONST
			out = append(out, src[start:end]...)
			out = append(out, ";\n"...)
		}
	}
}

// indexConsts adds the constants that f declares to byName: at package
// level, and in functions too when inFuncs is set.
func indexConsts(f *ast.File, byName map[string][]constDecl, inFuncs bool) {
	ast.Inspect(f, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncDecl); ok && !inFuncs {
			return false
		}
		d, ok := n.(*ast.GenDecl)
		if !ok || d.Tok != token.CONST {
			return true
		}
		var last []ast.Expr // a spec without values repeats the previous ones
		for _, spec := range d.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Values) > 0 {
				last = vs.Values
			}
			for i, id := range vs.Names {
				if i < len(last) {
					byName[id.Name] = append(byName[id.Name], constDecl{last[i], f})
				}
			}
		}
		return false
	})
}

// maxValues bounds the values one expression may have (a name declared
// as several constants, concatenated with another such name): past it,
// the rest are dropped. No real package comes near.
const maxValues = 64

// constValues returns the function that gives the values an expression
// of p's files may have as a string constant, for
// analyzers.RelevantSyntax: string literals, p's constants, the
// constants of the packages p imports (pkg.Name, or Name for a dot
// import), concatenations and conversions of those. It errs towards more
// values: a name that p declares as several constants has all their
// values, and a call with one argument is taken for a conversion.
func (r *syntaxReader) constValues(p *packages.Package) func(ast.Expr) []string {
	files, _ := r.files(p)
	var file *ast.File // the file of the last expression resolved
	return func(e ast.Expr) []string {
		if file == nil || e.Pos() < file.FileStart || e.Pos() >= file.FileEnd {
			file = nil
			for _, f := range files {
				if f.FileStart <= e.Pos() && e.Pos() < f.FileEnd {
					file = f
				}
			}
		}
		return r.eval(p, file, e, 0)
	}
}

// eval gives the values of e, in the file f of p; depth bounds the
// references followed (a cycle is an error of the package anyway).
func (r *syntaxReader) eval(p *packages.Package, f *ast.File, e ast.Expr, depth int) []string {
	if depth > 20 {
		return nil
	}
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			if s, err := strconv.Unquote(e.Value); err == nil {
				return []string{s}
			}
		}
	case *ast.ParenExpr:
		return r.eval(p, f, e.X, depth+1)
	case *ast.Ident:
		var out []string
		for _, d := range r.constsNamed(p, e.Name) {
			out = appendValues(out, r.eval(p, d.file, d.expr, depth+1))
		}
		if f != nil {
			for _, spec := range f.Imports {
				if spec.Name != nil && spec.Name.Name == "." {
					if imp := importOf(p, spec); imp != nil {
						for _, d := range r.topConstsNamed(imp, e.Name) {
							out = appendValues(out, r.eval(imp, d.file, d.expr, depth+1))
						}
					}
				}
			}
		}
		return out
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		if !ok || f == nil {
			return nil
		}
		for _, spec := range f.Imports {
			imp := importOf(p, spec)
			if imp == nil {
				continue
			}
			name := imp.Name
			if spec.Name != nil {
				name = spec.Name.Name
			}
			if name != x.Name {
				continue
			}
			var out []string
			for _, d := range r.topConstsNamed(imp, e.Sel.Name) {
				out = appendValues(out, r.eval(imp, d.file, d.expr, depth+1))
			}
			return out
		}
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return nil
		}
		left := r.eval(p, f, e.X, depth+1)
		right := r.eval(p, f, e.Y, depth+1)
		var out []string
		for _, a := range left {
			for _, b := range right {
				out = appendValues(out, []string{a + b})
			}
		}
		return out
	case *ast.CallExpr:
		if len(e.Args) == 1 {
			return r.eval(p, f, e.Args[0], depth+1)
		}
	}
	return nil
}

// appendValues appends vs to out, up to maxValues.
func appendValues(out, vs []string) []string {
	for _, v := range vs {
		if len(out) >= maxValues {
			break
		}
		out = append(out, v)
	}
	return out
}

// importOf is the package that an import spec of p's files names.
func importOf(p *packages.Package, spec *ast.ImportSpec) *packages.Package {
	path, err := strconv.Unquote(spec.Path.Value)
	if err != nil {
		return nil
	}
	return p.Imports[path]
}
