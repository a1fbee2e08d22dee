package pkce

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/ssa"
)

// buildSSA builds the SSA form of the package's functions, as
// buildssa.Analyzer does, for less. buildssa creates an SSA package for
// every import, with a Function, Global and NamedConst for each of its
// members and each method of its types, once per importer: a third of
// its cost on the standard library. Here an import gets an SSA package
// only if the package refers to one of its functions, methods or
// variables, and that package holds only those (see createImport).
//
// The functions are those buildssa returns, in the same order: each
// declared function followed by its function literals. init is the
// synthesised package initialiser, which stores the package variables'
// initial values.
//
// Two things differ from buildssa, neither visible to the engine:
//   - The program is built with ssa.BareInits: init has no guard variable
//     and no calls of the imports' initialisers (a call of an import's init
//     needs that import's SSA package). The stores it makes are the same.
//   - The methods of an import's types that the package does not name are
//     created on demand, with no Pkg, as buildssa does for indirect
//     imports; a method the package names (a call, a method value or
//     expression) is created in its import's SSA package, as with
//     buildssa, so no callee the engine sees changes.
func buildSSA(pass *analysis.Pass) (init *ssa.Function, funcs []*ssa.Function) {
	prog := ssa.NewProgram(pass.Fset, ssa.BareInits)
	// ctrlflow's answers make a call of a function that never returns
	// (log.Fatal, a helper that panics) end its block, as with buildssa.
	prog.SetNoReturn(pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs).NoReturn)
	for _, imp := range neededImports(pass) {
		createImport(prog, imp.pkg, imp.members)
	}
	pkg := prog.CreatePackage(pass.Pkg, pass.Files, pass.TypesInfo, false)
	pkg.Build()

	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		funcs = append(funcs, fn)
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			if decl, ok := decl.(*ast.FuncDecl); ok {
				add(prog.FuncValue(pass.TypesInfo.Defs[decl.Name].(*types.Func)))
			}
		}
	}
	return pkg.Func("init"), funcs
}

// createImport creates the SSA package of an import with only the given
// members: its functions, methods and variables the package refers to.
// ssa.Program.CreatePackage makes a member for every declaration of the
// files it is given, so it is given one file of body-less declarations,
// each name defined as the import's own object. Such a function is never
// built (the import's package is not), and it is marked as made from type
// information, as a function of an import created from export data is.
func createImport(prog *ssa.Program, imp *types.Package, members []types.Object) {
	info := &types.Info{Defs: make(map[*ast.Ident]types.Object, len(members))}
	file := &ast.File{Name: ast.NewIdent(imp.Name())}
	for _, obj := range members {
		id := ast.NewIdent(obj.Name())
		info.Defs[id] = obj
		switch obj.(type) {
		case *types.Func:
			file.Decls = append(file.Decls, &ast.FuncDecl{Name: id, Type: &ast.FuncType{}})
		case *types.Var:
			file.Decls = append(file.Decls, &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{Names: []*ast.Ident{id}}}})
		}
	}
	prog.CreatePackage(imp, []*ast.File{file}, info, true)
	for _, obj := range members {
		if fn, ok := obj.(*types.Func); ok {
			prog.FuncValue(fn).Synthetic = "from type information"
		}
	}
}

// neededImport is a direct import the SSA builder must find in the
// program, with the members of it the package refers to.
type neededImport struct {
	pkg     *types.Package
	members []types.Object
}

// neededImports returns the direct imports of the package that the SSA
// builder must find in the program: those with a package-level function or
// variable the package refers to, or a method the package calls or takes
// the value of (its SSA function then belongs to the import's package, as
// with buildssa). Constants and types need no SSA package. The order is
// that of Imports, and within an import that of the members' positions.
func neededImports(pass *analysis.Pass) []neededImport {
	direct := make(map[*types.Package]map[types.Object]bool, len(pass.Pkg.Imports()))
	for _, p := range pass.Pkg.Imports() {
		direct[p] = nil
	}
	mark := func(obj types.Object) {
		if obj == nil || obj.Pkg() == nil || obj.Pkg() == pass.Pkg {
			return
		}
		if fn, ok := obj.(*types.Func); ok {
			if recv := fn.Signature().Recv(); recv != nil && types.IsInterface(recv.Type()) {
				return // an interface method has no SSA function
			}
			obj = fn.Origin()
		} else if v, ok := obj.(*types.Var); ok && v.IsField() {
			return
		}
		members, ok := direct[obj.Pkg()]
		if !ok {
			return
		}
		if members == nil {
			members = make(map[types.Object]bool)
			direct[obj.Pkg()] = members
		}
		members[obj] = true
	}
	for _, obj := range pass.TypesInfo.Uses {
		switch obj := obj.(type) {
		case *types.Func:
			mark(obj)
		case *types.Var:
			if obj.Pkg() != nil && obj.Pkg().Scope().Lookup(obj.Name()) == obj {
				mark(obj)
			}
		}
	}
	for _, sel := range pass.TypesInfo.Selections {
		mark(sel.Obj())
	}
	var out []neededImport
	for _, p := range pass.Pkg.Imports() {
		if members := direct[p]; members != nil {
			objs := slices.Collect(maps.Keys(members))
			slices.SortFunc(objs, func(a, b types.Object) int {
				return cmp.Or(cmp.Compare(a.Pos(), b.Pos()), strings.Compare(a.Name(), b.Name()))
			})
			out = append(out, neededImport{p, objs})
		}
	}
	return out
}
