package missingstate

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
)

// A function that takes the *http.Request but no http.ResponseWriter does
// not answer the redirect: it is a helper that its caller runs, and the
// caller is where state is checked. dex's connectors are the shape: their
// HandleCallback(scopes, r) redeems the code, and the server, which calls
// it through an interface after resolving state to a stored request, is
// the callback. Such a helper is reported only when the package calls it
// from a function that does not check state either, or hands it on as a
// value (a handler adapter, a route table: what runs it is unknown).
// With no caller in the package, its callers are elsewhere (an exported
// method, an interface's implementation): theirs is the check.

// callers indexes the package's uses of its own functions.
type callers struct {
	info *types.Info
	fset *token.FileSet
	// calls are the calls of each function, statically.
	calls map[*types.Func][]callSite
	// handedOn are the functions used other than in a call: as a
	// method value, a handler, a field's value.
	handedOn map[*types.Func]bool
	bodies   map[*types.Func]*ast.FuncDecl
}

func indexCallers(pass *analysis.Pass, insp *inspector.Inspector) *callers {
	c := &callers{
		info:     pass.TypesInfo,
		fset:     pass.Fset,
		calls:    make(map[*types.Func][]callSite),
		handedOn: make(map[*types.Func]bool),
		bodies:   make(map[*types.Func]*ast.FuncDecl),
	}
	ours := func(id *ast.Ident) *types.Func {
		fn, ok := c.info.Uses[id].(*types.Func)
		if !ok || fn.Pkg() != pass.Pkg {
			return nil
		}
		return fn.Origin()
	}
	insp.WithStack([]ast.Node{(*ast.FuncDecl)(nil), (*ast.Ident)(nil)}, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		if fd, ok := n.(*ast.FuncDecl); ok {
			if fn, ok := c.info.Defs[fd.Name].(*types.Func); ok {
				c.bodies[fn] = fd
			}
			return true
		}
		fn := ours(n.(*ast.Ident))
		if fn == nil {
			return true
		}
		// The call whose callee this identifier is: f(…), x.f(…).
		i := len(stack) - 2
		if sel, ok := stack[i].(*ast.SelectorExpr); ok && sel.Sel == n {
			i--
		}
		call, ok := stack[i].(*ast.CallExpr)
		if !ok || !isCallee(call, stack[i+1]) {
			c.handedOn[fn] = true
			return true
		}
		c.calls[fn] = append(c.calls[fn], callSite{in: pkce.InnermostFunc(stack[:i]), at: call.Pos()})
		return true
	})
	return c
}

// callSite is a call of one of the package's functions: the function it
// is in (nil at package level) and where.
type callSite struct {
	in ast.Node
	at token.Pos
}

// isCallee reports whether e is call's function.
func isCallee(call *ast.CallExpr, e ast.Node) bool {
	return ast.Unparen(call.Fun) == e
}

// helperChecked reports whether the state check of the helper fn (see
// above) is its callers': it has callers in the package, is not handed on
// as a value, and every caller checks state, itself or through its own
// callers (depth bounds the chain).
func (c *callers) helperChecked(fn *types.Func, depth int) bool {
	if fn == nil || c.handedOn[fn] || depth > 4 {
		return false
	}
	// A test that calls a helper of the package's code says nothing of
	// how the code calls it (with -test, or under go vet, the tests are
	// analysed with the package): only callers of the helper's own file
	// class count.
	var sites []callSite
	for _, site := range c.calls[fn] {
		if c.inTest(site.at) == c.inTest(fn.Pos()) {
			sites = append(sites, site)
		}
	}
	if len(sites) == 0 {
		// Exported, or a method (an interface's, called through it):
		// its callers are elsewhere. An unexported function nothing
		// calls is judged as before.
		return fn.Exported() || isMethod(fn)
	}
	for _, site := range sites {
		if !c.checks(site.in, depth) {
			return false
		}
	}
	return true
}

// checks reports whether the function fn (a declaration or literal)
// checks state before what it calls runs, judged as generously as a
// callback's: a comparison or a mention of state or CSRF, or, for a
// helper itself, its own callers' check.
func (c *callers) checks(fn ast.Node, depth int) bool {
	ftype, body := funcParts(fn)
	if body == nil {
		return false // package level (a variable's initializer), or no body
	}
	if _, checked := stateUse(c.info, body); checked {
		return true
	}
	if pkce.Mentions(c.info, body, pkce.ParamState, "state") || pkce.Mentions(c.info, body, "", "csrf") {
		return true
	}
	if fd, ok := fn.(*ast.FuncDecl); ok && !pkce.TakesParam(c.info, ftype, pkce.IsHTTPResponseWriter) {
		obj, _ := c.info.Defs[fd.Name].(*types.Func)
		return c.helperChecked(obj, depth+1)
	}
	return false
}

// inTest reports whether pos is in a _test.go file.
func (c *callers) inTest(pos token.Pos) bool { return pkce.InTestFile(c.fset, pos) }

// isMethod reports whether fn is a method: one that implements an
// interface is called through it, from anywhere.
func isMethod(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	return ok && sig.Recv() != nil
}

// funcParts returns the type and body of a function declaration or
// literal; nil for anything else.
func funcParts(n ast.Node) (*ast.FuncType, *ast.BlockStmt) {
	switch n := n.(type) {
	case *ast.FuncDecl:
		return n.Type, n.Body
	case *ast.FuncLit:
		return n.Type, n.Body
	}
	return nil, nil
}
