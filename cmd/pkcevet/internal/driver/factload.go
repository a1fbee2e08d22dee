package driver

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"os"
	"slices"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// addFactSources turns the packages at the import paths extra, which the
// load gave the roots from export data, into packages type-checked from
// source, so that the checker analyses them for their facts and the roots
// see the objects those facts are on. It re-types only what refers to
// them: the roots that import an extra package, directly or not, are
// type-checked again from their syntax trees, and the dependencies in
// between are read again from their export data, against the new types.
// Everything else keeps the types of the load. This is what a second
// packages.Load of the patterns plus extra gives, without listing,
// parsing and type-checking every root a second time.
//
// It reports false when the graph is not one it handles the way
// go/packages would: a package missing, a test variant or a file without
// sources among extra, or any error in the packages it type-checks or
// reads. The packages keep their types then (though a dependency's
// incomplete package may have been completed from its export data), and
// the caller loads again, dropping this load.
func addFactSources(roots []*packages.Package, extra []string) ([]*packages.Package, bool) {
	byID := make(map[string]*packages.Package)
	packages.Visit(roots, nil, func(p *packages.Package) { byID[p.ID] = p })
	isRoot := make(map[*packages.Package]bool, len(roots))
	for _, p := range roots {
		isRoot[p] = true
	}
	isExtra := make(map[*packages.Package]bool, len(extra))
	var added []*packages.Package
	for _, path := range extra {
		p := byID[path] // a package's ID is its path, but for test variants
		if p == nil || isRoot[p] || len(p.CompiledGoFiles) == 0 || len(p.Errors) > 0 {
			return roots, false
		}
		isExtra[p] = true
		added = append(added, p)
	}

	// The packages to re-type, dependencies first.
	affected := make(map[*packages.Package]bool)
	var order []*packages.Package
	visited := make(map[*packages.Package]bool)
	var visit func(p *packages.Package) bool
	visit = func(p *packages.Package) bool {
		if visited[p] {
			return affected[p]
		}
		visited[p] = true
		hit := isExtra[p]
		for _, path := range slices.Sorted(maps.Keys(p.Imports)) {
			if visit(p.Imports[path]) {
				hit = true
			}
		}
		if hit {
			affected[p] = true
			order = append(order, p)
		}
		return hit
	}
	for _, p := range roots {
		visit(p)
	}

	fset := roots[0].Fset
	sizes := roots[0].TypesSizes
	typed := make(map[*packages.Package]*types.Package, len(order))
	typesOf := func(p *packages.Package) *types.Package {
		if t, ok := typed[p]; ok {
			return t
		}
		return p.Types
	}
	syntax := make(map[*packages.Package][]*ast.File)
	infos := make(map[*packages.Package]*types.Info)
	for _, p := range order {
		switch {
		case isExtra[p] || isRoot[p]:
			files := p.Syntax
			if isExtra[p] {
				files = nil
				for _, name := range p.CompiledGoFiles {
					src, err := os.ReadFile(name)
					if err != nil {
						return roots, false
					}
					f, err := parser.ParseFile(fset, name, src, parser.AllErrors|parser.ParseComments)
					if err != nil {
						return roots, false
					}
					files = append(files, f)
				}
			} else if p.IllTyped || len(p.Errors) > 0 || p.TypesInfo == nil {
				return roots, false
			}
			tpkg, info, ok := typeCheck(p, files, fset, sizes, typesOf)
			if !ok {
				return roots, false
			}
			typed[p], syntax[p], infos[p] = tpkg, files, info
		default: // a dependency between: its export data, read again
			tpkg, err := readExport(p, fset, typesOf, false)
			if err != nil {
				return roots, false
			}
			typed[p] = tpkg
		}
	}
	for _, p := range order {
		p.Types = typed[p]
		if info := infos[p]; info != nil {
			p.Syntax, p.TypesInfo, p.TypesSizes, p.Fset, p.IllTyped = syntax[p], info, sizes, fset, false
		}
	}
	return append(slices.Clone(roots), added...), true
}

// typeCheck type-checks files as the package p, as go/packages does for a
// root, with p's imports given by typesOf. It reports false on any error.
func typeCheck(p *packages.Package, files []*ast.File, fset *token.FileSet, sizes types.Sizes, typesOf func(*packages.Package) *types.Package) (*types.Package, *types.Info, bool) {
	tpkg := types.NewPackage(p.PkgPath, p.Name)
	info := &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
	failed := false
	conf := &types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			imp := p.Imports[path]
			if imp == nil {
				return nil, fmt.Errorf("no metadata for %s", path)
			}
			t := typesOf(imp)
			if t != nil && !t.Complete() {
				// A dependency the load gave no root directly: its
				// package holds only what other export data
				// referred to. Read its own export data into it.
				if _, err := readExport(imp, fset, typesOf, true); err != nil {
					return nil, err
				}
			}
			if t == nil || !t.Complete() {
				return nil, fmt.Errorf("no types for %s", path)
			}
			return t, nil
		}),
		Error: func(error) { failed = true },
		Sizes: sizes,
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		conf.GoVersion = "go" + p.Module.GoVersion
	}
	if err := types.NewChecker(conf, fset, tpkg, info).Files(files); err != nil || failed {
		return nil, nil, false
	}
	return tpkg, info, true
}

// readExport reads p's export data, as go/packages does, with the
// packages it refers to given by typesOf: into a new package, or with
// inPlace into p's own package as typesOf gives it, which other export
// data may have made already, incomplete.
func readExport(p *packages.Package, fset *token.FileSet, typesOf func(*packages.Package) *types.Package, inPlace bool) (*types.Package, error) {
	if p.ExportFile == "" {
		return nil, fmt.Errorf("no export data for %s", p.ID)
	}
	f, err := os.Open(p.ExportFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(f)
	if err != nil {
		return nil, err
	}
	view := make(map[string]*types.Package)
	seen := make(map[*packages.Package]bool)
	var visit func(imports map[string]*packages.Package)
	visit = func(imports map[string]*packages.Package) {
		for _, q := range imports {
			if !seen[q] {
				seen[q] = true
				view[q.PkgPath] = typesOf(q)
				visit(q.Imports)
			}
		}
	}
	visit(p.Imports)
	if inPlace {
		view[p.PkgPath] = typesOf(p)
	}
	return gcexportdata.Read(r, fset, view, p.PkgPath)
}

// importerFunc is a types.Importer.
type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
