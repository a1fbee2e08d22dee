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
	gates := make(map[*types.Func]int)
	constructors := make(map[*types.Func]*optInConstructor)
	for cur := range insp.Root().Preorder((*ast.IfStmt)(nil)) {
		ifs := cur.Node().(*ast.IfStmt)
		if !addsChallenge(info, ifs.Body) {
			continue
		}
		set, ok := optInSetting(pass, ifs.Cond)
		if !ok {
			continue
		}
		defaults := disablingDefaults(pass, set)
		if len(defaults) > 0 {
			gatedParam(pass, cur, set, gates)
		}
		for _, d := range defaults {
			if d.callee == "" && d.fnObj != nil && d.fnObj.Signature().Variadic() && constructors[d.fnObj] == nil {
				constructors[d.fnObj] = &optInConstructor{Enablers: enablers(pass, d.setting, d.fnObj)}
			}
			if reported[d.at.Pos()] {
				continue
			}
			reported[d.at.Pos()] = true
			switch {
			case d.copiedInto != "":
				pkce.Report(pass, d.at, rule.ID, fmt.Sprintf("%s leaves %s unset, and %s copies it into %s, so the code flow it builds sends no code_challenge unless the caller opts in; make PKCE the default (OAuth 2.1 and the MCP authorization spec require it)",
					d.fn, d.setting.field.Name(), d.fnObj.Name(), d.copiedInto))
			case d.callee == "":
				pkce.Report(pass, d.at, rule.ID, fmt.Sprintf("%s sets %s to %s by default, so the code flow it builds sends no code_challenge unless the caller opts in; make PKCE the default (OAuth 2.1 and the MCP authorization spec require it)",
					d.fn, set.field.Name(), types.ExprString(d.at)))
			default:
				pkce.Report(pass, d.at, rule.ID, fmt.Sprintf("%s passes %s to %s as %s, so the code flow it builds sends no code_challenge and no code_verifier; pass PKCE parameters, or make %s build them (OAuth 2.1 and the MCP authorization spec require PKCE)",
					d.fn, types.ExprString(d.at), d.callee, set.field.Name(), d.fn))
			}
		}
	}
	for fn, c := range constructors {
		if len(c.Enablers) > 0 {
			pass.ExportObjectFact(fn, c)
		}
	}
	// Most packages neither define nor import a gated function: skip
	// the two walks over every function body then.
	if len(gates) == 0 && !importsGates(pass) {
		return
	}
	propagateGates(pass, gates)
	for fn, i := range gates {
		pass.ExportObjectFact(fn, &pkceGate{Param: i})
	}
	checkOptInCalls(pass, gates, constructors)
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
	subject ast.Expr       // what has the setting: rp in rp.IsPKCE(), s in s.pkce != nil
}

// on reports whether e, stored into the setting, turns PKCE on.
func (s optIn) on(info *types.Info, e ast.Expr) bool {
	tv := info.Types[e]
	if s.enabled == nil {
		return !tv.IsNil()
	}
	return tv.Value != nil && constant.Compare(tv.Value, token.EQL, s.enabled)
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
	if b, ok := cond.(*ast.BinaryExpr); ok && b.Op == token.NEQ && info.Types[b.Y].IsNil() {
		// req.PKCEVerifier() != nil, with PKCEVerifier returning nil
		// or r.withVerifier.
		if call, ok := astutil.Unparen(b.X).(*ast.CallExpr); ok && len(call.Args) == 0 {
			fn := pkce.Callee(info, call)
			sel, isSel := astutil.Unparen(call.Fun).(*ast.SelectorExpr)
			if fn == nil || fn.Pkg() != pass.Pkg || fn.Signature().Recv() == nil || !isSel {
				return optIn{}, false
			}
			if f := returnedField(info, pkce.DeclOf(pass.Files, concreteMethod(pass.Pkg, fn))); f != nil {
				return optIn{field: f, subject: sel.X}, true
			}
			return optIn{}, false
		}
	}
	if call, ok := cond.(*ast.CallExpr); ok && len(call.Args) == 0 {
		fn := pkce.Callee(info, call)
		sel, isSel := astutil.Unparen(call.Fun).(*ast.SelectorExpr)
		if fn == nil || fn.Pkg() != pass.Pkg || fn.Signature().Recv() == nil || !isSel {
			return optIn{}, false
		}
		set, ok := methodSetting(pass, fn)
		set.subject = sel.X
		return set, ok
	}
	return fieldSetting(pass, cond)
}

// methodSetting resolves a method of this package whose body is
// `return r.f == C` or `return r.f` to the setting it tests.
func methodSetting(pass *analysis.Pass, fn *types.Func) (optIn, bool) {
	decl := pkce.DeclOf(pass.Files, concreteMethod(pass.Pkg, fn))
	if decl == nil || len(decl.Body.List) != 1 {
		return optIn{}, false
	}
	ret, ok := decl.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return optIn{}, false
	}
	return fieldSetting(pass, astutil.Unparen(ret.Results[0]))
}

