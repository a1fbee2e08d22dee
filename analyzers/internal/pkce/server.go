package pkce

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"
)

// The server model: the authorization and token endpoints a package
// implements, found once per package (Flow.Server) for the rules that
// judge authorization servers (PKCE003's verifier length, PKCE009's
// redirect URI matching, PKCE010's code lifecycle).
//
// An endpoint is recognised by what it does with the request, not by its
// name or route: the parameters it reads (r.FormValue, r.URL.Query().Get,
// url.Values.Get, and the Query/PostForm/FormValue methods of gin, echo
// and fiber contexts) and what it answers. A multiplexing handler (one
// ServeHTTP with a switch over the path) holds one endpoint per case.

// EndpointKind says which endpoint of the code flow an Endpoint is.
type EndpointKind int

const (
	// AuthorizationEndpoint reads the authorization request
	// (redirect_uri with client_id or response_type) and redirects.
	AuthorizationEndpoint EndpointKind = iota
	// TokenEndpoint reads the code of a token request (with grant_type,
	// code_verifier or a token response) and redeems it.
	TokenEndpoint
)

// Endpoint is one endpoint of an authorization server. The redirect of an
// authorization endpoint may be in a helper of the package it calls, two
// levels down (s.Authorize(w, r) calling s.issue(w, r, grant)).
type Endpoint struct {
	Kind EndpointKind
	// Node is the handler: a function declaration or literal, or the
	// case clause of a multiplexing handler.
	Node ast.Node
	// Func is the function declaration or literal Node is in (Node
	// itself when it is a function).
	Func ast.Node
	// Reads are the request parameters read in Node and in the
	// package's functions it calls (two levels down), by name: the
	// handler's own reads first.
	Reads map[string][]Read
	// Scope is Node and the declarations of those functions: where the
	// endpoint's work is done.
	Scope []ast.Node
}

// Read is one read of a request parameter.
type Read struct {
	Call *ast.CallExpr
	Func ast.Node // the function declaration or literal the read is in
}

// Server is the server model of a package.
type Server struct {
	Pkg       *types.Package
	Endpoints []*Endpoint
	// Files are the package's files the model was built from.
	Files []*ast.File
}

// Server returns the package's server model, built on first use. It is
// safe for concurrent use.
func (f *Flow) Server() *Server {
	f.serverOnce.Do(func() {
		if f.info == nil || f.insp == nil {
			f.server = &Server{}
			return
		}
		f.server = buildServer(f.info, f.srcFiles, f.insp)
		f.server.Pkg = f.Pkg
	})
	return f.server
}

