package globalverifier

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
	"github.com/pkcevet/pkcevet/rules"
)

var rule = rules.MustGet("PKCE006")

// Analyzer reports package-level variables that hold code verifiers.
var Analyzer = &analysis.Analyzer{
	Name:     rule.Analyzer,
	Doc:      rule.Doc(),
	URL:      rule.URL(),
	Requires: []*analysis.Analyzer{pkce.Analyzer},
	Run:      run,
}

// The shared policy: generated and _test.go files, //pkcevet:ignore.
func init() { pkce.UsePolicy(Analyzer) }

const msg = "package-level variable %s holds PKCE code verifiers shared by every flow; keep each verifier with its own flow (the user's session or a store owned by the server instance)"

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[pkce.Analyzer].(*pkce.Flow)
	flowed := globalsFromFlow(pass, flow)
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.VAR {
				continue
			}
			for _, spec := range gen.Specs {
				for _, name := range spec.(*ast.ValueSpec).Names {
					v, ok := pass.TypesInfo.Defs[name].(*types.Var)
					if !ok || name.Name == "_" {
						continue
					}
					if flowed[v] || pkce.IsVerifierName(v.Name()) && canHold(v.Type(), 0) || reachesVerifierField(v.Type(), 0) {
						pass.Report(analysis.Diagnostic{
							Pos:      name.Pos(),
							End:      name.End(),
							Category: rule.ID,
							Message:  formatMsg(v.Name()),
						})
					}
				}
			}
		}
	}
	return nil, nil
}

func formatMsg(name string) string {
	return fmt.Sprintf(msg, name)
}

// canHold reports whether a variable of type t, named as a verifier store,
// can hold verifiers: a string or byte slice, a map or slice of them, a
// sync.Map, or a structure with a verifier field.
func canHold(t types.Type, depth int) bool {
	if depth > 3 {
		return false
	}
	if pkce.IsStringLike(t) || isSyncMap(t) {
		return true
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return canHold(u.Elem(), depth+1)
	case *types.Map:
		// A map holds its values; its keys only when it is a set
		// (usedVerifiers map[string]bool). A map of verifier
		// constructors keyed by issuer (supabase's OverrideVerifiers,
		// map[string]func(…) *oidc.IDTokenVerifier) holds no verifier.
		return canHold(u.Elem(), depth+1) || isSetElem(u.Elem()) && canHold(u.Key(), depth+1)
	case *types.Slice:
		return canHold(u.Elem(), depth+1)
	case *types.Array:
		return canHold(u.Elem(), depth+1)
	}
	return reachesVerifierField(t, depth)
}

// isSetElem reports whether a map with values of type t is a set: bool
// or struct{} values.
func isSetElem(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.Bool
	case *types.Struct:
		return u.NumFields() == 0
	}
	return false
}

// reachesVerifierField reports whether t reaches, through pointers, maps,
// slices and arrays, a struct with a field that holds a verifier.
func reachesVerifierField(t types.Type, depth int) bool {
	if depth > 3 {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return reachesVerifierField(u.Elem(), depth+1)
	case *types.Map:
		return reachesVerifierField(u.Elem(), depth+1)
	case *types.Slice:
		return reachesVerifierField(u.Elem(), depth+1)
	case *types.Array:
		return reachesVerifierField(u.Elem(), depth+1)
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if pkce.IsVerifierField(u.Field(i), u.Tag(i)) {
				return true
			}
		}
	}
	return false
}

func isSyncMap(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "sync" && named.Obj().Name() == "Map"
}

// globalsFromFlow finds package variables that verifiers flow into or out
// of, whatever their names: oauth2.GenerateVerifier output stored in them,
// or values read from them used as a verifier.
func globalsFromFlow(pass *analysis.Pass, flow *pkce.Flow) map[*types.Var]bool {
	found := make(map[*types.Var]bool)
	mark := func(g *ssa.Global) {
		if g != nil && g.Pkg != nil && g.Pkg.Pkg == pass.Pkg {
			if v, ok := g.Object().(*types.Var); ok {
				found[v] = true
			}
		}
	}
	for _, sink := range flow.Sinks {
		if sink.Kind == pkce.VerifierSink {
			mark(globalSource(sink.Value))
		}
	}
	for _, fn := range flow.Funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if g, v := globalStore(instr); g != nil && isVerifierValue(v) {
					mark(g)
				}
			}
		}
	}
	return found
}

// globalSource returns the package variable a value is read from:
// g, g[k], or g.Load(k) of a sync.Map.
func globalSource(v ssa.Value) *ssa.Global {
	for {
		switch x := v.(type) {
		case *ssa.UnOp:
			if x.Op == token.MUL {
				g, _ := x.X.(*ssa.Global)
				return g
			}
			return nil
		case *ssa.Lookup:
			v = x.X
		case *ssa.TypeAssert:
			v = x.X
		case *ssa.Extract:
			call, ok := x.Tuple.(*ssa.Call)
			if !ok || !isSyncMapMethod(call.Common(), "Load") {
				return nil
			}
			g, _ := call.Common().Args[0].(*ssa.Global)
			return g
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Convert:
			v = x.X
		default:
			return nil
		}
	}
}

// globalStore returns the package variable an instruction stores into and
// the value stored: g = v, g[k] = v, g.Store(k, v) on a sync.Map.
func globalStore(instr ssa.Instruction) (*ssa.Global, ssa.Value) {
	switch instr := instr.(type) {
	case *ssa.Store:
		if g, ok := instr.Addr.(*ssa.Global); ok {
			return g, instr.Val
		}
	case *ssa.MapUpdate:
		if ld, ok := instr.Map.(*ssa.UnOp); ok && ld.Op == token.MUL {
			if g, ok := ld.X.(*ssa.Global); ok {
				return g, instr.Value
			}
		}
	case *ssa.Call:
		c := instr.Common()
		if isSyncMapMethod(c, "Store") || isSyncMapMethod(c, "LoadOrStore") || isSyncMapMethod(c, "Swap") {
			if g, ok := c.Args[0].(*ssa.Global); ok && len(c.Args) == 3 {
				return g, c.Args[2]
			}
		}
	}
	return nil, nil
}

// isVerifierValue reports whether a stored value is a code verifier:
// oauth2.GenerateVerifier output, a parameter named as a verifier, or a
// value read from a verifier field.
func isVerifierValue(v ssa.Value) bool {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
			continue
		case *ssa.ChangeType:
			v = x.X
			continue
		case *ssa.Call:
			callee := x.Common().StaticCallee()
			if callee == nil {
				return false
			}
			obj, _ := callee.Object().(*types.Func)
			return pkce.IsFunc(obj, pkce.OAuth2Path, "GenerateVerifier")
		case *ssa.Parameter:
			return pkce.IsVerifierName(x.Name()) && pkce.IsStringLike(x.Type())
		}
		f := pkce.FieldLoad(v)
		return f != nil && pkce.IsVerifierField(f, "")
	}
}

func isSyncMapMethod(c *ssa.CallCommon, name string) bool {
	callee := c.StaticCallee()
	if callee == nil || len(c.Args) == 0 {
		return false
	}
	obj, _ := callee.Object().(*types.Func)
	return pkce.IsMethod(obj, "sync", "Map", name)
}