// returnedField returns the field f when every return statement of the
// method returns nil or a value of r.f (r.f, r.f.Copy()).
func returnedField(info *types.Info, decl *ast.FuncDecl) *types.Var {
	if decl == nil || decl.Recv == nil || len(decl.Recv.List[0].Names) != 1 {
		return nil
	}
	recv := info.Defs[decl.Recv.List[0].Names[0]]
	var field *types.Var
	ok := true
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) != 1 {
				ok = false
				return false
			}
			r := astutil.Unparen(n.Results[0])
			if info.Types[r].IsNil() {
				return false
			}
			if call, isCall := r.(*ast.CallExpr); isCall {
				if sel, isSel := astutil.Unparen(call.Fun).(*ast.SelectorExpr); isSel {
					r = astutil.Unparen(sel.X)
				}
			}
			sel, isSel := r.(*ast.SelectorExpr)
			if !isSel {
				ok = false
				return false
			}
			x, isIdent := astutil.Unparen(sel.X).(*ast.Ident)
			f, isVar := info.Uses[sel.Sel].(*types.Var)
			if !isIdent || info.Uses[x] != recv || !isVar || !f.IsField() || field != nil && field != f {
				ok = false
				return false
			}
			field = f
		}
		return ok
	})
	if !ok {
		return nil
	}
	return field
}

// fieldSetting resolves `x.f` (a bool field), `x.f == C` and `x.f != nil`
// to the setting they test.
func fieldSetting(pass *analysis.Pass, cond ast.Expr) (optIn, bool) {
	info := pass.TypesInfo
	switch c := cond.(type) {
	case *ast.SelectorExpr:
		if v, ok := info.Uses[c.Sel].(*types.Var); ok && v.IsField() && isBool(v.Type()) {
			return optIn{field: v, enabled: constant.MakeBool(true), subject: c.X}, true
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
			return optIn{field: v, enabled: tv.Value, subject: sel.X}, true
		case c.Op == token.NEQ && tv.IsNil():
			return optIn{field: v, subject: sel.X}, true
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
	fn         string      // the function that makes the choice
	fnObj      *types.Func // the constructor: fn, or the function copying the default
	setting    optIn       // the setting whose options turn PKCE on
	copiedInto string      // for a default copied from an options struct: the field it sets
	callee     string      // the function it passes the off value to, if any
	at         ast.Expr
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
				fnObj, _ := info.Defs[fd.Name].(*types.Func)
				out = append(out, disablingDefault{fn: fd.Name.Name, fnObj: fnObj, at: kv.Value, setting: set})
			}
			// Req{withVerifier: opts.withVerifier}: the setting is
			// copied from an options struct, whose defaults decide.
			if sel, ok := astutil.Unparen(kv.Value).(*ast.SelectorExpr); ok && fd.Recv == nil && fd.Name.IsExported() {
				if g, ok := info.Uses[sel.Sel].(*types.Var); ok && g.IsField() && g != set.field {
					fnObj, _ := info.Defs[fd.Name].(*types.Func)
					from := optIn{field: g, enabled: set.enabled}
					for _, lit := range omittingLiterals(pass, from) {
						out = append(out, disablingDefault{fn: enclosingName(pass, lit), fnObj: fnObj, at: lit, setting: from, copiedInto: set.field.Name()})
					}
				}
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
				fnObj, _ := info.Defs[fd.Name].(*types.Func)
				out = append(out, disablingDefault{fn: fd.Name.Name, fnObj: fnObj, callee: callee.Name(), at: call.Args[i]})
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
		if pkce.InTestFile(pass.Fset, file.FileStart) {
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

// omittingLiterals returns the keyed composite literals of the setting's
// struct type, in the package's non-test files, that leave the field at
// its zero value (or set it off) when that leaves PKCE off:
// `return reqOptions{}` in reqDefaults.
func omittingLiterals(pass *analysis.Pass, set optIn) []ast.Expr {
	info := pass.TypesInfo
	var out []ast.Expr
	eachFunc(pass, func(fd *ast.FuncDecl) {
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			t := info.TypeOf(lit)
			if t == nil {
				return true
			}
			st, ok := t.Underlying().(*types.Struct)
			if !ok || !hasField(st, set.field) {
				return true
			}
			for _, e := range lit.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				if !ok {
					return true // positional: every field is set
				}
				if id, ok := kv.Key.(*ast.Ident); ok && info.ObjectOf(id) == set.field {
					if set.off(info, kv.Value) {
						out = append(out, kv.Value)
					}
					return true
				}
			}
			// Omitted: its zero value, off for a nil-tested setting or
			// one enabled by a non-zero constant.
			if set.enabled == nil || set.enabled.Kind() == constant.Bool && constant.BoolVal(set.enabled) {
				out = append(out, lit)
			}
			return true
		})
	})
	return out
}

func hasField(st *types.Struct, f *types.Var) bool {
	for i := 0; i < st.NumFields(); i++ {
		if st.Field(i) == f {
			return true
		}
	}
	return false
}

// enclosingName returns the name of the function declaration around n.
func enclosingName(pass *analysis.Pass, n ast.Node) string {
	for _, f := range pass.Files {
		if f.FileStart <= n.Pos() && n.End() <= f.FileEnd {
			path, _ := pkce.EnclosingPath(f, n.Pos(), n.End())
			for _, p := range path {
				if fd, ok := p.(*ast.FuncDecl); ok {
					return fd.Name.Name
				}
			}
		}
	}
	return "the package"
}
