package driver

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"go/build"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/pkcevet/pkcevet/analyzers"
	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/report"
)

// loadMode type-checks the root packages from source and gives them their
// dependencies' types from export data (packages.LoadSyntax plus modules).
// It has no NeedDeps: that would type-check every dependency, standard
// library included, from source — measured 6× slower and 9× the memory on
// x/tools' analysis packages. Imports is still set, to the packages of the
// same load, so the roots' import graph can be handed to the checker.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedTypes | packages.NeedTypesSizes |
	packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule | packages.NeedExportFile

// loaded is the outcome of load.
type loaded struct {
	// roots are the packages to analyse, type-checked from source, with
	// Imports pruned to other roots (see prune).
	roots []*packages.Package
	// reported holds the roots that the patterns matched; the others were
	// added only so that facts flow from them (see factPackages).
	reported map[*packages.Package]bool
	failures []report.Failure
	// mainDirs are the directories of the main modules that the loaded
	// packages belong to (one, or several in a go.work workspace).
	mainDirs []string
	// leftOut counts the packages the patterns match that were not
	// loaded at all (see loadSelected).
	leftOut int
}

// loadSelected is load, of the packages that selectRelevant selects
// unless all is set (or the packages cannot be listed first: see
// listPackages): the others are listed and parsed, never type-checked,
// and counted in leftOut. ls is the listing of the patterns, when the
// caller has it already.
func loadSelected(ctx context.Context, dir string, patterns []string, tests, all bool, ls *listing, progress *Progress) (*loaded, error) {
	if all {
		return load(ctx, dir, patterns, tests, true, progress)
	}
	if ls == nil {
		var err error
		if ls, err = listPackages(ctx, dir, patterns, tests, progress); err != nil {
			return nil, err
		}
		if ls == nil {
			return load(ctx, dir, patterns, tests, true, progress)
		}
	}
	sel := selectRelevant(dir, patterns, ls, progress)
	var err error
	l := &loaded{reported: make(map[*packages.Package]bool)}
	if len(sel.paths) > 0 {
		// The packages analysed for their facts are known from the
		// listing: without test files they are loaded from source by
		// the same go list, rather than added after the load by
		// re-typing what imports them (addFactSources: 1.3 s of
		// in-process CPU on tailscale.com, whose k8s client-go
		// transport imports x/oauth2). With -test, go list would load
		// their tests too, whose imports a dependency's module need
		// not provide: addFactSources adds them then.
		load := sel.paths
		if !tests {
			load = append(slices.Clone(sel.paths), sel.facts...)
		}
		phase := "listing " + plural(len(sel.paths), "package") + " to type-check"
		if l, err = loadPhase(ctx, dir, load, sel.paths, tests, true, phase, sel.syntax, progress); err != nil {
			return nil, err
		}
	}
	l.failures = append(sel.failures, l.failures...)
	l.mainDirs = sel.mainDirs
	l.leftOut = sel.leftOut
	return l, nil
}

// load finds and type-checks the packages that the patterns match and,
// with facts, the packages of the main modules that they import, directly
// or not, and the dependencies that may hold OAuth wrappers (see
// factSource).
//
// Those extra packages matter for facts: when the scan is ./cmd/..., a
// weak-verifier helper in ./internal/auth must still be analysed for the
// command's use of it to be judged, but its own findings are not the
// user's question and are not reported.
//
// It runs one packages.Load (one go list) and finds the extra packages in
// its import graph. When there are some, they must be type-checked from
// source and their importers' types must refer to those packages'
// objects, on which their facts are set: addFactSources does so in
// place, re-typing only what imports them. Only when it cannot (an error
// in one of those packages, say) does load run a second packages.Load
// of the patterns and the extra packages together. Without facts (the
// bench's floor), there is neither.
//
// progress, if not nil, is told about the phases: listing (go list,
// which also compiles the dependencies' export data) and type-checking.
func load(ctx context.Context, dir string, patterns []string, tests, facts bool, progress *Progress) (*loaded, error) {
	return loadPhase(ctx, dir, patterns, patterns, tests, facts, "listing packages", nil, progress)
}

