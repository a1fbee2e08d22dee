package redirecturi

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
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
	loose    ast.Node // the first loose comparison
	looseHow string   // how it is loose
}

// event is an exact comparison of the URI, or a redirect to it, at a node
// of the function being judged: the comparison or the redirect itself, or
// the call of the package's helper that makes it.
type event struct {
	redirect bool // a redirect that no comparison in the helper guards; else an exact comparison
	// reset: the URI's variable is given a value not from the request
	// (redirect = client.RedirectURIs[0] when none was sent): on that
	// path there is nothing to compare.
	reset bool
	at    ast.Node
}

func checkEndpoint(pass *analysis.Pass, srv *pkce.Server, ep *pkce.Endpoint) {
	info := pass.TypesInfo
	r := ep.Reads[pkce.ParamRedirectURI][0]
	read := r.Call
	v := pkce.ParamVar(info, r.Func, read)
	var vd verdict
	events := judge(info, srv, r.Func, read, v, &vd, 0)
	exact, unguarded := settle(r.Func, events)
	switch {
	case vd.loose != nil:
		pkce.Report(pass, vd.loose, rule.ID, fmt.Sprintf("redirect_uri is matched with %s, so a URI the client never registered passes; compare the whole URI with each registered one (==, slices.Contains or a set lookup)", vd.looseHow))
	case unguarded != nil && !exact:
		pkce.Report(pass, read, rule.ID, "redirect_uri from the request is never compared with the client's registered redirect URIs before the code is sent to it; look the client up and require an exact match with one of its registered URIs")
	case unguarded != nil:
		pkce.Report(pass, unguarded, rule.ID, "this redirect sends the user agent to the request's redirect_uri on a path where it is not compared with the client's registered redirect URIs (only other paths compare it); require an exact match with one of the client's registered URIs before every redirect")
	}
}

// settle says whether fn compares the URI exactly anywhere, and returns
// the first redirect that no exact comparison guards (nil if none).
func settle(fn ast.Node, events []event) (exact bool, unguarded ast.Node) {
	for _, e := range events {
		if !e.redirect && !e.reset {
			exact = true
		}
	}
	for _, r := range events {
		if !r.redirect {
			continue
		}
		guarded := false
		for _, e := range events {
			if !e.redirect && guards(fn, events, e.at, r.at) {
				guarded = true
				break
			}
		}
		if !guarded {
			return exact, r.at
		}
	}
	return exact, nil
}

// guards reports whether the exact comparison at e stands on every path
// to the redirect at r in fn: e comes first, and every branch of an if or
// switch that holds e but not r belongs to a statement whose branches all
// compare the URI or end the handler. A comparison in one branch (tsidp's
// funnel clients) says nothing of the redirect after the others (its
// localhost and node branches, which compare nothing).
func guards(fn ast.Node, events []event, e, r ast.Node) bool {
	if e == r || !(posIn(e.Pos(), r) || e.End() <= r.Pos()) {
		return false
	}
	path := pathTo(fn, e)
	for i := len(path) - 1; i > 0; i-- {
		a, parent := path[i], path[i-1]
		if posIn(r.Pos(), a) {
			return true
		}
		var cond ast.Stmt
		switch p := parent.(type) {
		case *ast.IfStmt:
			if a == p.Body || a == p.Else {
				cond = p
			}
		case *ast.BlockStmt:
			if _, ok := a.(*ast.CaseClause); ok && i >= 2 {
				cond, _ = path[i-2].(ast.Stmt)
			}
		}
		if cond != nil && !allBranchesCompare(cond, events) {
			return false
		}
	}
	return true
}

// allBranchesCompare reports whether every branch of an if or switch
// statement holds an exact comparison of the URI or ends the handler; a
// missing else or default is a branch that does neither.
func allBranchesCompare(st ast.Stmt, events []event) bool {
	// ok: the branch n (a block, or a case clause with its case
	// expressions) compares, or its statements end the handler.
	ok := func(n ast.Node, list []ast.Stmt) bool {
		for _, e := range events {
			if !e.redirect && posIn(e.at.Pos(), n) {
				return true
			}
		}
		return len(list) > 0 && terminates(list[len(list)-1])
	}
	switch st := st.(type) {
	case *ast.IfStmt:
		// A comparison in the condition comes before every branch
		// (the else-if of a chain).
		for _, e := range events {
			if !e.redirect && posIn(e.at.Pos(), st) && e.at.End() <= st.Body.Pos() {
				return true
			}
		}
		if !ok(st.Body, st.Body.List) {
			return false
		}
		switch el := st.Else.(type) {
		case *ast.BlockStmt:
			return ok(el, el.List)
		case *ast.IfStmt:
			return allBranchesCompare(el, events)
		}
		return false
	case *ast.SwitchStmt, *ast.TypeSwitchStmt:
		var body *ast.BlockStmt
		if sw, isSwitch := st.(*ast.SwitchStmt); isSwitch {
			body = sw.Body
		} else {
			body = st.(*ast.TypeSwitchStmt).Body
		}
		hasDefault := false
		for _, c := range body.List {
			cc := c.(*ast.CaseClause)
			hasDefault = hasDefault || cc.List == nil
			if !ok(cc, cc.Body) {
				return false
			}
		}
		return hasDefault
	}
	return false
}

