package missingstate

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
)

// checkStateFallbacks reports a function that gives a callback the state
// to trust, and on one path hands back the callback request's own state
// parameter instead of the value saved for the browser:
//
//	func tryReadStateCookie(w http.ResponseWriter, r *http.Request, rp RelyingParty) (string, error) {
//		if rp.CookieHandler() == nil {
//			return r.FormValue("state"), nil // checked against nothing
//		}
//		return rp.CookieHandler().CheckQueryCookie(r, "state")
//	}
//
// On that path the callback exchanges the code with no CSRF check at all.
// Reported only when another path returns something else (a value that
// was checked) and a callback of the package that exchanges a code calls
// the function.
func checkStateFallbacks(pass *analysis.Pass, flow *pkce.Flow, insp *inspector.Inspector) {
	info := pass.TypesInfo
	fallbacks := make(map[*types.Func][]*ast.ReturnStmt)
	for cur := range insp.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := cur.Node().(*ast.FuncDecl)
		fn, ok := info.Defs[fd.Name].(*types.Func)
		if !ok || fd.Body == nil || !pkce.TakesParam(info, fd.Type, pkce.IsHTTPRequest) || !returnsString(fn.Signature()) {
			continue
		}
		if rets := requestStateReturns(info, fd.Body); len(rets) > 0 {
			fallbacks[fn] = rets
		}
	}
	if len(fallbacks) == 0 {
		return
	}
	for cur := range insp.Root().Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var ftype *ast.FuncType
		var body *ast.BlockStmt
		switch n := cur.Node().(type) {
		case *ast.FuncDecl:
			ftype, body = n.Type, n.Body
		case *ast.FuncLit:
			ftype, body = n.Type, n.Body
		}
		if body == nil || !pkce.TakesParam(info, ftype, pkce.IsHTTPRequest) || findExchange(info, flow, body) == nil {
			continue
		}
		ast.Inspect(body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := pkce.Callee(info, call)
			if len(fallbacks[fn]) == 0 || comparedResult(info, body, call) {
				return true
			}
			for _, ret := range fallbacks[fn] {
				pkce.Report(pass, ret.Results[0], rule.ID, "on this path the callback's state is taken from the callback request itself and checked against nothing, so "+
					fn.Name()+"'s caller exchanges the code with no CSRF protection; refuse the callback when there is no saved state to compare with")
			}
			delete(fallbacks, fn) // once
			return true
		})
	}
}

func returnsString(sig *types.Signature) bool {
	return sig.Results().Len() > 0 && pkce.IsStringLike(sig.Results().At(0).Type())
}

// requestStateReturns returns the return statements of body that hand back
// the request's state parameter, when another return hands back something
// other than that or an empty string.
func requestStateReturns(info *types.Info, body *ast.BlockStmt) []*ast.ReturnStmt {
	var fromRequest []*ast.ReturnStmt
	other := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) == 0 {
				other = true // named results: set elsewhere
				return false
			}
			r := astutil.Unparen(n.Results[0])
			if call, ok := r.(*ast.CallExpr); ok {
				if p, ok := pkce.RequestParam(info, call); ok && p == pkce.ParamState {
					fromRequest = append(fromRequest, n)
					return false
				}
			}
			if tv := info.Types[r]; tv.Value == nil || tv.Value.ExactString() != `""` {
				other = true
			}
		}
		return true
	})
	if !other {
		return nil
	}
	return fromRequest
}

// comparedResult reports whether the callback compares the first result of
// call with something other than the empty string: then it does not take
// that result as already checked.
func comparedResult(info *types.Info, body ast.Node, call *ast.CallExpr) bool {
	var obj types.Object
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Rhs) == 1 && astutil.Unparen(as.Rhs[0]) == call {
			if id, ok := as.Lhs[0].(*ast.Ident); ok {
				obj = info.ObjectOf(id)
			}
		}
		return obj == nil
	})
	if obj == nil {
		return false
	}
	compared := false
	ast.Inspect(body, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || b.Op != token.EQL && b.Op != token.NEQ {
			return !compared
		}
		for _, pair := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
			id, ok := astutil.Unparen(pair[0]).(*ast.Ident)
			if ok && info.ObjectOf(id) == obj {
				if tv := info.Types[pair[1]]; tv.Value == nil || tv.Value.ExactString() != `""` {
					compared = true
				}
			}
		}
		return !compared
	})
	return compared
}
