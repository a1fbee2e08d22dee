package pkce

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/ssa"
)

// buildSSA builds the SSA form of the package's functions, as
// buildssa.Analyzer does, for less: an SSA package is created only for the
// direct imports whose functions or variables the package refers to. An
// import used only for its types (io.Reader, *http.Request, a struct
// literal) gets none, and creating one — a Function, Global and NamedConst
// for every member of the import and every method of its types, once per
// importer — was a third of buildssa's cost on the standard library.
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
//   - The methods of the types of an import that gets no SSA package are
//     created on demand, with no Pkg, as buildssa does for indirect
//     imports; but an import with a method the package refers to gets its
//     SSA package (see neededImports), so no callee changes.
func buildSSA(pass *analysis.Pass) (init *ssa.Function, funcs []*ssa.Function) {
	prog := ssa.NewProgram(pass.Fset, ssa.BareInits)
	// ctrlflow's answers make a call of a function that never returns
	// (log.Fatal, a helper that panics) end its block, as with buildssa.
	prog.SetNoReturn(pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs).NoReturn)
	for _, p := range neededImports(pass) {
		prog.CreatePackage(p, nil, nil, true)
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

// neededImports returns the direct imports of the package that the SSA
// builder must find in the program: those with a package-level function or
// variable the package refers to, or a method the package calls or takes
// the value of (its SSA function then belongs to the import's package, as
// with buildssa). Constants and types need no SSA package. The order is
// that of Imports.
func neededImports(pass *analysis.Pass) []*types.Package {
	direct := make(map[*types.Package]bool, len(pass.Pkg.Imports()))
	for _, p := range pass.Pkg.Imports() {
		direct[p] = false
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
		if _, ok := direct[obj.Pkg()]; ok {
			direct[obj.Pkg()] = true
		}
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
	var out []*types.Package
	for _, p := range pass.Pkg.Imports() {
		if direct[p] {
			out = append(out, p)
		}
	}
	return out
}
