package redirecturi

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
	"github.com/pkcevet/pkcevet/rules"
)

var rule = rules.MustGet("PKCE009")

// Analyzer reports redirect URIs matched loosely or not at all.
var Analyzer = &analysis.Analyzer{
	Name:     rule.Analyzer,
	Doc:      rule.Doc(),
	URL:      rule.URL(),
	Requires: []*analysis.Analyzer{pkce.Analyzer},
	Run:      run,
}

func init() { pkce.UsePolicy(Analyzer) }

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[pkce.Analyzer].(*pkce.Flow)
	if !flow.Relevant {
		return nil, nil
	}
	srv := flow.Server()
	// A handler and the helper it delegates to may both be endpoints:
	// one read is judged once.
	judged := make(map[*ast.CallExpr]bool)
	for _, ep := range srv.Of(pkce.AuthorizationEndpoint) {
		if r := ep.Reads[pkce.ParamRedirectURI][0].Call; !judged[r] {
			judged[r] = true
			checkEndpoint(pass, srv, ep)
		}
	}
	return nil, nil
}

// verdict is what the comparisons of a redirect URI say.
type verdict struct {
	exact     bool      // compared exactly, or by code outside the package
	loose     ast.Node  // the first loose comparison
	looseHow  string    // how it is loose
	redirects token.Pos // a redirect that sends the user agent to it
}

func checkEndpoint(pass *analysis.Pass, srv *pkce.Server, ep *pkce.Endpoint) {
	info := pass.TypesInfo
	r := ep.Reads[pkce.ParamRedirectURI][0]
	read := r.Call
	v := pkce.ParamVar(info, r.Func, read)
	var vd verdict
	judge(info, srv, r.Func, read, v, &vd, 0)
	switch {
	case vd.loose != nil:
		pkce.Report(pass, vd.loose, rule.ID, fmt.Sprintf("redirect_uri is matched with %s, so a URI the client never registered passes; compare the whole URI with each registered one (==, slices.Contains or a set lookup)", vd.looseHow))
	case !vd.exact && vd.redirects.IsValid():
		pkce.Report(pass, read, rule.ID, "redirect_uri from the request is never compared with the client's registered redirect URIs before the code is sent to it; look the client up and require an exact match with one of its registered URIs")
	}
}

// maxDepth bounds how far the URI is followed into the package's helpers.
const maxDepth = 2

// judge records in vd what fn does with the redirect URI (read, or the
// variable v holding it), following it into the package's functions that
// receive it.
func judge(info *types.Info, srv *pkce.Server, fn ast.Node, read *ast.CallExpr, v *types.Var, vd *verdict, depth int) {
	uses := func(e ast.Node) bool { return pkce.Uses(info, e, read, v) }
	parsed := parsedVars(info, fn, uses)
	usesParsed := func(e ast.Node) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if pv, ok := info.ObjectOf(id).(*types.Var); ok && parsed[pv] {
					found = true
				}
			}
			return !found
		})
		return found
	}
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op != token.EQL && n.Op != token.NEQ {
				return true
			}
			for _, side := range [2][2]ast.Expr{{n.X, n.Y}, {n.Y, n.X}} {
				x, other := side[0], side[1]
				if isEmpty(info, other) {
					continue
				}
				switch {
				case isWhole(info, x, uses, usesParsed):
					vd.exact = true
				case isHostOnly(info, x, usesParsed):
					if !isLoopback(info, other) && vd.loose == nil {
						vd.loose, vd.looseHow = n, "its host only ("+types.ExprString(x)+")"
					} else {
						vd.exact = true
					}
				}
			}
		case *ast.IndexExpr:
			// A set or map of registered URIs keyed by the URI.
			if _, ok := info.TypeOf(n.X).Underlying().(*types.Map); ok && uses(n.Index) {
				vd.exact = true
			}
		case *ast.CallExpr:
			// The parsed URI is the URI: u.String() is redirected to,
			// u is handed to a validator.
			judgeCall(info, srv, n, func(e ast.Node) bool { return uses(e) || usesParsed(e) }, vd, depth)
		}
		return true
	})
}

