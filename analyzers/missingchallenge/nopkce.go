package missingchallenge

import (
	"go/ast"
	"go/types"
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
	srv := flow.Server()
	isAuthorize := func(handler ast.Node) bool {
		if pkce.ReadsParamIn(info, handler, pkce.ParamResponseType) {
			return true
		}
		for _, ep := range srv.Of(pkce.AuthorizationEndpoint) {
			if ep.Node == handler {
				return true
			}
		}
		return false
	}
	var readsChallenge *bool // computed once, when a candidate shows up
	report := func(at ast.Node) bool {
		if readsChallenge == nil {
			b := packageReadsChallenge(pass)
			readsChallenge = &b
		}
		if *readsChallenge {
			return false
		}
		var related []analysis.RelatedInformation
		for _, ep := range srv.Of(pkce.TokenEndpoint) {
			related = append(related, analysis.RelatedInformation{Pos: ep.Node.Pos(), End: ep.Node.Pos(), Message: "the token endpoint that redeems the code without a code_verifier"})
		}
		pkce.Report(pass, at, rule.ID, "this authorization endpoint issues a code without reading code_challenge, so the code is redeemable without PKCE; require code_challenge with code_challenge_method=S256, store it with the code, and check code_verifier at the token endpoint (OAuth 2.1)", related...)
		return true
	}
	reported := make(map[ast.Node]bool)
	for _, file := range pass.Files {
		for _, q := range flow.QueryTexts(file, pkce.ParamCode) {
			if !q.Has(pkce.ParamCode) || q.Has(pkce.ParamResponseType) || q.Has(pkce.ParamGrantType) ||
				q.Has(pkce.ParamClientID) || q.Has(pkce.ParamRedirectURI) {
				continue // a client's authorization or token request
			}
			path, _ := pkce.EnclosingPath(file, q.Expr.Pos(), q.Expr.End())
			handler, fn := pkce.EndpointOf(path)
			if fn == nil || !isAuthorize(handler) || pkce.ReadsParamIn(info, handler, pkce.ParamCode) ||
				pkce.Mentions(info, fn, pkce.ParamCodeChallenge, "challenge") {
				continue
			}
			if !report(q.Expr) {
				return
			}
			reported[handler] = true
		}
	}
	// The code set into url.Values of the redirect, at an endpoint the
	// server model knows (it reads client_id and redirect_uri, and
	// redirects): such a server need not read response_type at all.
	for _, ep := range srv.Of(pkce.AuthorizationEndpoint) {
		if reported[ep.Node] || pkce.Mentions(info, ep.Func, pkce.ParamCodeChallenge, "challenge") {
			continue
		}
		if at := codeSet(info, ep.Node); at != nil && !report(at) {
			return
		}
	}
}

// codeSet returns where n puts a code it minted into url.Values: v.Set or
// v.Add of "code", or a url.Values literal with a "code" key, whose value
// is not read from the request.
func codeSet(info *types.Info, n ast.Node) ast.Node {
	var at ast.Node
	ast.Inspect(n, func(n ast.Node) bool {
		if at != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			fn := pkce.Callee(info, n)
			if (pkce.IsMethod(fn, pkce.URLPath, "Values", "Set") || pkce.IsMethod(fn, pkce.URLPath, "Values", "Add")) && len(n.Args) == 2 {
				if k, ok := pkce.StringConst(info, n.Args[0]); ok && k == pkce.ParamCode && !pkce.ReadsParamIn(info, n.Args[1], pkce.ParamCode) {
					at = n
				}
			}
		case *ast.CompositeLit:
			if !pkce.IsValuesType(info.TypeOf(n)) {
				return true
			}
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if k, ok := pkce.StringConst(info, kv.Key); ok && k == pkce.ParamCode && !pkce.ReadsParamIn(info, kv.Value, pkce.ParamCode) {
						at = kv
					}
				}
			}
		}
		return true
	})
	return at
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