// loadPhase is load of the patterns, of which only the packages that
// reported matches are reported (the others are loaded for their facts),
// with the name of the listing phase for progress, and the files that
// syntax parsed already, if not nil.
func loadPhase(ctx context.Context, dir string, patterns, reported []string, tests, facts bool, phase string, syntax *syntaxReader, progress *Progress) (*loaded, error) {
	pkgs, err := loadPackages(ctx, dir, patterns, tests, phase, syntax, progress)
	if err != nil {
		return nil, err
	}
	reportOnly := make(map[string]bool) // when reported is not patterns: its paths
	if len(reported) < len(patterns) {
		for _, path := range reported {
			reportOnly[path] = true
		}
	}
	matched := make(map[string]bool) // import paths the patterns to report match
	for _, p := range pkgs {
		if !isTestMain(p) && !strings.HasSuffix(p.ID, ".test") && (len(reportOnly) == 0 || reportOnly[underTest(p)]) {
			matched[underTest(p)] = true
		}
	}
	failures := unmatchedPatterns(dir, reported, pkgs)
	mainDirs, extra := factPackages(pkgs)
	if facts && len(extra) > 0 {
		var ok bool
		if pkgs, ok = addFactSources(pkgs, extra); !ok {
			if pkgs, err = loadPackages(ctx, dir, append(slices.Clone(patterns), extra...), tests, phase, syntax, progress); err != nil {
				return nil, err
			}
		}
	}
	l := &loaded{reported: make(map[*packages.Package]bool), failures: failures, mainDirs: mainDirs}
	// A package's errors, gathered over its variants: with -test, the
	// package p is loaded again as p [p.test], with the same errors and
	// perhaps more, which must make one line, not two.
	var broken []string // import paths, in order of appearance
	errs := make(map[string][]packages.Error)
	imports := make(map[string]map[string]*packages.Package)
	var illTyped []*packages.Package // reported roots that only their imports break
	for _, p := range pkgs {
		if isTestMain(p) {
			continue // generated test driver: nothing of the user's in it
		}
		if matched[underTest(p)] {
			l.reported[p] = true
		} else if strings.Contains(p.ID, " [") {
			// With -test, the test variants of packages added for
			// their facts: no other root imports them.
			continue
		}
		l.roots = append(l.roots, p)
		if len(p.Errors) > 0 {
			path := cmp.Or(p.PkgPath, p.ID)
			if _, ok := errs[path]; !ok {
				broken = append(broken, path)
				imports[path] = make(map[string]*packages.Package)
			}
			errs[path] = append(errs[path], p.Errors...)
			maps.Copy(imports[path], p.Imports)
		} else if p.IllTyped && l.reported[p] {
			illTyped = append(illTyped, p)
		}
	}
	isRoot := make(map[*packages.Package]bool, len(l.roots))
	for _, p := range l.roots {
		isRoot[p] = true
	}
	for _, p := range illTyped {
		// go/packages marks a package ill-typed when a dependency
		// has errors, and the checker skips it: say so, or its
		// findings would vanish without a word.
		l.failures = append(l.failures, report.Failure{
			Package: p.PkgPath,
			Message: "not analyzed: " + brokenImports(dir, p, isRoot),
		})
	}
	for _, path := range broken {
		l.failures = append(l.failures, packageFailure(dir, path, errs[path], imports[path]))
	}
	prune(l.roots)
	// With -test, a package that does not compile makes its importers'
	// test variants ill-typed too: one line each is enough.
	seen := make(map[report.Failure]bool)
	l.failures = slices.DeleteFunc(l.failures, func(f report.Failure) bool {
		key := report.Failure{Package: f.Package, Message: f.Message}
		if seen[key] {
			return true
		}
		seen[key] = true
		return false
	})
	return l, nil
}

