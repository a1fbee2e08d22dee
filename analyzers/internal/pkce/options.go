package pkce

import (
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// OptionKind says what an oauth2.AuthCodeOption does.
type OptionKind int

const (
	OptOther     OptionKind = iota // AccessTypeOffline, ApprovalForce, ...
	OptChallenge                   // oauth2.S256ChallengeOption
	OptVerifier                    // oauth2.VerifierOption
	OptParam                       // oauth2.SetAuthURLParam(Key, Value)
)

// Option is one AuthCodeOption passed to an oauth2.Config method.
type Option struct {
	Kind  OptionKind
	Key   string    // OptParam
	Value ssa.Value // OptParam: the value; OptChallenge/OptVerifier: the verifier
	Range analysis.Range
}

// ConfigCall is a call of an *oauth2.Config method with its options.
type ConfigCall struct {
	Method  string // AuthCodeURL, Exchange, ...
	Call    ssa.CallInstruction
	Range   analysis.Range // the call expression
	Options []Option
	// Open is set when some option could not be identified (a slice
	// built elsewhere, an option from a helper): the call may carry a
	// challenge or verifier this analysis cannot see.
	Open bool
}

// HasParam reports whether an option sets the parameter key, directly or
// through S256ChallengeOption/VerifierOption.
func (c *ConfigCall) HasParam(key string) bool {
	for _, o := range c.Options {
		switch {
		case o.Kind == OptParam && o.Key == key,
			o.Kind == OptChallenge && (key == ParamCodeChallenge || key == ParamCodeChallengeMethod),
			o.Kind == OptVerifier && key == ParamCodeVerifier:
			return true
		}
	}
	return false
}

// ConfigCalls returns the calls of the named *oauth2.Config methods.
func (f *Flow) ConfigCalls(methods ...string) []*ConfigCall {
	var out []*ConfigCall
	for _, fn := range f.Funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				callee := call.Common().StaticCallee()
				if callee == nil {
					continue
				}
				obj, _ := callee.Object().(*types.Func)
				for _, m := range methods {
					if IsConfigMethod(obj, m) {
						out = append(out, f.configCall(m, call))
					}
				}
			}
		}
	}
	return out
}

func (f *Flow) configCall(method string, call ssa.CallInstruction) *ConfigCall {
	cc := &ConfigCall{Method: method, Call: call, Range: f.ExprRange(call.Pos(), -1)}
	args := call.Common().Args
	elems, ok := sliceElements(args[len(args)-1], make(map[ssa.Value]bool))
	if !ok {
		cc.Open = true
		return cc
	}
	for _, v := range elems {
		opt, ok := f.option(v)
		if !ok {
			cc.Open = true
			continue
		}
		cc.Options = append(cc.Options, opt)
	}
	return cc
}

// sliceElements returns the elements of a variadic argument: nil, a slice
// built in place, or append(...) and phis of those. seen breaks the cycle
// of a slice appended to in a loop.
func sliceElements(v ssa.Value, seen map[ssa.Value]bool) ([]ssa.Value, bool) {
	if seen[v] {
		return nil, true
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.Const:
		return nil, v.Value == nil
	case *ssa.Slice:
		a, ok := v.X.(*ssa.Alloc)
		if !ok {
			return nil, false
		}
		var elems []ssa.Value
		for _, ref := range *a.Referrers() {
			ia, ok := ref.(*ssa.IndexAddr)
			if !ok {
				continue
			}
			for _, r2 := range *ia.Referrers() {
				if st, ok := r2.(*ssa.Store); ok && st.Addr == ia {
					elems = append(elems, st.Val)
				}
			}
		}
		return elems, true
	case *ssa.Call:
		if b, ok := v.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" && len(v.Call.Args) == 2 {
			x, okx := sliceElements(v.Call.Args[0], seen)
			y, oky := sliceElements(v.Call.Args[1], seen)
			return append(x, y...), okx && oky
		}
	case *ssa.Phi:
		var all []ssa.Value
		for _, e := range v.Edges {
			x, ok := sliceElements(e, seen)
			if !ok {
				return nil, false
			}
			all = append(all, x...)
		}
		return all, true
	}
	return nil, false
}

// option identifies one AuthCodeOption value.
func (f *Flow) option(v ssa.Value) (Option, bool) {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
			continue
		case *ssa.ChangeInterface:
			v = x.X
			continue
		case *ssa.UnOp:
			// oauth2.AccessTypeOffline and friends are package
			// variables of x/oauth2.
			if g, ok := x.X.(*ssa.Global); ok && g.Pkg != nil && g.Pkg.Pkg.Path() == OAuth2Path {
				return Option{Kind: OptOther, Range: f.ExprRange(x.Pos(), -1)}, true
			}
			return Option{}, false
		case *ssa.Call:
			callee := x.Common().StaticCallee()
			if callee == nil {
				return Option{}, false
			}
			obj, _ := callee.Object().(*types.Func)
			rng := f.ExprRange(x.Pos(), -1)
			switch {
			case IsFunc(obj, OAuth2Path, "S256ChallengeOption"):
				return Option{Kind: OptChallenge, Value: x.Call.Args[0], Range: rng}, true
			case IsFunc(obj, OAuth2Path, "VerifierOption"):
				return Option{Kind: OptVerifier, Value: x.Call.Args[0], Range: rng}, true
			case IsFunc(obj, OAuth2Path, "SetAuthURLParam"):
				key, ok := stringConst(x.Call.Args[0])
				if !ok {
					return Option{}, false
				}
				return Option{Kind: OptParam, Key: key, Value: x.Call.Args[1], Range: rng}, true
			}
			return Option{}, false
		}
		return Option{}, false
	}
}
