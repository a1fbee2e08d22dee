// Package pkce is the recognition logic the pkcevet analyzers share: which
// calls are OAuth 2 and PKCE APIs, which names are PKCE parameters, and
// where a value's randomness comes from. Keeping it in one place means a
// new API or look-alike is taught to every rule at once.
package pkce

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// Import paths of the packages whose APIs the rules recognise.
const (
	OAuth2Path = "golang.org/x/oauth2"
	URLPath    = "net/url"
)

// OAuth 2 and PKCE parameter names (RFC 6749, RFC 7636).
const (
	ParamCodeChallenge       = "code_challenge"
	ParamCodeChallengeMethod = "code_challenge_method"
	ParamCodeVerifier        = "code_verifier"
	ParamState               = "state"
	ParamResponseType        = "response_type"
	ParamGrantType           = "grant_type"
	ParamClientID            = "client_id"
	ParamRedirectURI         = "redirect_uri"
	ParamCode                = "code"
	ParamClientSecret        = "client_secret"
	ParamScope               = "scope"

	MethodS256  = "S256"
	MethodPlain = "plain"
)

// Callee returns the function or method a call statically invokes, or nil
// (calls of function values, builtins and conversions).
func Callee(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	return fn
}

// IsFunc reports whether fn is the package-level function pkgPath.name.
func IsFunc(fn *types.Func, pkgPath, name string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Name() != name || fn.Pkg().Path() != pkgPath {
		return false
	}
	return fn.Signature().Recv() == nil
}

// IsMethod reports whether fn is the method name declared on the named
// type pkgPath.typeName (with a value or pointer receiver).
func IsMethod(fn *types.Func, pkgPath, typeName, name string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Name() != name || fn.Pkg().Path() != pkgPath {
		return false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Name() == typeName
}

// IsConfigMethod reports whether fn is the method name of *oauth2.Config.
// Methods of other types that happen to be called AuthCodeURL or Exchange
// are not OAuth calls as far as the rules are concerned.
func IsConfigMethod(fn *types.Func, name string) bool {
	return IsMethod(fn, OAuth2Path, "Config", name)
}

// InPackage reports whether fn belongs to one of the packages.
func InPackage(fn *types.Func, paths ...string) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	for _, p := range paths {
		if fn.Pkg().Path() == p {
			return true
		}
	}
	return false
}

// StringConst returns the constant string value of e, if it has one.
func StringConst(info *types.Info, e ast.Expr) (string, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// IsValuesType reports whether t is net/url.Values.
func IsValuesType(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == URLPath && named.Obj().Name() == "Values"
}

// IsHTTPRequest reports whether t is *net/http.Request.
func IsHTTPRequest(t types.Type) bool { return isNamedPtr(t, "net/http", "Request") }

// CallsOAuth2 reports whether one of the nodes calls one of the named
// functions of golang.org/x/oauth2 (a branch that makes or sends PKCE
// options: GenerateVerifier, S256ChallengeOption, VerifierOption, …).
func CallsOAuth2[N ast.Node](info *types.Info, nodes []N, names ...string) bool {
	found := false
	for _, n := range nodes {
		ast.Inspect(n, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				fn := Callee(info, call)
				found = slices.ContainsFunc(names, func(name string) bool { return IsFunc(fn, OAuth2Path, name) })
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// InTestFile reports whether pos is in a _test.go file.
func InTestFile(fset *token.FileSet, pos token.Pos) bool {
	f := fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// IsHTTPResponseWriter reports whether t is net/http.ResponseWriter.
func IsHTTPResponseWriter(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "net/http" && named.Obj().Name() == "ResponseWriter"
}

// TakesParam reports whether the function type ft has a parameter whose
// type is: an *http.Request (IsHTTPRequest), an http.ResponseWriter.
func TakesParam(info *types.Info, ft *ast.FuncType, is func(types.Type) bool) bool {
	for _, f := range ft.Params.List {
		if t := info.TypeOf(f.Type); t != nil && is(t) {
			return true
		}
	}
	return false
}

// isNamedPtr reports whether t is *path.name.
func isNamedPtr(t types.Type, path, name string) bool {
	ptr, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := types.Unalias(ptr.Elem()).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == path && named.Obj().Name() == name
}

// IsStringLike reports whether t's underlying type is a string or a byte
// slice: the types a secret can be held in.
func IsStringLike(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString != 0
	case *types.Slice:
		b, ok := u.Elem().Underlying().(*types.Basic)
		return ok && (b.Kind() == types.Byte || b.Kind() == types.Uint8)
	}
	return false
}

// LevelSep separates a rule ID from a finding's own level in a
// diagnostic's Category ("PKCE001:warning"): a finding reported below its
// rule's default level. Only the pkcevet binary (which sets FlagMark)
// sees the level; for every other driver the policy leaves the bare ID.
const LevelSep = ":"

// ReportWarning reports a finding of rule ruleID at SARIF level warning,
// whatever the rule's default level: a confidential client's code flow
// without PKCE is the client's choice to revisit, not a public client's
// open door (issue 20, item 8).
func ReportWarning(pass *analysis.Pass, rng analysis.Range, ruleID, msg string, related ...analysis.RelatedInformation) {
	pass.Report(analysis.Diagnostic{Pos: rng.Pos(), End: rng.End(), Category: ruleID + LevelSep + "warning", Message: msg, Related: related})
}

// Report sends a diagnostic with the rule ID as its category (ReportFix
// with no fix).
func Report(pass *analysis.Pass, rng analysis.Range, ruleID, msg string, related ...analysis.RelatedInformation) {
	ReportFix(pass, rng, ruleID, msg, nil, related...)
}