func judgeCall(info *types.Info, srv *pkce.Server, call *ast.CallExpr, uses func(ast.Node) bool, vd *verdict, depth int) {
	if pkce.IsRedirect(info, call) {
		if t := pkce.RedirectTarget(info, call); t != nil && uses(t) && !vd.redirects.IsValid() {
			vd.redirects = call.Pos()
		}
		return
	}
	argAt := -1
	for i, a := range call.Args {
		if uses(a) {
			argAt = i
			break
		}
	}
	if argAt < 0 {
		return
	}
	fn := pkce.Callee(info, call)
	if fn == nil {
		if sig, ok := info.TypeOf(call.Fun).(*types.Signature); ok && pkce.IsCheck(sig) {
			vd.exact = true // a func value that may compare: no verdict
		}
		return
	}
	if how, ok := looseMatch(fn); ok {
		if vd.loose == nil {
			vd.loose, vd.looseHow = call, how
		}
		return
	}
	switch {
	case pkce.IsFunc(fn, "slices", "Contains"), pkce.IsFunc(fn, "slices", "Index"):
		vd.exact = true
		return
	case pkce.InPackage(fn, "net/url", "strings", "fmt", "log", "log/slog", "net/http", "errors", "path", "path/filepath", "strconv", "context"):
		return // builds or logs, compares nothing (the loose matchers are above)
	}
	decl := pkce.DeclOf(srv.Files, fn)
	if decl == nil || depth >= maxDepth {
		// Outside the package, or too deep to follow: a check (it
		// returns a bool or an error) of a library's storage or
		// validator does its own matching. The standard library's
		// functions (a template, an encoder) and functions that
		// return something else only use the URI.
		if pkce.IsCheck(fn.Signature()) && (fn.Pkg() == srv.Pkg || !pkce.IsStd(fn)) {
			vd.exact = true
		}
		return
	}
	param := paramAt(info, decl, call, argAt)
	if param == nil {
		vd.exact = true
		return
	}
	judge(info, srv, decl, nil, param, vd, depth+1)
}

// paramAt is the parameter of decl that argument i of call binds.
func paramAt(info *types.Info, decl *ast.FuncDecl, call *ast.CallExpr, i int) *types.Var {
	obj, ok := info.Defs[decl.Name].(*types.Func)
	if !ok {
		return nil
	}
	params := obj.Signature().Params()
	if obj.Signature().Variadic() && i >= params.Len()-1 {
		return nil
	}
	if i >= params.Len() {
		return nil
	}
	return params.At(i)
}

// looseMatch reports whether fn matches strings loosely, and how.
func looseMatch(fn *types.Func) (string, bool) {
	switch {
	case pkce.IsFunc(fn, "strings", "HasPrefix"), pkce.IsFunc(fn, "strings", "HasSuffix"), pkce.IsFunc(fn, "strings", "Contains"),
		pkce.IsFunc(fn, "strings", "EqualFold"), pkce.IsFunc(fn, "strings", "Index"):
		return "strings." + fn.Name(), true
	case pkce.IsFunc(fn, "regexp", "MatchString"), pkce.IsMethod(fn, "regexp", "Regexp", "MatchString"), pkce.IsMethod(fn, "regexp", "Regexp", "FindString"):
		return "a regular expression", true
	case pkce.IsFunc(fn, "path", "Match"), pkce.IsFunc(fn, "path/filepath", "Match"):
		return fn.Pkg().Name() + ".Match (a glob)", true
	}
	return "", false
}

// parsedVars are the variables that hold url.Parse of the URI.
func parsedVars(info *types.Info, fn ast.Node, uses func(ast.Node) bool) map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	ast.Inspect(fn, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 {
			return true
		}
		call, ok := astutil.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok || !(pkce.IsFunc(pkce.Callee(info, call), "net/url", "Parse") || pkce.IsFunc(pkce.Callee(info, call), "net/url", "ParseRequestURI")) ||
			len(call.Args) != 1 || !uses(call.Args[0]) {
			return true
		}
		if id, ok := as.Lhs[0].(*ast.Ident); ok {
			if v, ok := info.ObjectOf(id).(*types.Var); ok {
				out[v] = true
			}
		}
		return true
	})
	return out
}

// isWhole reports whether x is the whole URI: the read, its variable, or
// u.String() of its parsed form.
func isWhole(info *types.Info, x ast.Expr, uses, usesParsed func(ast.Node) bool) bool {
	x = astutil.Unparen(x)
	if call, ok := x.(*ast.CallExpr); ok {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "String" && usesParsed(sel.X) {
			return true
		}
		if _, ok := pkce.RequestParam(info, call); ok {
			return uses(x)
		}
		return false
	}
	if _, ok := x.(*ast.Ident); ok {
		return uses(x)
	}
	return false
}

// isHostOnly reports whether x is the host of the parsed URI: u.Host,
// u.Hostname().
func isHostOnly(info *types.Info, x ast.Expr, usesParsed func(ast.Node) bool) bool {
	x = astutil.Unparen(x)
	if call, ok := x.(*ast.CallExpr); ok && len(call.Args) == 0 {
		x = call.Fun
	}
	sel, ok := x.(*ast.SelectorExpr)
	return ok && (sel.Sel.Name == "Host" || sel.Sel.Name == "Hostname") && usesParsed(sel.X)
}

// isLoopback reports whether e is a loopback host constant (RFC 8252
// §7.3: the port of a loopback redirect may vary).
func isLoopback(info *types.Info, e ast.Expr) bool {
	s, ok := pkce.StringConst(info, e)
	if !ok {
		return false
	}
	s = strings.Trim(s, "[]")
	return s == "127.0.0.1" || s == "::1" || s == "localhost"
}

func isEmpty(info *types.Info, e ast.Expr) bool {
	s, ok := pkce.StringConst(info, e)
	return ok && s == ""
}
