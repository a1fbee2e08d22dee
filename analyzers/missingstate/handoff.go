package missingstate

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
)

// checkHandoff reports a callback (body, which takes an *http.Request and
// redeems nothing itself) that hands the code it received to another
// function — on a channel, or in a struct field — which redeems it, when
// neither looks at state (issue 20, item 4). A loopback CLI does this: its
// handler sends the code on a channel and the login function that started
// the flow exchanges it; a state made inline in
// AuthCodeURL(randomString(32)) is then never kept, and never compared.
func checkHandoff(pass *analysis.Pass, flow *pkce.Flow, body *ast.BlockStmt) {
	info := pass.TypesInfo
	if mentionsState(info, body) {
		return
	}
	at, via := handoff(info, body)
	if at == nil {
		return
	}
	receiver := receivingFunc(pass, via, body)
	if receiver == nil || mentionsState(info, receiver) || findExchange(info, flow, receiver) == nil {
		return
	}
	pkce.Report(pass, at, rule.ID, "callback hands the authorization code to the function that exchanges it without checking state, and that function does not check it either; compare the state query parameter with the value saved for this browser before the code is redeemed")
}

func mentionsState(info *types.Info, n ast.Node) bool {
	return pkce.Mentions(info, n, pkce.ParamState, "state") || pkce.Mentions(info, n, "", "csrf")
}

// handoff finds where body passes the code it reads on: a send on a
// channel or a store into a struct field. It returns the statement and
// the channel's or field's object.
func handoff(info *types.Info, body ast.Node) (ast.Node, types.Object) {
	read := pkce.FirstRead(info, body, pkce.ParamCode)
	if read == nil {
		return nil, nil
	}
	v := pkce.ParamVar(info, body, read)
	var at ast.Node
	var via types.Object
	ast.Inspect(body, func(n ast.Node) bool {
		if at != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.SendStmt:
			if pkce.Uses(info, n.Value, read, v) {
				at, via = n, objectOf(info, n.Chan)
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if sel, ok := l.(*ast.SelectorExpr); ok && i < len(n.Rhs) && pkce.Uses(info, n.Rhs[i], read, v) {
					at, via = n, objectOf(info, sel)
				}
			}
		}
		return true
	})
	if via == nil {
		return nil, nil
	}
	return at, via
}

// objectOf is the variable or field an expression names.
func objectOf(info *types.Info, e ast.Expr) types.Object {
	switch e := e.(type) {
	case *ast.Ident:
		return info.ObjectOf(e)
	case *ast.SelectorExpr:
		return info.ObjectOf(e.Sel)
	case *ast.ParenExpr:
		return objectOf(info, e.X)
	}
	return nil
}

// receivingFunc returns the innermost function, outside the callback, that
// receives from the channel or reads the field.
func receivingFunc(pass *analysis.Pass, via types.Object, callback ast.Node) ast.Node {
	info := pass.TypesInfo
	var found ast.Node
	for _, file := range pass.Files {
		var stack []ast.Node
		ast.Inspect(file, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			if found != nil || n == callback {
				if n == callback {
					stack = stack[:len(stack)-1]
				}
				return false
			}
			var x ast.Expr
			switch n := n.(type) {
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					x = n.X
				}
			case *ast.SelectorExpr:
				x = n
			}
			if x != nil && objectOf(info, x) == via {
				for i := len(stack) - 1; i >= 0; i-- {
					switch stack[i].(type) {
					case *ast.FuncDecl, *ast.FuncLit:
						found = stack[i]
						return false
					}
				}
			}
			return true
		})
	}
	return found
}