// Of returns the endpoints of one kind.
func (s *Server) Of(kind EndpointKind) []*Endpoint {
	var out []*Endpoint
	for _, e := range s.Endpoints {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func buildServer(info *types.Info, files []*ast.File, insp *inspector.Inspector) *Server {
	s := &Server{Files: files}
	// Group the reads of request parameters by their handler.
	type group struct {
		node, fn ast.Node
		reads    map[string][]Read
	}
	var order []ast.Node
	groups := make(map[ast.Node]*group)
	readsIn := make(map[ast.Node][]Read) // by function, for the helpers
	names := make(map[*ast.CallExpr]string)
	insp.WithStack([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		call := n.(*ast.CallExpr)
		name, ok := RequestParam(info, call)
		if !ok {
			return true
		}
		handler, fn := EndpointOf(reversedNodes(stack))
		if fn == nil {
			return true
		}
		g := groups[handler]
		if g == nil {
			g = &group{node: handler, fn: fn, reads: make(map[string][]Read)}
			groups[handler] = g
			order = append(order, handler)
		}
		r := Read{Call: call, Func: fn}
		g.reads[name] = append(g.reads[name], r)
		readsIn[fn] = append(readsIn[fn], r)
		names[call] = name
		return true
	})
	for _, n := range order {
		g := groups[n]
		// The handler's helpers read parameters for it
		// (validateCodeGrant(w, r) reads the code of Token's request).
		scope := []ast.Node{g.node}
		for _, d := range CalleesWithin(info, files, g.node, 2) {
			scope = append(scope, d)
			for _, r := range readsIn[d] {
				g.reads[names[r.Call]] = append(g.reads[names[r.Call]], r)
			}
		}
		has := func(p string) bool { return len(g.reads[p]) > 0 }
		mentions := func(text string) bool {
			return slices.ContainsFunc(scope, func(n ast.Node) bool { return Mentions(info, n, text, "") })
		}
		ep := &Endpoint{Node: g.node, Func: g.fn, Reads: g.reads, Scope: scope}
		switch {
		case has(ParamRedirectURI) && !has(ParamCode) && !has(ParamGrantType) &&
			(has(ParamClientID) || has(ParamResponseType) || has(ParamCodeChallenge) || has(ParamScope) || has(ParamState)) &&
			redirectsWithin(info, files, g.node, 2):
			ep.Kind = AuthorizationEndpoint
		case has(ParamCode) && !has(ParamResponseType) &&
			(has(ParamGrantType) || has(ParamCodeVerifier) || mentions("access_token")):
			ep.Kind = TokenEndpoint
		default:
			continue
		}
		s.Endpoints = append(s.Endpoints, ep)
	}
	return s
}

// CalleesWithin returns the declarations of the package's functions that n
// calls, and those they call, depth levels down, once each.
func CalleesWithin(info *types.Info, files []*ast.File, n ast.Node, depth int) []*ast.FuncDecl {
	var out []*ast.FuncDecl
	seen := make(map[*ast.FuncDecl]bool)
	level := []ast.Node{n}
	for ; depth > 0 && len(level) > 0; depth-- {
		var next []ast.Node
		for _, x := range level {
			for _, d := range LocalCallees(info, files, x) {
				if !seen[d] && ast.Node(d) != n {
					seen[d] = true
					out = append(out, d)
					next = append(next, d)
				}
			}
		}
		level = next
	}
	return out
}

// EndpointOf returns the innermost case clause or function on path (the
// handler: servers written as one ServeHTTP switch over the path keep
// each endpoint in a case), and the innermost function.
func EndpointOf(path []ast.Node) (handler, fn ast.Node) {
	for _, n := range path {
		switch n.(type) {
		case *ast.CaseClause:
			if handler == nil {
				handler = n
			}
		case *ast.FuncDecl, *ast.FuncLit:
			if handler == nil {
				handler = n
			}
			return handler, n
		}
	}
	return nil, nil
}

func reversedNodes(stack []ast.Node) []ast.Node {
	out := make([]ast.Node, len(stack))
	for i, n := range stack {
		out[len(stack)-1-i] = n
	}
	return out
}

// redirectsWithin reports whether n, or a function of the package it
// calls (depth levels down), sends a redirect.
func redirectsWithin(info *types.Info, files []*ast.File, n ast.Node, depth int) bool {
	if redirects(info, n) {
		return true
	}
	if depth == 0 {
		return false
	}
	return slices.ContainsFunc(LocalCallees(info, files, n), func(d *ast.FuncDecl) bool { return redirectsWithin(info, files, d, depth-1) })
}

// redirects reports whether n sends a redirect: http.Redirect, a Location
// header, or a framework context's Redirect method.
func redirects(info *types.Info, n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && IsRedirect(info, call) {
			found = true
		}
		return !found
	})
	return found
}

// IsRedirect reports whether call sends a redirect: http.Redirect,
// Header().Set/Add("Location", …), or the Redirect method of a gin, echo
// or fiber context.
func IsRedirect(info *types.Info, call *ast.CallExpr) bool {
	fn := Callee(info, call)
	switch {
	case IsFunc(fn, "net/http", "Redirect"):
		return true
	case IsMethod(fn, "net/http", "Header", "Set"), IsMethod(fn, "net/http", "Header", "Add"):
		s, ok := StringConst(info, call.Args[0])
		return ok && strings.EqualFold(s, "Location")
	case fn != nil && fn.Name() == "Redirect" && isFrameworkContext(recvType(fn)):
		return true
	}
	return false
}

