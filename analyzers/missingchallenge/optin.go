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
		field, enabled := optInSetting(pass, ifs.Cond)
		if field == nil {
			continue
		}
		for _, d := range disablingDefaults(pass, field, enabled) {
			if !reported[d.kv.Pos()] {
				reported[d.kv.Pos()] = true
				pkce.Report(pass, d.kv, rule.ID, fmt.Sprintf("%s sets %s to %s by default, so the code flow it builds sends no code_challenge unless the caller opts in; make PKCE the default (OAuth 2.1 and the MCP authorization spec require it)",
					d.fn, field.Name(), types.ExprString(d.kv.Value)))
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

// optInSetting resolves the condition of an if statement to the struct
// field it tests and the value that turns it on: a bool field (x.usePKCE),
// or a method of this package whose body is `return r.f == C` or
// `return r.f`.
func optInSetting(pass *analysis.Pass, cond ast.Expr) (*types.Var, constant.Value) {
	info := pass.TypesInfo
	cond = astutil.Unparen(cond)
	if call, ok := cond.(*ast.CallExpr); ok && len(call.Args) == 0 {
		fn := pkce.Callee(info, call)
		if fn == nil || fn.Pkg() != pass.Pkg || fn.Signature().Recv() == nil {
			return nil, nil
		}
		decl := pkce.DeclOf(pass.Files, concreteMethod(pass.Pkg, fn))
		if decl == nil || len(decl.Body.List) != 1 {
			return nil, nil
		}
		ret, ok := decl.Body.List[0].(*ast.ReturnStmt)
		if !ok || len(ret.Results) != 1 {
			return nil, nil
		}
		cond = astutil.Unparen(ret.Results[0])
	}
	switch c := cond.(type) {
	case *ast.SelectorExpr:
		if v, ok := info.Uses[c.Sel].(*types.Var); ok && v.IsField() && isBool(v.Type()) {
			return v, constant.MakeBool(true)
		}
	case *ast.BinaryExpr:
		if c.Op != token.EQL {
			return nil, nil
		}
		sel, ok := astutil.Unparen(c.X).(*ast.SelectorExpr)
		tv := info.Types[c.Y]
		if !ok || tv.Value == nil {
			return nil, nil
		}
		if v, ok := info.Uses[sel.Sel].(*types.Var); ok && v.IsField() {
			return v, tv.Value
		}
	}
	return nil, nil
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

type disablingDefault struct {
	fn string // the constructor
	kv *ast.KeyValueExpr
}

// disablingDefaults returns the composite-literal entries in the package's
// exported New… functions (test files aside) that set field to a constant
// other than enabled.
func disablingDefaults(pass *analysis.Pass, field *types.Var, enabled constant.Value) []disablingDefault {
	var out []disablingDefault
	for _, f := range pass.Files {
		if strings.HasSuffix(pass.Fset.File(f.FileStart).Name(), "_test.go") {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || fd.Recv != nil || !fd.Name.IsExported() || !strings.HasPrefix(fd.Name.Name, "New") {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				kv, ok := n.(*ast.KeyValueExpr)
				if !ok {
					return true
				}
				id, ok := kv.Key.(*ast.Ident)
				if !ok || pass.TypesInfo.ObjectOf(id) != field {
					return true
				}
				if tv := pass.TypesInfo.Types[kv.Value]; tv.Value != nil && !constant.Compare(tv.Value, token.EQL, enabled) {
					out = append(out, disablingDefault{fn: fd.Name.Name, kv: kv})
				}
				return true
			})
		}
	}
	return out
}
