package missingstate

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
)

// checkUnboundState reports a callback that checks the state only by its
// signature (a JWT, an HMAC over the provider and an expiry) and reads
// nothing that ties it to the browser: no cookie, no session. An attacker
// starts a login, stops at the callback, and hands that URL — with a
// state the server signed for the attacker — to a victim: login CSRF,
// which state exists to stop (RFC 6749 §10.12: the state is bound to the
// user agent). fn is the callback (it reads the code and exchanges it).
func checkUnboundState(pass *analysis.Pass, fn ast.Node) {
	info := pass.TypesInfo
	read := pkce.FirstRead(info, fn, pkce.ParamState)
	if read == nil {
		return
	}
	v := pkce.ParamVar(info, fn, read)
	signed := false
	pkce.FollowValue(info, pass.Files, fn, read, v, 2, func(f ast.Node, uses func(ast.Node) bool) {
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && isSignatureCheck(pkce.Callee(info, call)) {
				// In the callback, the state itself is checked; in
				// a helper it was handed to, any check is of it.
				if f != fn || slices.ContainsFunc(call.Args, func(a ast.Expr) bool { return uses(a) }) {
					signed = true
				}
			}
			return !signed
		})
	}, func(call *ast.CallExpr, _ int) {
		if isSignatureCheck(pkce.Callee(info, call)) {
			signed = true
		}
	})
	if !signed {
		return
	}
	scope := []ast.Node{fn}
	for _, d := range pkce.CalleesWithin(info, pass.Files, fn, 2) {
		scope = append(scope, d)
	}
	if slices.ContainsFunc(scope, func(n ast.Node) bool { return readsBrowserBinding(info, n) }) {
		return
	}
	pkce.Report(pass, read, rule.ID, "state is checked only by its signature, and nothing ties it to this browser (no cookie or session is read), so an attacker's own signed state passes: login CSRF; also compare it with a value saved in a cookie or the session when the login started (RFC 6749 §10.12)")
}

// isSignatureCheck reports whether fn verifies a signature or MAC: hmac's
// Equal and New, or a Parse/Verify/Validate function of a JWT, JWS or
// JOSE package.
func isSignatureCheck(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	if pkce.IsFunc(fn, "crypto/hmac", "Equal") || pkce.IsFunc(fn, "crypto/hmac", "New") || pkce.IsFunc(fn, "crypto/ed25519", "Verify") {
		return true
	}
	path := strings.ToLower(fn.Pkg().Path())
	if !strings.Contains(path, "jwt") && !strings.Contains(path, "jose") && !strings.Contains(path, "jws") {
		return false
	}
	for _, p := range []string{"Parse", "Verify", "Validate"} {
		if strings.HasPrefix(fn.Name(), p) {
			return true
		}
	}
	return false
}

// readsBrowserBinding reports whether n reads something bound to the
// browser: a cookie ((*http.Request).Cookie, a framework context's
// Cookie), or a session or cookie store (a callee, its receiver's type
// or its package named for a session or a cookie).
func readsBrowserBinding(info *types.Info, n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		fn := pkce.Callee(info, call)
		if fn == nil {
			return true
		}
		if pkce.IsMethod(fn, "net/http", "Request", "Cookie") || pkce.IsMethod(fn, "net/http", "Request", "Cookies") {
			found = true
			return false
		}
		names := []string{fn.Name()}
		if fn.Pkg() != nil {
			names = append(names, fn.Pkg().Path())
		}
		if recv := fn.Signature().Recv(); recv != nil {
			names = append(names, types.TypeString(recv.Type(), nil))
		}
		for _, name := range names {
			lower := strings.ToLower(name)
			if strings.Contains(lower, "session") || strings.Contains(lower, "cookie") {
				found = true
			}
		}
		return !found
	})
	return found
}