// prune cuts each root's Imports down to the roots it imports, so that the
// checker builds actions for the roots only: facts flow between scanned
// packages and nothing else is analysed. A dependency loaded from export
// data has no syntax (buildssa and ctrlflow crash on it), and go/packages
// may type-check a dependency from source without function bodies, so the
// test is "is a root", not "has syntax". Ill-typed roots are cut too: the
// checker does not run on them, so an edge to one only turns an importer's
// error into "failed prerequisites" (go/packages marks the importers of an
// ill-typed package ill-typed, and load reports them).
func prune(roots []*packages.Package) {
	ok := make(map[*packages.Package]bool, len(roots))
	for _, p := range roots {
		ok[p] = !p.IllTyped
	}
	for _, p := range roots {
		imports := make(map[string]*packages.Package)
		for path, imp := range p.Imports {
			if ok[imp] {
				imports[path] = imp
			}
		}
		p.Imports = imports
	}
}

// loadPackages is one packages.Load of the patterns in loadMode. The
// error is for a go list that could not run at all, as go says it: "go:
// errors parsing go.mod: …", one line.
func loadPackages(ctx context.Context, dir string, patterns []string, tests bool, phase string, syntax *syntaxReader, progress *Progress) ([]*packages.Package, error) {
	cfg := &packages.Config{
		Context: ctx,
		Mode:    loadMode,
		Dir:     dir,
		Tests:   tests,
	}
	parse := parseGoFile
	if syntax != nil {
		// The files selectRelevant parsed are not parsed again.
		cfg.Fset, parse = syntax.fset, syntax.parseAgain
	}
	if progress != nil {
		progress.Phase(phase, 0)
		progress.SetActivity(goActivity)
		parse = countingParser(progress, parse)
	}
	cfg.ParseFile = parse
	end, ok := startGoCommand(ctx)
	if !ok {
		return nil, context.Cause(ctx)
	}
	pkgs, err := packages.Load(cfg, patterns...)
	end()
	if err != nil {
		return nil, goListError(err)
	}
	progress.EndPhase()
	return pkgs, nil
}

// goListError turns go/packages' "err: exit status 1: stderr: go: …"
// into go's own message, on one line.
func goListError(err error) error {
	msg := err.Error()
	if _, stderr, ok := strings.Cut(msg, "stderr: "); ok && strings.HasPrefix(msg, "err: ") {
		msg = stderr
	}
	return errors.New(oneLine(msg))
}

// factPackages walks the import graph of the roots that one load returned
// and returns the directories of the main modules of its packages, sorted,
// and the import paths of the packages that the roots import, directly or
// not, which must be analysed too for their facts: the packages of the main
// modules, and the dependencies that factSource selects.
func factPackages(roots []*packages.Package) (mainDirs, extra []string) {
	isRoot := make(map[*packages.Package]bool, len(roots))
	for _, p := range roots {
		isRoot[p] = true
	}
	mains := make(map[string]bool)
	added := make(map[string]bool)
	packages.Visit(roots, nil, func(p *packages.Package) {
		main := p.Module != nil && p.Module.Main
		if main && p.Module.Dir != "" {
			mains[p.Module.Dir] = true
		}
		// A test variant of a dependency ("d [p.test]") is d again,
		// compiled against p's test files: d is what to add.
		if isRoot[p] || strings.Contains(p.ID, " [") || p.PkgPath == "" || added[p.PkgPath] {
			return
		}
		if main || factSource(p) {
			added[p.PkgPath] = true
			extra = append(extra, p.PkgPath)
		}
	})
	return slices.Sorted(maps.Keys(mains)), extra
}

