package pkce

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
)

// A test that sends a deliberately bad request to the code under test and
// expects it to be refused is not a PKCE mistake: the constant state, the
// missing challenge or the short verifier is the point of the test. These
// helpers find such tests so that findings inside them are dropped (only in
// _test.go files, which are analysed only on request).
//
// A test function expects a refusal when it asserts an error (testify's
// Error, EqualError, ErrorIs, ErrorAs, ErrorContains; `if err == nil {
// t.Fatal(…) }`), names an error variable of the code under test
// (ErrInvalidState), checks a 4xx HTTP status, or mentions an OAuth error
// code (invalid_request, access_denied, …). Table entries and t.Run
// closures are judged on their own (see refusalFixture).

// refusalFixture reports whether pos, in a _test.go file, is in a case that
// expects the code under test to refuse a request. The innermost judge
// decides: a table entry with an expectation field (wantErr, expectErr,
// shouldFail: set means a refusal, nil/false means a success), else the
// t.Run closure, else the test function.
func refusalFixture(info *types.Info, file *ast.File, pos token.Pos) bool {
	path, _ := EnclosingPath(file, pos, pos)
	for i, n := range path {
		switch n := n.(type) {
		case *ast.CompositeLit:
			// A table entry: an element of a slice or map literal.
			if !isTableEntry(path[i:], n) {
				continue
			}
			if refuses, ok := caseExpectation(info, n); ok {
				return refuses
			}
		case *ast.FuncLit:
			if i+1 < len(path) && isTestRun(info, path[i+1]) {
				return expectsRefusal(info, n.Body)
			}
		case *ast.FuncDecl:
			return n.Body != nil && expectsRefusal(info, n.Body)
		}
	}
	return false
}

// isTableEntry reports whether lit, path[0], is an element of a slice
// literal or the value of a map literal's entry.
func isTableEntry(path []ast.Node, lit *ast.CompositeLit) bool {
	if len(path) < 2 {
		return false
	}
	if _, ok := path[1].(*ast.CompositeLit); ok {
		return true
	}
	kv, ok := path[1].(*ast.KeyValueExpr)
	if !ok || kv.Value != lit || len(path) < 3 {
		return false
	}
	_, ok = path[2].(*ast.CompositeLit)
	return ok
}

// isTestRun reports whether n is a call of (*testing.T).Run.
func isTestRun(info *types.Info, n ast.Node) bool {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := Callee(info, call)
	return fn != nil && fn.Name() == "Run" && fn.Pkg() != nil && fn.Pkg().Path() == "testing"
}

// caseExpectation reads a table entry's expectation field: one whose name
// speaks of an error or a failure. ok is false when the entry has none.
func caseExpectation(info *types.Info, lit *ast.CompositeLit) (refuses, ok bool) {
	for _, el := range lit.Elts {
		kv, isKV := el.(*ast.KeyValueExpr)
		if !isKV {
			continue
		}
		id, isID := kv.Key.(*ast.Ident)
		if !isID || !expectationName(id.Name) {
			continue
		}
		v := astutil.Unparen(kv.Value)
		if vid, isIdent := v.(*ast.Ident); isIdent && (vid.Name == "nil" || vid.Name == "false") {
			return false, true
		}
		if s, isStr := StringConst(info, v); isStr && s == "" {
			return false, true
		}
		return true, true
	}
	return false, false
}

func expectationName(name string) bool {
	for _, w := range Words(name) {
		switch w {
		case "err", "error", "errors", "fail", "fails", "failure", "reject", "rejected", "invalid":
			return true
		}
	}
	return false
}

// oauthErrorCodes are RFC 6749's error codes a server sends when it
// refuses an authorization or token request.
func isOAuthErrorCode(s string) bool {
	switch s {
	case "invalid_request", "invalid_grant", "access_denied", "invalid_scope", "unauthorized_client",
		"unsupported_response_type", "unsupported_grant_type", "invalid_client", "login_required", "invalid_state":
		return true
	}
	return false
}

func expectsRefusal(info *types.Info, body ast.Node) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			fn := Callee(info, n)
			if fn != nil && fn.Pkg() != nil && strings.Contains(fn.Pkg().Path(), "testify") {
				switch strings.TrimSuffix(fn.Name(), "f") {
				case "Error", "EqualError", "ErrorIs", "ErrorAs", "ErrorContains":
					found = true
				}
			}
		case *ast.IfStmt:
			if errIsNil(info, n.Cond) && failsTest(info, n.Body) {
				found = true
			}
		case *ast.Ident:
			if v, ok := info.Uses[n].(*types.Var); ok && v.Parent() == v.Pkg().Scope() &&
				strings.HasPrefix(v.Name(), "Err") && types.Implements(v.Type(), errorIface) {
				found = true
			}
			if c, ok := info.Uses[n].(*types.Const); ok && c.Pkg() != nil && c.Pkg().Path() == "net/http" &&
				strings.HasPrefix(c.Name(), "Status") {
				if v, ok := constant.Int64Val(c.Val()); ok && v >= 400 && v < 500 {
					found = true
				}
			}
		case *ast.BasicLit:
			if s, ok := StringConst(info, n); ok && isOAuthErrorCode(s) {
				found = true
			}
		}
		return true
	})
	return found
}

// errIsNil matches err == nil for an error-typed err.
func errIsNil(info *types.Info, cond ast.Expr) bool {
	b, ok := cond.(*ast.BinaryExpr)
	if !ok || b.Op != token.EQL {
		return false
	}
	for _, pair := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
		if id, ok := pair[1].(*ast.Ident); ok && id.Name == "nil" {
			if t := info.TypeOf(pair[0]); t != nil && types.Implements(t, errorIface) {
				return true
			}
		}
	}
	return false
}

// failsTest reports whether a block fails the test (t.Fatal, t.Error, …).
func failsTest(info *types.Info, body ast.Node) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if fn := Callee(info, call); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "testing" {
				switch fn.Name() {
				case "Fatal", "Fatalf", "Error", "Errorf", "Fail", "FailNow":
					found = true
				}
			}
		}
		return !found
	})
	return found
}