// RedirectTarget returns the expression a redirect call sends the user
// agent to.
func RedirectTarget(info *types.Info, call *ast.CallExpr) ast.Expr {
	fn := Callee(info, call)
	switch {
	case IsFunc(fn, "net/http", "Redirect") && len(call.Args) >= 3:
		return call.Args[2]
	case (IsMethod(fn, "net/http", "Header", "Set") || IsMethod(fn, "net/http", "Header", "Add")) && len(call.Args) == 2:
		return call.Args[1]
	case fn != nil && fn.Name() == "Redirect" && len(call.Args) > 0:
		return call.Args[len(call.Args)-1]
	}
	return nil
}

// frameworkParam returns the parameter a gin, echo or fiber context method
// reads: c.Query("k"), c.PostForm("k"), c.DefaultQuery("k", d),
// c.QueryParam("k"), c.FormValue("k").
func frameworkParam(info *types.Info, call *ast.CallExpr, fn *types.Func) (string, bool) {
	if fn == nil || len(call.Args) == 0 || !isFrameworkContext(recvType(fn)) {
		return "", false
	}
	switch fn.Name() {
	case "Query", "PostForm", "DefaultQuery", "DefaultPostForm", "GetQuery", "GetPostForm", "QueryParam", "FormValue", "Params":
		return StringConst(info, call.Args[0])
	}
	return "", false
}

// frameworkPaths are the web frameworks whose context types read request
// parameters and redirect.
func frameworkPaths() []string {
	return []string{"github.com/gin-gonic/gin", "github.com/labstack/echo/v4", "github.com/labstack/echo", "github.com/gofiber/fiber/v2", "github.com/gofiber/fiber/v3"}
}

// isFrameworkContext reports whether t is (a pointer to) a gin, echo or
// fiber context, or an interface of such a package (echo.Context).
func isFrameworkContext(t types.Type) bool {
	if t == nil {
		return false
	}
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return false
	}
	return (named.Obj().Name() == "Context" || named.Obj().Name() == "Ctx") &&
		slices.Contains(frameworkPaths(), named.Obj().Pkg().Path())
}

func recvType(fn *types.Func) types.Type {
	if fn == nil {
		return nil
	}
	if recv := fn.Signature().Recv(); recv != nil {
		return recv.Type()
	}
	return nil
}

// ParamVar returns the variable a request parameter read is assigned to
// (v := r.FormValue("code")), or nil when the read is used in place.
func ParamVar(info *types.Info, fn ast.Node, read *ast.CallExpr) *types.Var {
	var v *types.Var
	ast.Inspect(fn, func(n ast.Node) bool {
		if v != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, r := range n.Rhs {
				if astutil.Unparen(r) == read && i < len(n.Lhs) {
					if id, ok := n.Lhs[i].(*ast.Ident); ok {
						v, _ = info.ObjectOf(id).(*types.Var)
					}
				}
			}
		case *ast.ValueSpec:
			for i, r := range n.Values {
				if astutil.Unparen(r) == read && i < len(n.Names) {
					v, _ = info.ObjectOf(n.Names[i]).(*types.Var)
				}
			}
		}
		return true
	})
	return v
}

// Uses reports whether e is the read, or mentions the variable it was
// assigned to.
func Uses(info *types.Info, e ast.Node, read *ast.CallExpr, v *types.Var) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if n == read {
				found = true
			}
		case *ast.Ident:
			if v != nil && info.ObjectOf(n) == v {
				found = true
			}
		}
		return !found
	})
	return found
}

// LocalCallees returns the declarations of the functions of this package
// that n calls, once each: the one level of helpers an endpoint delegates
// to (validateRedirect(client, uri), s.consume(code)).
func LocalCallees(info *types.Info, files []*ast.File, n ast.Node) []*ast.FuncDecl {
	var out []*ast.FuncDecl
	seen := make(map[*types.Func]bool)
	ast.Inspect(n, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn := Callee(info, call)
		if fn == nil || seen[fn] {
			return true
		}
		seen[fn] = true
		if d := DeclOf(files, fn); d != nil && d.Body != nil {
			out = append(out, d)
		}
		return true
	})
	return out
}

