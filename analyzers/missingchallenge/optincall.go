package missingchallenge

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
)

// An optInConstructor fact marks a constructor of a client library that
// leaves PKCE off (see checkOptIn) unless one of its options turns it on.
type optInConstructor struct {
	// Enablers are the full names (types.Func.FullName) of the package's
	// functions whose options turn PKCE on (rp.WithPKCE).
	Enablers []string
}

func (*optInConstructor) AFact() {}
func (c *optInConstructor) String() string {
	return "optInConstructor(" + strings.Join(c.Enablers, ", ") + ")"
}

// A pkceGate fact marks a function that adds a code_challenge only when
// its parameter Param (receiver not counted) was built with PKCE on: the
// relying party of AuthURLHandler(state, rp, …).
type pkceGate struct{ Param int }

func (*pkceGate) AFact()           {}
func (g *pkceGate) String() string { return fmt.Sprintf("pkceGate(%d)", g.Param) }

// gatedParam records in gates the exported function around the if
// statement at cur when the setting it tests belongs to one of its
// parameters (if rp.IsPKCE() in AuthURLHandler(…, rp RelyingParty, …)).
func gatedParam(pass *analysis.Pass, cur inspector.Cursor, set optIn, gates map[*types.Func]int) {
	if set.subject == nil {
		return
	}
	for c := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		fd := c.Node().(*ast.FuncDecl)
		fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if !ok || !fd.Name.IsExported() {
			return
		}
		if i := paramIndex(fn.Signature(), pass.TypesInfo, set.subject); i >= 0 {
			gates[fn] = i
		}
	}
}

// enablers returns the full names of the package's exported functions that
// return an option of the constructor's variadic type and store an on
// value into the setting (WithPKCE's `rp.pkce = pkceEnabled`).
func enablers(pass *analysis.Pass, set optIn, constructor *types.Func) []string {
	params := constructor.Signature().Params()
	last, ok := params.At(params.Len() - 1).Type().(*types.Slice)
	if !ok {
		return nil
	}
	option := last.Elem()
	var out []string
	eachFunc(pass, func(fd *ast.FuncDecl) {
		fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if !ok || !fd.Name.IsExported() || fd.Recv != nil {
			return
		}
		if res := fn.Signature().Results(); res.Len() != 1 || !types.Identical(res.At(0).Type(), option) {
			return
		}
		found := false
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return !found
			}
			for i, lhs := range as.Lhs {
				sel, ok := astutil.Unparen(lhs).(*ast.SelectorExpr)
				if ok && pass.TypesInfo.Uses[sel.Sel] == set.field && set.on(pass.TypesInfo, as.Rhs[i]) {
					found = true
				}
			}
			return !found
		})
		if found {
			out = append(out, fn.FullName())
		}
	})
	sort.Strings(out)
	return out
}

// importsGates reports whether an imported package exports a pkceGate
// fact.
func importsGates(pass *analysis.Pass) bool {
	for _, f := range pass.AllObjectFacts() {
		if _, ok := f.Fact.(*pkceGate); ok && f.Object.Pkg() != pass.Pkg {
			return true
		}
	}
	return false
}

// gateOf returns the gated parameter of fn, from this package's gates or
// a fact, or -1.
func gateOf(pass *analysis.Pass, gates map[*types.Func]int, fn *types.Func) int {
	if fn == nil {
		return -1
	}
	fn = fn.Origin()
	if i, ok := gates[fn]; ok {
		return i
	}
	var g pkceGate
	if fn.Pkg() != pass.Pkg && pass.ImportObjectFact(fn, &g) {
		return g.Param
	}
	return -1
}

