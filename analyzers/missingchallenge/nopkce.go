package missingchallenge

import (
	"go/ast"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
)

// checkCodeIssuers reports an authorization endpoint with no PKCE at all:
// a handler that reads response_type and redirects back with a code it
// minted (`redirectURI + "?state=" + s + "&code=" + code`), in a package
// that never reads a code_challenge from a request. Nothing binds that
// code to its client, so an intercepted code is redeemed by anyone.
//
// The handler is the innermost case clause or function around the
// redirect: servers written as one ServeHTTP switch over the path keep
// each endpoint in a case. A code read from the request and passed on (a
// form_post relay, a client's callback) is not minted there.
func checkCodeIssuers(pass *analysis.Pass, flow *pkce.Flow) {
	info := pass.TypesInfo
	var readsChallenge *bool // computed once, when a candidate shows up
	for _, file := range pass.Files {
		for _, q := range flow.QueryTexts(file, pkce.ParamCode) {
			if !q.Has(pkce.ParamCode) || q.Has(pkce.ParamResponseType) || q.Has(pkce.ParamGrantType) ||
				q.Has(pkce.ParamClientID) || q.Has(pkce.ParamRedirectURI) {
				continue // a client's authorization or token request
			}
			path, _ := pkce.EnclosingPath(file, q.Expr.Pos(), q.Expr.End())
			handler, fn := pkce.EndpointOf(path)
			if fn == nil || !pkce.ReadsParamIn(info, handler, pkce.ParamResponseType) || pkce.ReadsParamIn(info, handler, pkce.ParamCode) ||
				pkce.Mentions(info, fn, pkce.ParamCodeChallenge, "challenge") {
				continue
			}
			if readsChallenge == nil {
				b := packageReadsChallenge(pass)
				readsChallenge = &b
			}
			if *readsChallenge {
				return
			}
			pkce.Report(pass, q.Expr, rule.ID, "this authorization endpoint issues a code without reading code_challenge, so the code is redeemable without PKCE; require code_challenge with code_challenge_method=S256, store it with the code, and check code_verifier at the token endpoint (OAuth 2.1)")
		}
	}
}

// packageReadsChallenge reports whether any file of the package reads
// code_challenge from a request, or decodes one into a struct field
// tagged with it: then PKCE may be handled by a function other than the
// one that issues the code.
func packageReadsChallenge(pass *analysis.Pass) bool {
	for _, f := range pass.Files {
		if pkce.ReadsParamIn(pass.TypesInfo, f, pkce.ParamCodeChallenge) {
			return true
		}
		tagged := false
		ast.Inspect(f, func(n ast.Node) bool {
			if field, ok := n.(*ast.Field); ok && field.Tag != nil {
				if strings.Contains(field.Tag.Value, pkce.ParamCodeChallenge) {
					tagged = true
				}
			}
			return !tagged
		})
		if tagged {
			return true
		}
	}
	return false
}