// terminates reports whether a branch's last statement leaves it: a
// return, a panic, a goto, break or continue.
func terminates(st ast.Stmt) bool {
	switch st := st.(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	case *ast.ExprStmt:
		if call, ok := st.X.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
				return true
			}
		}
	}
	return false
}

// pathTo returns the nodes from root down to n (both included), or nil.
func pathTo(root, n ast.Node) []ast.Node {
	var stack, path []ast.Node
	ast.Inspect(root, func(x ast.Node) bool {
		if path != nil {
			return false
		}
		if x == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if x.Pos() > n.Pos() || n.End() > x.End() {
			return false // no nil call follows a pruned node
		}
		stack = append(stack, x)
		if x == n {
			path = slices.Clone(stack)
		}
		return true
	})
	return path
}

func posIn(pos token.Pos, n ast.Node) bool { return n.Pos() <= pos && pos < n.End() }

// maxDepth bounds how far the URI is followed into the package's helpers.
const maxDepth = 2

// judge returns what fn does with the redirect URI (read, or the variable
// v holding it): its exact comparisons and its redirects, following it
// into the package's functions that receive it; a loose comparison goes
// into vd.
func judge(info *types.Info, srv *pkce.Server, fn ast.Node, read *ast.CallExpr, v *types.Var, vd *verdict, depth int) []event {
	uses := func(e ast.Node) bool { return pkce.Uses(info, e, read, v) }
	// A field the URI is stored in (p := &Params{RedirectURI: uri}) is
	// the URI wherever it is read in fn.
	if fields := uriFields(info, fn, read, v); len(fields) > 0 {
		direct := uses
		uses = func(e ast.Node) bool { return direct(e) || selectsField(info, e, fields) }
	}
	parsed := parsedVars(info, fn, uses)
	usesParsed := func(e ast.Node) bool { return mentions(info, e, parsed) }
	// Values built from the URI (u := parsed.String(), target := uri +
	// "?code=" + code): only a redirect to them is looked for.
	derived := derivedVars(info, fn, func(e ast.Node) bool { return uses(e) || usesParsed(e) })
	sorts := classifies(info, fn)
	var events []event
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
					events = append(events, event{at: n})
				case isHostOnly(info, x, usesParsed):
					if sorts {
						continue // a classification, not the match (see classifies)
					}
					if !isLoopback(info, other) && vd.loose == nil {
						vd.loose, vd.looseHow = n, "its host only ("+types.ExprString(x)+")"
					} else {
						events = append(events, event{at: n})
					}
				}
			}
		case *ast.AssignStmt:
			if v == nil || len(n.Lhs) != len(n.Rhs) {
				return true
			}
			for i, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); ok && info.ObjectOf(id) == v && !uses(n.Rhs[i]) {
					events = append(events, event{reset: true, at: n})
				}
			}
		case *ast.IndexExpr:
			// A set or map of registered URIs keyed by the URI.
			if _, ok := info.TypeOf(n.X).Underlying().(*types.Map); ok && uses(n.Index) {
				events = append(events, event{at: n})
			}
		case *ast.CallExpr:
			// The parsed URI is the URI: u.String() is redirected to,
			// u is handed to a validator.
			events = append(events, judgeCall(info, srv, n, func(e ast.Node) bool { return uses(e) || usesParsed(e) },
				func(e ast.Node) bool { return uses(e) || usesParsed(e) || mentions(info, e, derived) }, sorts, vd, depth)...)
		}
		return true
	})
	return events
}