// factSource reports whether a dependency outside the main modules is
// analysed from source for its facts: one that imports golang.org/x/oauth2
// can hold the wrapper, option constructor or verifier helper whose call
// summary decides a finding in the user's code (an OIDC library, an SDK's
// auth package). x/oauth2's own packages are known to the analyzers
// already. Every other dependency, and the standard library (which has no
// module), stays on export data.
func factSource(p *packages.Package) bool {
	if p.Module == nil || p.PkgPath == analyzers.OAuth2Path || strings.HasPrefix(p.PkgPath, analyzers.OAuth2Path+"/") {
		return false
	}
	for _, imp := range p.Imports {
		if imp.PkgPath == analyzers.OAuth2Path {
			return true
		}
	}
	return false
}

// unmatchedPatterns returns a failure for each wildcard or meta pattern
// ("./x/...", "example.com/m/...", "all") that matched none of the roots:
// the user asked for code that was not scanned. go list says so only in a
// warning, which go/packages drops. Any other pattern that names nothing
// comes back as a package with an error ("no Go files in …", "cannot
// find package"), which load reports; a malformed pattern, which go list
// rewrites ("example.com/m/@@" becomes "example.com/m@@"), too.
func unmatchedPatterns(dir string, patterns []string, roots []*packages.Package) []report.Failure {
	var failures []report.Failure
	for _, pat := range patterns {
		if !isMetaPattern(pat) && !strings.Contains(pat, "...") {
			continue
		}
		if !slices.ContainsFunc(roots, func(p *packages.Package) bool { return matchesPattern(dir, pat, p) }) {
			failures = append(failures, report.Failure{Package: pat, Message: fmt.Sprintf("pattern %s matched no packages", pat)})
		}
	}
	return failures
}

// isMetaPattern reports whether pat is one of the go command's reserved
// patterns.
func isMetaPattern(pat string) bool {
	switch pat {
	case "all", "std", "cmd", "tool", "work":
		return true
	}
	return false
}

// matchesPattern reports whether the root p may be one that pat matched,
// as the go command matches: by import path, or, for a pattern that is a
// directory ("./x/..."), by the package's directory. It errs on the side
// of a match: a package whose directory it cannot tell matches a
// directory pattern, and every root matches a meta pattern.
func matchesPattern(dir, pat string, p *packages.Package) bool {
	if isMetaPattern(pat) || p.ID == pat || p.PkgPath == pat {
		return true
	}
	if !build.IsLocalImport(pat) && !filepath.IsAbs(pat) {
		return matchWildcard(pat, p.PkgPath)
	}
	pkgDir, ok := packageDir(p)
	if !ok {
		return true
	}
	if !filepath.IsAbs(pat) {
		pat = filepath.Join(dir, pat)
	}
	return matchWildcard(filepath.ToSlash(pat), filepath.ToSlash(pkgDir))
}

// packageDir is the directory of p: from its module, or from its files.
func packageDir(p *packages.Package) (string, bool) {
	if m := p.Module; m != nil && m.Dir != "" && m.Path != "" {
		if p.PkgPath == m.Path {
			return m.Dir, true
		}
		if rest, ok := strings.CutPrefix(p.PkgPath, m.Path+"/"); ok {
			return filepath.Join(m.Dir, filepath.FromSlash(rest)), true
		}
	}
	for _, files := range [][]string{p.GoFiles, p.OtherFiles, p.IgnoredFiles} {
		if len(files) > 0 {
			return filepath.Dir(files[0]), true
		}
	}
	return "", false
}

// matchWildcard reports whether name matches pattern, where "..." is any
// string and a final "/..." also matches the empty string ("x/..." matches
// "x"), as in the go command.
func matchWildcard(pattern, name string) bool {
	re := regexp.QuoteMeta(pattern)
	re = strings.ReplaceAll(re, `\.\.\.`, `.*`)
	if strings.HasSuffix(re, `/.*`) {
		re = strings.TrimSuffix(re, `/.*`) + `(/.*)?`
	}
	ok, err := regexp.MatchString("^"+re+"$", name)
	return ok || err != nil
}