// propagateGates adds to gates the exported functions that pass one of
// their parameters on as a gated argument (cli.CodeFlow(ctx, rp, …)
// calling rp.AuthURLHandler(state, rp)), until nothing changes.
func propagateGates(pass *analysis.Pass, gates map[*types.Func]int) {
	for changed := true; changed; {
		changed = false
		eachFunc(pass, func(fd *ast.FuncDecl) {
			fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if !ok || !fd.Name.IsExported() {
				return
			}
			if _, done := gates[fn]; done {
				return
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if i := gateOf(pass, gates, pkce.Callee(pass.TypesInfo, call)); i >= 0 && i < len(call.Args) {
					if j := paramIndex(fn.Signature(), pass.TypesInfo, call.Args[i]); j >= 0 {
						gates[fn] = j
						changed = true
						return false
					}
				}
				return true
			})
		})
	}
}

// checkOptInCalls reports a call of a constructor that leaves PKCE off
// unless given an enabling option, when the client it builds reaches a
// function that adds a code_challenge only for clients built with PKCE
// on, and the call passes no such option, or passes it only under a
// condition: the choice is made at that call.
//
//	rp, _ := rp.NewRelyingPartyOAuth(cfg, rp.WithCookieHandler(h)) // reported
//	cli.CodeFlow(ctx, rp, path, port, state)
func checkOptInCalls(pass *analysis.Pass, gates map[*types.Func]int, constructors map[*types.Func]*optInConstructor) {
	info := pass.TypesInfo
	reported := make(map[*ast.CallExpr]bool)
	forwards := make(map[*types.Func]optionsForward)
	eachFunc(pass, func(fd *ast.FuncDecl) {
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			use, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			i := gateOf(pass, gates, pkce.Callee(info, use))
			if i < 0 || i >= len(use.Args) {
				return true
			}
			id, ok := astutil.Unparen(use.Args[i]).(*ast.Ident)
			if !ok {
				return true
			}
			ctor := definingCall(info, fd, id)
			if ctor == nil || reported[ctor] {
				return true
			}
			c := constructorOf(pass, constructors, pkce.Callee(info, ctor))
			if c == nil {
				return true
			}
			reported[ctor] = true
			fw := optionsForward{ctor: ctor, use: use, enablers: c.Enablers}
			on, conds, known := optionsEnable(info, fd, ctor, c.Enablers)
			if !known {
				// LoginHandler(…, opts []oidc.Option) building
				// oidc.NewRequest(…, opts...): its callers choose.
				self, ok := info.Defs[fd.Name].(*types.Func)
				if !ok || !ctor.Ellipsis.IsValid() || len(ctor.Args) == 0 {
					return true
				}
				if j := paramIndex(self.Signature(), info, ctor.Args[len(ctor.Args)-1]); j >= 0 {
					fw.param = j
					forwards[self] = fw
				}
				return true
			}
			if !on {
				reportOptIn(pass, ctor, fw, conds, "")
			}
			return true
		})
	})
	if len(forwards) == 0 {
		return
	}
	eachFunc(pass, func(fd *ast.FuncDecl) {
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fw, ok := forwards[pkce.Callee(info, call)]
			if !ok || fw.param >= len(call.Args) || call.Ellipsis.IsValid() {
				return true
			}
			if on, conds, known := sliceEnables(info, fd, call.Args[fw.param], call, fw.enablers); known && !on {
				reportOptIn(pass, call, fw, conds, types.ExprString(call.Fun))
			}
			return true
		})
	})
}

// An optionsForward is a constructor call whose client reaches the code
// flow, with the options it is given: for a function that takes them
// from its caller, the index of that parameter.
type optionsForward struct {
	ctor, use *ast.CallExpr
	enablers  []string
	param     int
}

