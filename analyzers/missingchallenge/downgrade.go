package missingchallenge

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
)

// checkGuardedRejection reports a token endpoint that refuses a wrong
// code_verifier but not a missing one: the rejecting condition itself
// requires the verifier to be present,
//
//	case r.FormValue("code_verifier") != "" && r.FormValue("code_verifier") != want:
//		reject
//
// so a client that leaves code_verifier out redeems the code unchecked.
// cond and body are an if statement's, or a tagless switch case's.
func checkGuardedRejection(pass *analysis.Pass, fn ast.Node, cond ast.Expr, body []ast.Stmt) {
	info := pass.TypesInfo
	conjuncts := pkce.Conjuncts(cond)
	if len(conjuncts) < 2 {
		return
	}
	for i, c := range conjuncts {
		verifier, ok := verifierPresent(info, c)
		if !ok {
			continue
		}
		want := types.ExprString(verifier)
		compared := false
		for j, other := range conjuncts {
			if j != i && comparesWith(other, want) {
				compared = true
			}
		}
		if !compared || !pkce.Rejects(info, &ast.BlockStmt{List: body}) || rejectsEmptyElsewhere(info, fn, verifier) {
			continue
		}
		pkce.Report(pass, c, rule.ID, "the code_verifier is checked only when the token request carries one, so a request without code_verifier redeems the code unchecked (a downgrade); reject a missing code_verifier when the authorization request had a code_challenge")
		return
	}
}

// verifierPresent matches `v != ""`, `len(v) > 0` and `len(v) != 0` where v
// is a code verifier read from a request or named as one, and returns v.
func verifierPresent(info *types.Info, e ast.Expr) (ast.Expr, bool) {
	b, ok := astutil.Unparen(e).(*ast.BinaryExpr)
	if !ok || b.Op != token.NEQ && b.Op != token.GTR {
		return nil, false
	}
	x, y := b.X, b.Y
	if isEmptyString(info, x) || isZero(info, x) {
		x, y = y, x
	}
	if call, ok := astutil.Unparen(x).(*ast.CallExpr); ok && isBuiltinLen(info, call) {
		x = call.Args[0]
	}
	if !isEmptyString(info, y) && !isZero(info, y) {
		return nil, false
	}
	if pkce.ReadsParam(info, x, pkce.ParamCodeVerifier) || pkce.IsVerifierName(pkce.ExprName(x)) && pkce.IsStringLike(info.TypeOf(x)) {
		return x, true
	}
	return nil, false
}

// comparesWith reports whether e checks the expression spelled want: a
// `want != x` comparison, or a negated call that takes it (!verify(want, c)).
func comparesWith(e ast.Expr, want string) bool {
	switch e := astutil.Unparen(e).(type) {
	case *ast.BinaryExpr:
		return e.Op == token.NEQ && (types.ExprString(e.X) == want || types.ExprString(e.Y) == want)
	case *ast.UnaryExpr:
		call, ok := astutil.Unparen(e.X).(*ast.CallExpr)
		if e.Op != token.NOT || !ok {
			return false
		}
		for _, a := range call.Args {
			if types.ExprString(a) == want {
				return true
			}
		}
	}
	return false
}
