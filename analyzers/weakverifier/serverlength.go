package weakverifier

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
)

// checkServerLength reports token endpoints that hash and compare the
// code_verifier of the request without checking its length (RFC 7636
// §4.1: 43 to 128 characters). A server that accepts a one-character
// verifier lets a weak client through, and its codes can be redeemed by
// guessing. The verifier is followed into the package's helpers; a
// function outside the package that receives it and returns a bool or an
// error (a library's validation, as in fosite) is taken to check it.
func checkServerLength(pass *analysis.Pass, srv *pkce.Server) {
	info := pass.TypesInfo
	reported := make(map[*ast.CallExpr]bool)
	for _, ep := range srv.Of(pkce.TokenEndpoint) {
		reads := ep.Reads[pkce.ParamCodeVerifier]
		if len(reads) == 0 {
			continue
		}
		read := reads[0].Call
		if reported[read] {
			continue // the same read, through a handler and its helper
		}
		v := pkce.ParamVar(info, reads[0].Func, read)
		hashed, checked := false, false
		pkce.FollowValue(info, srv.Files, reads[0].Func, read, v, 2, func(fn ast.Node, uses func(ast.Node) bool) {
			ast.Inspect(fn, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if isHash(pkce.Callee(info, n)) && len(n.Args) > 0 && uses(n.Args[0]) {
						hashed = true
					}
					if isPatternMatch(pkce.Callee(info, n)) && len(n.Args) > 0 && uses(n.Args[len(n.Args)-1]) {
						checked = true
					}
				case *ast.BinaryExpr:
					if isLengthTest(info, n, uses) {
						checked = true
					}
				}
				return true
			})
		}, func(call *ast.CallExpr, arg int) {
			fn := pkce.Callee(info, call)
			if fn == nil || isHash(fn) || fn.Pkg() == nil || fn.Pkg() == pass.Pkg {
				return
			}
			if pkce.IsCheck(fn.Signature()) && !pkce.IsStd(fn) {
				checked = true // a library's validation (fosite's)
			}
		})
		if hashed && !checked {
			reported[read] = true
			pkce.Report(pass, read, rule.ID, "the token endpoint hashes and compares the request's code_verifier without checking its length, so a one-character verifier is accepted; reject verifiers shorter than 43 or longer than 128 characters (RFC 7636 §4.1) with invalid_grant")
		}
	}
}

// isHash reports whether fn hashes its argument for an S256 check.
func isHash(fn *types.Func) bool {
	return pkce.IsFunc(fn, "crypto/sha256", "Sum256") || pkce.IsFunc(fn, pkce.OAuth2Path, "S256ChallengeFromVerifier")
}

// isPatternMatch reports whether fn matches a string against a regular
// expression (a verifier pattern such as ^[A-Za-z0-9._~-]{43,128}$).
func isPatternMatch(fn *types.Func) bool {
	return pkce.IsFunc(fn, "regexp", "MatchString") || pkce.IsMethod(fn, "regexp", "Regexp", "MatchString")
}

// isLengthTest reports whether b compares len(x) of the verifier with
// something: len(v) < 43, len(v) > 128, len(v) != n.
func isLengthTest(info *types.Info, b *ast.BinaryExpr, uses func(ast.Node) bool) bool {
	switch b.Op {
	case token.LSS, token.LEQ, token.GTR, token.GEQ, token.EQL, token.NEQ:
	default:
		return false
	}
	for _, side := range []ast.Expr{b.X, b.Y} {
		call, ok := astutil.Unparen(side).(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			continue
		}
		if id, ok := astutil.Unparen(call.Fun).(*ast.Ident); ok && (id.Name == "len" || id.Name == "RuneCountInString") && uses(call.Args[0]) {
			return true
		}
		if pkce.IsFunc(pkce.Callee(info, call), "unicode/utf8", "RuneCountInString") && uses(call.Args[0]) {
			return true
		}
	}
	return false
}