// reportOptIn reports at the constructor call, or (via set) at a call of
// the function via that passes the constructor its options.
func reportOptIn(pass *analysis.Pass, at *ast.CallExpr, fw optionsForward, conds []string, via string) {
	name := types.ExprString(fw.ctor.Fun)
	enabler := qualifiedLike(fw.ctor.Fun, fw.enablers[0])
	use := fmt.Sprintf("%s (%s)", types.ExprString(fw.use.Fun), shortPos(pass, fw.use.Pos()))
	switch {
	case via == "" && len(conds) == 0:
		pkce.Report(pass, at, rule.ID, fmt.Sprintf("%s builds a client with PKCE off unless given %s, and %s then runs the code flow with no code_challenge; pass %s(…)",
			name, enabler, use, enabler))
	case via == "":
		pkce.Report(pass, at, rule.ID, fmt.Sprintf("%s gets %s only when %s, so otherwise %s runs the code flow with no code_challenge; pass %s(…) always (OAuth 2.1 requires PKCE for every client)",
			name, enabler, strings.Join(conds, " or "), use, enabler))
	case len(conds) == 0:
		pkce.Report(pass, at, rule.ID, fmt.Sprintf("the options passed to %s have no %s, and it builds %s with them, so %s runs the code flow with no code_challenge; add %s(…)",
			via, enabler, name, use, enabler))
	default:
		pkce.Report(pass, at, rule.ID, fmt.Sprintf("the options passed to %s get %s only when %s, and it builds %s with them, so otherwise %s runs the code flow with no code_challenge; add %s(…) always (OAuth 2.1 requires PKCE for every client)",
			via, enabler, strings.Join(conds, " or "), name, use, enabler))
	}
}

// shortPos spells a position as file.go:N.
func shortPos(pass *analysis.Pass, pos token.Pos) string {
	p := pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

func constructorOf(pass *analysis.Pass, local map[*types.Func]*optInConstructor, fn *types.Func) *optInConstructor {
	if fn == nil {
		return nil
	}
	if c := local[fn]; c != nil && len(c.Enablers) > 0 {
		return c
	}
	var c optInConstructor
	if fn.Pkg() != pass.Pkg && pass.ImportObjectFact(fn, &c) {
		return &c
	}
	return nil
}

// definingCall returns the call whose result (the first, in a tuple
// assignment) is the only value fn ever assigns to id's variable.
func definingCall(info *types.Info, fn ast.Node, id *ast.Ident) *ast.CallExpr {
	obj := info.ObjectOf(id)
	var found *ast.CallExpr
	count := 0
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if l, ok := lhs.(*ast.Ident); ok && info.ObjectOf(l) == obj {
					count++
					if len(n.Rhs) == 1 && i == 0 {
						found, _ = astutil.Unparen(n.Rhs[0]).(*ast.CallExpr)
					} else if len(n.Rhs) == len(n.Lhs) {
						found, _ = astutil.Unparen(n.Rhs[i]).(*ast.CallExpr)
					}
				}
			}
		case *ast.ValueSpec:
			for _, name := range n.Names {
				if info.ObjectOf(name) == obj && len(n.Values) > 0 {
					count++
				}
			}
		}
		return true
	})
	if count != 1 {
		return nil
	}
	return found
}

// optionsEnable judges the variadic options of a constructor call: on
// when an enabler is passed unconditionally; otherwise the conditions
// under which one is added (none: never). known is false when options may
// come from where this cannot see (a parameter, a helper's slice).
func optionsEnable(info *types.Info, fn *ast.FuncDecl, call *ast.CallExpr, enablers []string) (on bool, conds []string, known bool) {
	t := info.TypeOf(call.Fun)
	if t == nil {
		return false, nil, false
	}
	sig, ok := t.Underlying().(*types.Signature)
	if !ok || !sig.Variadic() {
		return false, nil, false
	}
	fixed := sig.Params().Len() - 1
	if !call.Ellipsis.IsValid() || len(call.Args) == 0 {
		for _, a := range call.Args[min(max(fixed, 0), len(call.Args)):] {
			if isEnabler(info, a, enablers) {
				return true, nil, true
			}
		}
		return false, nil, true
	}
	return sliceEnables(info, fn, call.Args[len(call.Args)-1], call, enablers)
}

// isEnabler reports whether e is a call of one of the enablers.
func isEnabler(info *types.Info, e ast.Expr, enablers []string) bool {
	c, ok := astutil.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	callee := pkce.Callee(info, c)
	for _, name := range enablers {
		if callee != nil && callee.FullName() == name {
			return true
		}
	}
	return false
}