// moduleRoot is the directory that SARIF paths are relative to
// (%SRCROOT%) for a scan run in dir: the main module that holds dir,
// whatever the patterns name — a dependency named on the command line
// does not move it into the module cache. mainDirs are the main modules
// of the listed packages. In a go.work workspace run from a directory
// above its modules, it is dir. When no listed package belongs to a main
// module (only dependencies were named), it is the directory of the
// nearest go.mod above dir, as the go command finds it.
func moduleRoot(dir string, mainDirs []string) string {
	best := ""
	for _, m := range mainDirs {
		if (m == dir || isBelow(dir, m)) && len(m) > len(best) {
			best = m
		}
	}
	if best != "" {
		return best
	}
	if len(mainDirs) > 0 {
		return dir
	}
	for d := dir; ; {
		if fi, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && !fi.IsDir() {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// isBelow reports whether path lies strictly inside dir.
func isBelow(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && filepath.IsLocal(rel)
}

// brokenImports says which direct imports of the ill-typed package p
// have errors: "it imports A and B, which have errors". The errors of a
// root are reported on its own line; for a dependency, which is not, the
// first cause found below it is added, with go list's reason when there
// is one:
//
//	it imports example.com/dep, which has errors: dep/dep.go:3:8: missing go.sum entry for module providing package …
func brokenImports(dir string, p *packages.Package, isRoot map[*packages.Package]bool) string {
	var paths []string
	for path, imp := range p.Imports {
		if imp.IllTyped || len(imp.Errors) > 0 {
			paths = append(paths, path)
		}
	}
	if len(paths) == 0 {
		return "it imports a package that has errors"
	}
	slices.Sort(paths)
	msg := "it imports " + andList(paths) + ", which has errors"
	if len(paths) > 1 {
		msg = "it imports " + andList(paths) + ", which have errors"
	}
	for _, path := range paths {
		imp := p.Imports[path]
		if isRoot[imp] {
			continue
		}
		if cause := firstCause(dir, imp, make(map[*packages.Package]bool)); cause != "" {
			if len(paths) > 1 {
				return msg + "; " + path + ": " + cause
			}
			return msg + ": " + cause
		}
	}
	return msg
}

// firstCause is the first error found in p or, when p has none of its
// own, in the packages it imports: "file:line:col: message", with go
// list's reason for an import that could not be resolved, and the file
// relative to dir when it is below it. It is "" when there is none.
func firstCause(dir string, p *packages.Package, seen map[*packages.Package]bool) string {
	if seen[p] {
		return ""
	}
	seen[p] = true
	errs := p.Errors
	if others := slices.DeleteFunc(slices.Clone(errs), isCompilerOutput); len(others) > 0 {
		errs = others
	}
	for _, e := range errs {
		// Go deeper while the error only says that an import is broken
		// and that import has errors of its own to show.
		if path, ok := couldNotImport(e); ok {
			if imp := p.Imports[path]; imp != nil && !hasListError(imp) {
				if cause := firstCause(dir, imp, seen); cause != "" {
					return cause
				}
			}
		}
		msg := oneLine(importError(e, p.Imports))
		pos := e.Pos
		if pp, ok := parsePos(pos); ok {
			if rel, err := filepath.Rel(dir, pp.File); err == nil && filepath.IsLocal(rel) {
				pos = strings.Replace(pos, pp.File, rel, 1)
			}
		}
		if pos == "" || pos == "-" {
			return msg
		}
		return pos + ": " + msg
	}
	paths := slices.Sorted(maps.Keys(p.Imports))
	for _, path := range paths {
		if imp := p.Imports[path]; imp.IllTyped || len(imp.Errors) > 0 {
			if cause := firstCause(dir, imp, seen); cause != "" {
				return cause
			}
		}
	}
	return ""
}

// andList joins names as prose: "a", "a and b", "a, b and c".
func andList(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// isTestMain reports whether p is the main package that go test
// synthesises to run a package's tests (ID "p.test"). Its one file is
// named _testmain.go, or, as go1.26's go list -test -deps reports it, is
// an entry of the build cache with no .go suffix at all.
func isTestMain(p *packages.Package) bool {
	if p.Name != "main" || !strings.HasSuffix(p.ID, ".test") || strings.Contains(p.ID, " [") {
		return false
	}
	files := slices.Concat(p.GoFiles, p.CompiledGoFiles)
	for _, f := range files {
		if strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, "_testmain.go") {
			return false // a file of the user's
		}
	}
	return len(files) > 0
}

// underTest returns the import path of the package that p is, or that p
// tests: "p" for the IDs "p", "p [p.test]" and "p_test [p.test]".
func underTest(p *packages.Package) string {
	if _, variant, ok := strings.Cut(p.ID, " ["); ok {
		return strings.TrimSuffix(strings.TrimSuffix(variant, "]"), ".test")
	}
	return p.PkgPath
}

// packageFailure turns a package's list, parse and type errors (of all its
// variants, in dir) into one failure: the first error, and how many more
// there are.
func packageFailure(dir, path string, errs []packages.Error, imports map[string]*packages.Package) report.Failure {
	// go list -export reports the compiler's output for a package that
	// does not compile ("# example.com/p\np.go:3:9: undefined: x"): the
	// same errors that type checking found, with positions, again.
	if others := slices.DeleteFunc(slices.Clone(errs), isCompilerOutput); len(others) > 0 {
		errs = others
	}
	type key struct {
		pos report.Position
		msg string
	}
	// Imports that failed, per file: the type errors they explain
	// ("undefined: util") are left out, as consequences.
	failed := make(map[string][]string)
	for _, e := range errs {
		if p, ok := couldNotImport(e); ok {
			if pos, ok := parsePos(e.Pos); ok {
				failed[pos.File] = append(failed[pos.File], p)
			}
		}
	}
	var (
		all    []report.Failure
		causes []report.Failure // go list's reasons: shown first
		seen   = make(map[key]bool)
	)
	for _, e := range errs {
		msg, resolved := resolveImportError(e, imports)
		f := report.Failure{Package: path, Message: oneLine(msg)}
		pos, ok := parsePos(e.Pos)
		if ok && followsFromImport(e, pos.File, failed) {
			continue
		}
		if ok {
			if !filepath.IsAbs(pos.File) {
				// go list's positions are relative to its directory.
				pos.File = filepath.Join(dir, pos.File)
			}
			f.Pos = &pos
		} else if e.Pos != "" && e.Pos != "-" {
			f.Message = e.Pos + ": " + f.Message
		}
		// The parser and go list both report a file that is not UTF-8,
		// and the variants of a package share their errors.
		k := key{msg: f.Message}
		if f.Pos != nil {
			k.pos = *f.Pos
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		if resolved || e.Kind == packages.ListError {
			causes = append(causes, f)
		} else {
			all = append(all, f)
		}
	}
	all = append(causes, all...)
	// The scanner's error is the cause of the parser's at the same
	// place: "illegal UTF-8 encoding", not "expected type, found 'ILLEGAL'".
	first := all[0]
	for _, f := range all[1:] {
		if strings.HasPrefix(f.Message, "illegal ") && !strings.HasPrefix(first.Message, "illegal ") &&
			first.Pos != nil && f.Pos != nil && *f.Pos == *first.Pos {
			first = f
			break
		}
	}
	if n := len(all); n == 2 {
		first.Message += " (and 1 more error)"
	} else if n > 2 {
		first.Message += fmt.Sprintf(" (and %d more errors)", n-1)
	}
	return first
}

// importError is the message of e, or, when e is the type checker's
// "could not import P (invalid package name: \"\")" for an import that go
// list could not resolve, go list's reason ("no required module provides
// package P; to add it: go get P"), which names P if go list did not
// ("could not import P: module lookup disabled by GOPROXY=off").
func importError(e packages.Error, imports map[string]*packages.Package) string {
	msg, _ := resolveImportError(e, imports)
	return msg
}

// resolveImportError is importError, and whether the message is go list's
// reason for a failed import: the cause of the type errors that follow.
func resolveImportError(e packages.Error, imports map[string]*packages.Package) (string, bool) {
	path, ok := couldNotImport(e)
	if !ok {
		return e.Msg, false
	}
	if imp := imports[path]; imp != nil {
		for _, ie := range imp.Errors {
			if ie.Kind == packages.ListError && !isCompilerOutput(ie) {
				if !strings.Contains(ie.Msg, path) {
					return "could not import " + path + ": " + ie.Msg, true
				}
				return ie.Msg, true
			}
		}
	}
	return e.Msg, false
}

// couldNotImport returns P when e is the type checker's "could not import
// P (…)".
func couldNotImport(e packages.Error) (string, bool) {
	rest, ok := strings.CutPrefix(e.Msg, "could not import ")
	if e.Kind != packages.TypeError || !ok {
		return "", false
	}
	path, _, _ := strings.Cut(rest, " ")
	return path, path != ""
}

// hasListError reports whether go list reported a problem with p itself.
func hasListError(p *packages.Package) bool {
	return slices.ContainsFunc(p.Errors, func(e packages.Error) bool {
		return e.Kind == packages.ListError && !isCompilerOutput(e)
	})
}

// followsFromImport reports whether e is a type error that a failed import
// in its file explains: "undefined: util" where the file could not import
// example.com/go-util. failed maps a file to the import paths it could not
// import.
func followsFromImport(e packages.Error, file string, failed map[string][]string) bool {
	name, ok := strings.CutPrefix(e.Msg, "undefined: ")
	if e.Kind != packages.TypeError || !ok || name == "" {
		return false
	}
	for _, path := range failed[file] {
		if importNameMatches(path, name) {
			return true
		}
	}
	return false
}

// importNameMatches reports whether name may be the package name of the
// import path: its last element, without a major-version suffix, contains
// it ("util" in example.com/go-util, "yaml" in gopkg.in/yaml.v3, "pop" in
// github.com/gobuffalo/pop/v6).
func importNameMatches(path, name string) bool {
	elems := strings.Split(path, "/")
	last := elems[len(elems)-1]
	if len(elems) > 1 && isMajorVersion(last) {
		last = elems[len(elems)-2]
	}
	return strings.Contains(strings.ToLower(last), strings.ToLower(name))
}

// isMajorVersion reports whether elem is a module major-version suffix
// such as "v2".
func isMajorVersion(elem string) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(elem, "v"))
	return strings.HasPrefix(elem, "v") && err == nil && n >= 2
}

func isCompilerOutput(e packages.Error) bool {
	return e.Kind == packages.ListError && strings.HasPrefix(e.Msg, "# ")
}

// parsePos parses the "file:line:col" or "file:line" of a packages.Error.
func parsePos(s string) (report.Position, bool) {
	rest, last, ok := cutLastNumber(s)
	if !ok {
		return report.Position{}, false
	}
	if file, line, ok := cutLastNumber(rest); ok && file != "" {
		return report.Position{File: file, Line: line, Column: last}, true
	}
	if rest == "" {
		return report.Position{}, false
	}
	return report.Position{File: rest, Line: last}, true
}

// cutLastNumber splits "a:12" into "a" and 12.
func cutLastNumber(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil || n <= 0 {
		return "", 0, false
	}
	return s[:i], n, true
}

// oneLine joins a multi-line error message into one line: a line that
// ends with a colon introduces the next, other lines are separate errors.
//
//	no required module provides package p; to add it: go get p
//	go: errors parsing go.mod: go.mod:5:3: usage: …; go.mod:6:3: malformed …
func oneLine(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if b.Len() > 0 {
			if strings.HasSuffix(b.String(), ":") {
				b.WriteString(" ")
			} else {
				b.WriteString("; ")
			}
		}
		b.WriteString(line)
	}
	return b.String()
}