// judgeCall returns the events of one call: a redirect to the URI (or a
// value built from it, redirects), an exact check, or what a helper of
// the package that receives the URI does with it.
func judgeCall(info *types.Info, srv *pkce.Server, call *ast.CallExpr, uses, redirects func(ast.Node) bool, sorts bool, vd *verdict, depth int) []event {
	if pkce.IsRedirect(info, call) {
		if t := pkce.RedirectTarget(info, call); t != nil && redirects(t) {
			return []event{{redirect: true, at: call}}
		}
		return nil
	}
	argAt := -1
	for i, a := range call.Args {
		if uses(a) {
			argAt = i
			break
		}
	}
	if argAt < 0 {
		return nil
	}
	exact := []event{{at: call}}
	fn := pkce.Callee(info, call)
	if fn == nil {
		if sig, ok := info.TypeOf(call.Fun).(*types.Signature); ok && pkce.IsCheck(sig) {
			return exact // a func value that may compare: no verdict
		}
		return nil
	}
	if how, ok := looseMatch(fn); ok {
		if vd.loose == nil && !sorts {
			vd.loose, vd.looseHow = call, how
		}
		return nil
	}
	switch {
	case pkce.IsFunc(fn, "slices", "Contains"), pkce.IsFunc(fn, "slices", "Index"):
		return exact
	case pkce.InPackage(fn, "net/url", "strings", "fmt", "log", "log/slog", "net/http", "errors", "path", "path/filepath", "strconv", "context"):
		return nil // builds or logs, compares nothing (the loose matchers are above)
	}
	decl := pkce.DeclOf(srv.Files, fn)
	if decl == nil || depth >= maxDepth {
		// Outside the package, or too deep to follow: a check (it
		// returns a bool or an error) of a library's storage or
		// validator does its own matching. The standard library's
		// functions (a template, an encoder) and functions that
		// return something else only use the URI.
		if pkce.IsCheck(fn.Signature()) && (fn.Pkg() == srv.Pkg || !pkce.IsStd(fn)) {
			return exact
		}
		return nil
	}
	param := paramAt(info, decl, call, argAt)
	if param == nil {
		return exact
	}
	// The helper's events, seen from here: it compares (at this call),
	// and its redirects that its own comparisons do not guard happen at
	// this call.
	inner := judge(info, srv, decl, nil, param, vd, depth+1)
	compares, unguarded := settle(decl, inner)
	var out []event
	if compares {
		out = append(out, event{at: call})
	}
	if unguarded != nil {
		out = append(out, event{redirect: true, at: call})
	}
	return out
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

// classifies reports whether fn only sorts requests by their redirect
// URI: it returns one string or number (dex's grantTypeFromAuthRequest
// returns the device grant for a URI ending in /device/callback), does
// not answer the request (no http.ResponseWriter) and redirects nowhere.
// A loose match there picks a label, not the URIs the code may go to: it
// is no verdict. A check returns a bool or an error, a lookup a client
// (nil when none matches), a handler answers: theirs are judged.
func classifies(info *types.Info, fn ast.Node) bool {
	var sig *types.Signature
	var body *ast.BlockStmt
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		if obj, ok := info.Defs[fn.Name].(*types.Func); ok {
			sig = obj.Signature()
		}
		body = fn.Body
	case *ast.FuncLit:
		sig, _ = info.TypeOf(fn).(*types.Signature)
		body = fn.Body
	}
	if sig == nil || body == nil || sig.Results().Len() != 1 {
		return false
	}
	b, ok := sig.Results().At(0).Type().Underlying().(*types.Basic)
	if !ok || b.Info()&(types.IsString|types.IsInteger) == 0 {
		return false
	}
	for i := range sig.Params().Len() {
		if pkce.IsHTTPResponseWriter(sig.Params().At(i).Type()) {
			return false
		}
	}
	redirects := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && pkce.IsRedirect(info, call) {
			redirects = true
		}
		return !redirects
	})
	return !redirects
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

// derivedVars are the variables assigned a value built from the URI
// (uses), transitively, in fn.
func derivedVars(info *types.Info, fn ast.Node, uses func(ast.Node) bool) map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	for changed := true; changed; {
		changed = false
		ast.Inspect(fn, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, rhs := range as.Rhs {
				if !uses(rhs) && !mentions(info, rhs, out) {
					continue
				}
				if id, ok := as.Lhs[i].(*ast.Ident); ok {
					if v, ok := info.ObjectOf(id).(*types.Var); ok && !out[v] {
						out[v] = true
						changed = true
					}
				}
			}
			return true
		})
	}
	return out
}

// mentions reports whether e names one of vars.
func mentions(info *types.Info, e ast.Node, vars map[*types.Var]bool) bool {
	if len(vars) == 0 {
		return false
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := info.ObjectOf(id).(*types.Var); ok && vars[v] {
				found = true
			}
		}
		return !found
	})
	return found
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
	switch x.(type) {
	case *ast.Ident, *ast.SelectorExpr: // a variable, or a field it is stored in
		return uses(x)
	}
	return false
}

// uriFields returns the struct fields that fn stores the URI in — the
// read itself or the variable v holding it, whole — with a composite
// literal (&Params{RedirectURI: uri}) or an assignment (p.RedirectURI =
// uri). supabase's authorize endpoint keeps it so, and compares the
// field.
func uriFields(info *types.Info, fn ast.Node, read *ast.CallExpr, v *types.Var) map[*types.Var]bool {
	whole := func(e ast.Expr) bool {
		switch e := astutil.Unparen(e).(type) {
		case *ast.CallExpr:
			return e == read
		case *ast.Ident:
			return v != nil && info.ObjectOf(e) == v
		}
		return false
	}
	fields := make(map[*types.Var]bool)
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.KeyValueExpr:
			if key, ok := n.Key.(*ast.Ident); ok && whole(n.Value) {
				if f, ok := info.ObjectOf(key).(*types.Var); ok && f.IsField() {
					fields[f] = true
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				return true
			}
			for i, l := range n.Lhs {
				if sel, ok := l.(*ast.SelectorExpr); ok && whole(n.Rhs[i]) {
					if s := info.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
						fields[s.Obj().(*types.Var)] = true
					}
				}
			}
		}
		return true
	})
	return fields
}

// selectsField reports whether e is, or holds, a selection of one of the
// fields.
func selectsField(info *types.Info, e ast.Node, fields map[*types.Var]bool) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if s := info.Selections[sel]; s != nil && s.Kind() == types.FieldVal && fields[s.Obj().(*types.Var)] {
				found = true
			}
		}
		return !found
	})
	return found
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