// sliceEnables judges an options slice of fn, a local variable, as
// optionsEnable does, with conditions relative to at (the call that
// consumes it).
func sliceEnables(info *types.Info, fn *ast.FuncDecl, e ast.Expr, at ast.Node, enablers []string) (on bool, conds []string, known bool) {
	slice, ok := astutil.Unparen(e).(*ast.Ident)
	if !ok {
		return false, nil, false
	}
	obj, ok := info.ObjectOf(slice).(*types.Var)
	self, isFunc := info.Defs[fn.Name].(*types.Func)
	if !ok || !isFunc || paramIndex(self.Signature(), info, slice) >= 0 {
		return false, nil, false
	}
	known = true
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		var elems []ast.Expr
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				l, ok := lhs.(*ast.Ident)
				if !ok || info.ObjectOf(l) != obj {
					continue
				}
				if len(n.Rhs) != len(n.Lhs) {
					known = false
					continue
				}
				switch rhs := astutil.Unparen(n.Rhs[i]).(type) {
				case *ast.CompositeLit:
					elems = rhs.Elts
				case *ast.CallExpr:
					if b, ok := astutil.Unparen(rhs.Fun).(*ast.Ident); ok && b.Name == "append" && !rhs.Ellipsis.IsValid() && len(rhs.Args) > 0 {
						elems = rhs.Args[1:]
					} else {
						known = false
					}
				default:
					known = false
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if info.ObjectOf(name) != obj || i >= len(n.Values) {
					continue
				}
				if lit, ok := astutil.Unparen(n.Values[i]).(*ast.CompositeLit); ok {
					elems = lit.Elts
				} else {
					known = false
				}
			}
		case *ast.UnaryExpr:
			if id, ok := astutil.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && info.ObjectOf(id) == obj {
				known = false // &opts: written where this cannot see
			}
		}
		for _, e := range elems {
			if !isEnabler(info, e, enablers) {
				continue
			}
			if cond := conditionOf(fn.Body, n, at); cond == "" {
				on = true
			} else {
				conds = append(conds, cond)
			}
		}
		return true
	})
	return on, conds, known
}

// conditionOf returns the condition of the innermost if statement or
// switch case around stmt that does not also hold call, or "" when stmt
// runs whenever call does.
func conditionOf(body *ast.BlockStmt, stmt ast.Node, call ast.Node) string {
	for _, n := range pathTo(body, stmt) {
		if n.Pos() <= call.Pos() && call.End() <= n.End() {
			return ""
		}
		switch n := n.(type) {
		case *ast.IfStmt:
			if stmt.Pos() >= n.Body.Pos() && stmt.End() <= n.Body.End() {
				return types.ExprString(n.Cond)
			}
			return "not " + types.ExprString(n.Cond)
		case *ast.CaseClause:
			var list []string
			for _, e := range n.List {
				list = append(list, types.ExprString(e))
			}
			if len(list) == 0 {
				return "the default case"
			}
			return strings.Join(list, ", ")
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit:
			return "a loop or callback runs"
		}
	}
	return ""
}

// qualifiedLike spells the enabler's full name (pkg/path.WithPKCE) the way
// the constructor is written at the call (rp.NewRelyingPartyOAuth →
// rp.WithPKCE).
func qualifiedLike(fun ast.Expr, full string) string {
	name := full[strings.LastIndex(full, ".")+1:]
	if sel, ok := astutil.Unparen(fun).(*ast.SelectorExpr); ok {
		if x, ok := sel.X.(*ast.Ident); ok {
			return x.Name + "." + name
		}
	}
	if ix, ok := astutil.Unparen(fun).(*ast.IndexExpr); ok {
		return qualifiedLike(ix.X, full)
	}
	return name
}

// pathTo returns the nodes from target (excluded) up to root, innermost
// first.
func pathTo(root, target ast.Node) []ast.Node {
	var stack, path []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if path != nil {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if n == target {
			for i := len(stack) - 1; i >= 0; i-- {
				path = append(path, stack[i])
			}
			return false
		}
		stack = append(stack, n)
		return true
	})
	return path
}
