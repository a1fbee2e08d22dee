package missingchallenge

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
)

// checkOptIn reports a client library whose constructors leave PKCE off:
// the code that adds a code_challenge runs only under a setting
// (`if rp.IsPKCE() { … WithCodeChallenge(…) }`, with IsPKCE returning
// rp.pkce == pkceEnabled), and a New… function of the package builds the
// client with that setting off (`pkce: pkceDisabled`). Every caller that
// does not opt in runs the code flow without PKCE, so the finding is the
// constructor's default, where the choice is made.
func checkOptIn(pass *analysis.Pass, insp *inspector.Inspector) {
	info := pass.TypesInfo
	reported := make(map[token.Pos]bool)
	for cur := range insp.Root().Preorder((*ast.IfStmt)(nil)) {
		ifs := cur.Node().(*ast.IfStmt)
		if !addsChallenge(info, ifs.Body) {
			continue
		}
		set, ok := optInSetting(pass, ifs.Cond)
		if !ok {
			continue
		}
		for _, d := range disablingDefaults(pass, set) {
			if reported[d.at.Pos()] {
				continue
			}
			reported[d.at.Pos()] = true
			if d.callee == "" {
				pkce.Report(pass, d.at, rule.ID, fmt.Sprintf("%s sets %s to %s by default, so the code flow it builds sends no code_challenge unless the caller opts in; make PKCE the default (OAuth 2.1 and the MCP authorization spec require it)",
					d.fn, set.field.Name(), types.ExprString(d.at)))
			} else {
				pkce.Report(pass, d.at, rule.ID, fmt.Sprintf("%s passes %s to %s as %s, so the code flow it builds sends no code_challenge and no code_verifier; pass PKCE parameters, or make %s build them (OAuth 2.1 and the MCP authorization spec require PKCE)",
					d.fn, types.ExprString(d.at), d.callee, set.field.Name(), d.fn))
			}
		}
	}
}