// FollowValue calls visit on fn with a test of whether an expression uses
// a value — the request parameter read (or the variable v it is assigned
// to) — and then on each function of the package that fn passes the value
// to, with that function's parameter as the value, depth levels down. It
// is how the server rules see a check made in a helper
// (validRedirect(client, uri), verify(grant, verifier)). Calls of
// functions outside the package go to outside, with the call and the
// index of the argument that carries the value.
func FollowValue(info *types.Info, files []*ast.File, fn ast.Node, read *ast.CallExpr, v *types.Var, depth int,
	visit func(fn ast.Node, uses func(ast.Node) bool), outside func(call *ast.CallExpr, arg int)) {
	uses := func(e ast.Node) bool { return Uses(info, e, read, v) }
	visit(fn, uses)
	ast.Inspect(fn, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		arg := slices.IndexFunc(call.Args, func(a ast.Expr) bool { return uses(a) })
		if arg < 0 {
			return true
		}
		callee := Callee(info, call)
		var decl *ast.FuncDecl
		if callee != nil {
			decl = DeclOf(files, callee)
		}
		if decl == nil || depth == 0 {
			if outside != nil {
				outside(call, arg)
			}
			return true
		}
		params := callee.Signature().Params()
		if arg >= params.Len() || callee.Signature().Variadic() && arg >= params.Len()-1 {
			return true
		}
		FollowValue(info, files, decl, nil, params.At(arg), depth-1, visit, outside)
		return true
	})
}

// IsCheck reports whether a function's results say it checks something: a
// bool or an error. A function outside the package that receives a value
// and is a check (a library's storage or validator) is taken to check it.
func IsCheck(sig *types.Signature) bool {
	for i := 0; i < sig.Results().Len(); i++ {
		t := sig.Results().At(i).Type()
		if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.Bool || types.Identical(t, types.Universe.Lookup("error").Type()) {
			return true
		}
	}
	return false
}

// IsStd reports whether fn is in the standard library (its path has no dot
// in its first element). Its functions hash, encode, render or compare a
// value; none of them validates an OAuth parameter.
func IsStd(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return true
	}
	return isStdPath(fn.Pkg().Path())
}

// isStdPath reports whether an import path looks like the standard
// library's: no dot in its first element. analysistest's packages look so
// too; callers that must tell them apart also ask where the files are.
func isStdPath(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// servedInProcess reports whether the set's encoded query becomes the
// target of an httptest.NewRequest: a request handed to a handler of the
// program (tsidp's tests call srv.authorize(rr, req)), the input of a
// server's test, not a client's request to a provider. Only the implied
// authorization request (no response_type) is judged by it: that shape is
// a guess about a client, and a server that takes no response_type is
// tested with requests that carry none.
func (s *ParamSet) servedInProcess() bool {
	if s.Value == nil {
		return false
	}
	seen := make(map[ssa.Value]bool)
	var work []ssa.Value
	push := func(v ssa.Value) {
		if v != nil && !seen[v] {
			seen[v] = true
			work = append(work, v)
		}
	}
	// The query's Encode() results start the walk.
	for _, ref := range referrers(s.Value) {
		if call, ok := ref.(*ssa.Call); ok && IsMethod(CalleeFunc(call.Common()), "net/url", "Values", "Encode") {
			push(call)
		}
	}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		for _, ref := range referrers(v) {
			switch r := ref.(type) {
			case *ssa.BinOp:
				if r.Op == token.ADD {
					push(r)
				}
			case *ssa.Phi, *ssa.ChangeType, *ssa.Convert:
				push(r.(ssa.Value))
			case *ssa.Store:
				// A captured or address-taken string: its loads.
				if r.Val == v {
					for _, l := range referrers(r.Addr) {
						if u, ok := l.(*ssa.UnOp); ok && u.Op == token.MUL {
							push(u)
						}
					}
				}
			case *ssa.Call:
				fn := CalleeFunc(r.Common())
				if IsFunc(fn, "net/http/httptest", "NewRequest") || IsFunc(fn, "net/http/httptest", "NewRequestWithContext") {
					return true
				}
			}
		}
	}
	return false
}

func referrers(v ssa.Value) []ssa.Instruction {
	if refs := v.Referrers(); refs != nil {
		return *refs
	}
	return nil
}
