package pkce

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Lifetime says how long a value used as a verifier or state lives,
// relative to the flows that use it: made for one request, kept in an
// object, or made once for the process. PKCE008 reports the last two when
// more than one authorization request sends the value.
type Lifetime int

const (
	// LifeUnknown: the value comes from a parameter, a store, or code
	// this analysis does not follow.
	LifeUnknown Lifetime = iota
	// PerRequest: made on the path of the request that sends it.
	PerRequest
	// PerObject: read from a struct field that is set outside the
	// method that sends it (a constructor).
	PerObject
	// PerProcess: made once, outside the HTTP handler or the loop that
	// sends it on every request or iteration.
	PerProcess
)

// Life is the lifetime of a sink's value, with where it was made.
type Life struct {
	Lifetime Lifetime
	// Made is where the value was made (the call), and MadeIn the
	// function it was made in.
	Made   token.Pos
	MadeIn *ssa.Function
	// Field is the struct field a PerObject value is read from, and
	// Setters the functions that store into it.
	Field   *types.Var
	Setters []*ssa.Function
	// Loop is set for a PerProcess value sent in a loop.
	Loop bool
}

// LifetimeOf returns the lifetime of the value a sink uses. It is safe for
// concurrent use.
func (f *Flow) LifetimeOf(s Sink) Life {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := unconvert(s.Value)
	if fv := FieldLoad(v); fv != nil {
		return f.fieldLife(s, fv)
	}
	fn := s.Fn
	// Through the variables a closure captures, to where the value was
	// made.
	for {
		switch x := v.(type) {
		case *ssa.FreeVar:
			b := binding(x)
			if b == nil {
				return Life{}
			}
			v, fn = unconvert(b), x.Parent().Parent()
			continue
		case *ssa.UnOp:
			if x.Op == token.MUL {
				if stored, in, ok := soleStore(x.X); ok {
					v, fn = unconvert(stored), in
					continue
				}
				return Life{Lifetime: PerRequest} // reassigned inside: regenerated
			}
		}
		break
	}
	call := madeBy(v)
	if call == nil || fn == nil {
		return Life{}
	}
	life := Life{Made: call.Pos(), MadeIn: fn}
	switch {
	case handlesRequest(fn):
		life.Lifetime = PerRequest
	case fn != s.Fn && servedBy(s.Fn, fn):
		life.Lifetime = PerProcess
	case fn == s.Fn && f.inLoopWithout(s, call.Pos()):
		life.Lifetime, life.Loop = PerProcess, true
	default:
		life.Lifetime = PerRequest
	}
	return life
}

// madeBy returns the call that makes v, or nil when v is not a call's
// result (a constant, a parameter).
func madeBy(v ssa.Value) *ssa.Call {
	if x, ok := v.(*ssa.Extract); ok {
		v = x.Tuple
	}
	call, _ := v.(*ssa.Call)
	return call
}

// binding returns the value a closure's free variable is bound to by the
// MakeClosure that creates it.
func binding(fv *ssa.FreeVar) ssa.Value {
	closure := fv.Parent()
	parent := closure.Parent()
	if parent == nil {
		return nil
	}
	idx := -1
	for i, x := range closure.FreeVars {
		if x == fv {
			idx = i
		}
	}
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == closure && idx < len(mc.Bindings) {
				return mc.Bindings[idx]
			}
		}
	}
	return nil
}

// soleStore returns the one value stored into a captured variable (an
// Alloc, or a free variable bound to one) and the function that stores
// it, when every store is in that one function and it is not a closure
// that runs per request.
func soleStore(addr ssa.Value) (ssa.Value, *ssa.Function, bool) {
	for {
		fv, ok := addr.(*ssa.FreeVar)
		if !ok {
			break
		}
		b := binding(fv)
		if b == nil {
			return nil, nil, false
		}
		addr = b
	}
	alloc, ok := addr.(*ssa.Alloc)
	if !ok {
		return nil, nil, false
	}
	var val ssa.Value
	var in *ssa.Function
	stores := 0
	var visit func(v ssa.Value)
	seen := make(map[ssa.Value]bool)
	visit = func(v ssa.Value) {
		if seen[v] {
			return
		}
		seen[v] = true
		for _, ref := range *v.Referrers() {
			switch r := ref.(type) {
			case *ssa.Store:
				if r.Addr == v {
					stores++
					val, in = r.Val, r.Parent()
				}
			case *ssa.MakeClosure:
				for i, b := range r.Bindings {
					if b == v {
						if fn, ok := r.Fn.(*ssa.Function); ok && i < len(fn.FreeVars) {
							visit(fn.FreeVars[i])
						}
					}
				}
			}
		}
	}
	visit(alloc)
	if stores != 1 || in != alloc.Parent() {
		return nil, nil, false
	}
	return val, in, true
}

// handlesRequest reports whether fn serves one HTTP request: it takes an
// *http.Request or a gin, echo or fiber context.
func handlesRequest(fn *ssa.Function) bool {
	for _, p := range fn.Params {
		if IsHTTPRequest(p.Type()) || isFrameworkContext(p.Type()) {
			return true
		}
	}
	return false
}

// servedBy reports whether fn, a closure nested in maker, runs per request
// (it, or a closure it is nested in below maker, handles a request): a
// value made in maker is then shared by every request it serves.
func servedBy(fn, maker *ssa.Function) bool {
	for f := fn; f != nil && f != maker; f = f.Parent() {
		if handlesRequest(f) {
			return true
		}
	}
	return false
}

// inLoopWithout reports whether the sink is inside a loop of its function
// that does not contain pos: a value made before the loop is sent on every
// iteration.
func (f *Flow) inLoopWithout(s Sink, made token.Pos) bool {
	at := s.Range.Pos()
	for _, file := range f.srcFiles {
		if at < file.FileStart || at >= file.FileEnd {
			continue
		}
		path, _ := EnclosingPath(file, at, at)
		for _, n := range path {
			switch n := n.(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				if made < n.Pos() || made >= n.End() {
					return true
				}
			case *ast.FuncDecl, *ast.FuncLit:
				return false
			}
		}
	}
	return false
}

// fieldLife is the lifetime of a value read from field fv in the sink's
// function: PerObject when the field is set only outside the function
// (and the functions nested in it), PerRequest when the function sets it
// too.
func (f *Flow) fieldLife(s Sink, fv *types.Var) Life {
	setters := f.fieldSetters()[fv]
	if len(setters) == 0 {
		return Life{}
	}
	for _, fn := range setters {
		for g := fn; g != nil; g = g.Parent() {
			if g == s.Fn {
				return Life{Lifetime: PerRequest}
			}
		}
	}
	return Life{Lifetime: PerObject, Field: fv, Setters: setters}
}

// fieldSetters maps each struct field to the functions that store into it,
// built once. The caller holds f.mu.
func (f *Flow) fieldSetters() map[*types.Var][]*ssa.Function {
	if f.setters != nil {
		return f.setters
	}
	f.setters = make(map[*types.Var][]*ssa.Function)
	for _, fn := range f.Funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				if fv := fieldVar(fa.X.Type(), fa.Field); fv != nil {
					f.setters[fv] = append(f.setters[fv], fn)
				}
			}
		}
	}
	return f.setters
}