// addsChallenge reports whether a block adds a code challenge to a request:
// it calls a function named for one (WithCodeChallenge,
// S256ChallengeOption, GenerateAndStoreCodeChallenge) or sets the
// code_challenge parameter.
func addsChallenge(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			fn := pkce.Callee(info, call)
			if fn != nil && pkce.IsChallengeName(strings.TrimPrefix(fn.Name(), "Generate")) || fn != nil && pkce.IsFunc(fn, pkce.OAuth2Path, "S256ChallengeOption") {
				found = true
			}
			for _, a := range call.Args {
				if s, ok := pkce.StringConst(info, a); ok && s == pkce.ParamCodeChallenge {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// An optIn is the struct field that decides whether a challenge is
// added, and the value that turns it on: a constant (true, pkceEnabled),
// or any non-nil value (pkce *PKCEParams).
type optIn struct {
	field   *types.Var
	enabled constant.Value // nil when the setting is on for any non-nil value
}

// off reports whether e, stored into the setting, leaves PKCE off.
func (s optIn) off(info *types.Info, e ast.Expr) bool {
	tv := info.Types[e]
	if s.enabled == nil {
		return tv.IsNil()
	}
	return tv.Value != nil && !constant.Compare(tv.Value, token.EQL, s.enabled)
}

// optInSetting resolves the condition of an if statement to the struct
// field it tests and the value that turns it on: a bool field (x.usePKCE),
// a comparison with a constant (x.pkce == pkceEnabled), a test for nil
// (x.pkce != nil) as one conjunct of several, or a method of this package
// whose body is `return r.f == C` or `return r.f`.
func optInSetting(pass *analysis.Pass, cond ast.Expr) (optIn, bool) {
	info := pass.TypesInfo
	cond = astutil.Unparen(cond)
	if conj := pkce.Conjuncts(cond); len(conj) > 1 {
		// Every conjunct must hold for the challenge to be added.
		for _, c := range conj {
			if set, ok := optInSetting(pass, c); ok {
				return set, true
			}
		}
		return optIn{}, false
	}
	if call, ok := cond.(*ast.CallExpr); ok && len(call.Args) == 0 {
		fn := pkce.Callee(info, call)
		if fn == nil || fn.Pkg() != pass.Pkg || fn.Signature().Recv() == nil {
			return optIn{}, false
		}
		decl := pkce.DeclOf(pass.Files, concreteMethod(pass.Pkg, fn))
		if decl == nil || len(decl.Body.List) != 1 {
			return optIn{}, false
		}
		ret, ok := decl.Body.List[0].(*ast.ReturnStmt)
		if !ok || len(ret.Results) != 1 {
			return optIn{}, false
		}
		cond = astutil.Unparen(ret.Results[0])
	}
	switch c := cond.(type) {
	case *ast.SelectorExpr:
		if v, ok := info.Uses[c.Sel].(*types.Var); ok && v.IsField() && isBool(v.Type()) {
			return optIn{v, constant.MakeBool(true)}, true
		}
	case *ast.BinaryExpr:
		sel, ok := astutil.Unparen(c.X).(*ast.SelectorExpr)
		if !ok {
			return optIn{}, false
		}
		v, ok := info.Uses[sel.Sel].(*types.Var)
		if !ok || !v.IsField() {
			return optIn{}, false
		}
		tv := info.Types[c.Y]
		switch {
		case c.Op == token.EQL && tv.Value != nil:
			return optIn{v, tv.Value}, true
		case c.Op == token.NEQ && tv.IsNil():
			return optIn{field: v}, true
		}
	}
	return optIn{}, false
}

// concreteMethod returns the method of this package's one concrete type
// that implements fn when fn is an interface method (rp.IsPKCE() on a
// RelyingParty), else fn.
func concreteMethod(pkg *types.Package, fn *types.Func) *types.Func {
	iface, ok := fn.Signature().Recv().Type().Underlying().(*types.Interface)
	if !ok {
		return fn
	}
	var found *types.Func
	for _, name := range pkg.Scope().Names() {
		tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
		if !ok || types.IsInterface(tn.Type()) {
			continue
		}
		ptr := types.NewPointer(tn.Type())
		if !types.Implements(ptr, iface) {
			continue
		}
		m, ok := types.NewMethodSet(ptr).Lookup(fn.Pkg(), fn.Name()).Obj().(*types.Func)
		// A struct that embeds the interface only promotes it.
		if ok && !types.IsInterface(m.Signature().Recv().Type()) {
			if found != nil {
				return fn // several implementations: none is the one
			}
			found = m
		}
	}
	if found == nil {
		return fn
	}
	return found
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

// A disablingDefault is where a constructor leaves PKCE off: a
// composite-literal entry setting the field to an off value, or (callee
// set) an argument passing an off value to a function that stores its
// parameter into the field.
type disablingDefault struct {
	fn     string // the exported function that makes the choice
	callee string // the function it passes the off value to, if any
	at     ast.Expr
}

// disablingDefaults returns where the package's exported functions (test
// files aside) leave the setting off: composite-literal entries in New…
// functions that set the field to an off value, and arguments in any
// exported function that pass an off value for a parameter another
// function stores into the field (TokenSource calling
// TokenSourceWithPKCE(…, nil), which builds source{pkce: pkce}).
func disablingDefaults(pass *analysis.Pass, set optIn) []disablingDefault {
	info := pass.TypesInfo
	var out []disablingDefault
	stores := make(map[*types.Func]int) // function → index of the parameter it stores into the field
	eachFunc(pass, func(fd *ast.FuncDecl) {
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			id, ok := kv.Key.(*ast.Ident)
			if !ok || info.ObjectOf(id) != set.field {
				return true
			}
			if fd.Recv == nil && fd.Name.IsExported() && strings.HasPrefix(fd.Name.Name, "New") && set.off(info, kv.Value) {
				out = append(out, disablingDefault{fn: fd.Name.Name, at: kv.Value})
			}
			if fn, ok := info.Defs[fd.Name].(*types.Func); ok {
				if i := paramIndex(fn.Signature(), info, kv.Value); i >= 0 {
					stores[fn] = i
				}
			}
			return true
		})
	})
	if len(stores) == 0 {
		return out
	}
	eachFunc(pass, func(fd *ast.FuncDecl) {
		if !fd.Name.IsExported() {
			return
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			callee := pkce.Callee(info, call)
			i, ok := stores[callee]
			if ok && i < len(call.Args) && call.Ellipsis == token.NoPos && set.off(info, call.Args[i]) {
				out = append(out, disablingDefault{fn: fd.Name.Name, callee: callee.Name(), at: call.Args[i]})
			}
			return true
		})
	})
	return out
}

// eachFunc calls f for every function declaration with a body in the
// package's non-test files.
func eachFunc(pass *analysis.Pass, f func(*ast.FuncDecl)) {
	for _, file := range pass.Files {
		if strings.HasSuffix(pass.Fset.File(file.FileStart).Name(), "_test.go") {
			continue
		}
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				f(fd)
			}
		}
	}
}

// paramIndex returns the index of the parameter of sig that e names, or -1.
func paramIndex(sig *types.Signature, info *types.Info, e ast.Expr) int {
	id, ok := astutil.Unparen(e).(*ast.Ident)
	if !ok {
		return -1
	}
	obj := info.Uses[id]
	for i := 0; i < sig.Params().Len(); i++ {
		if sig.Params().At(i) == obj {
			return i
		}
	}
	return -1
}
