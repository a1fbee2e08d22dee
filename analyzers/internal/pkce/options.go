package pkce

import (
	"go/ast"
	"go/constant"
	"go/token"
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

// Option is one AuthCodeOption passed to an oauth2.Config method, or to a
// function that passes it on.
type Option struct {
	Kind  OptionKind
	Key   string    // OptParam
	Value ssa.Value // OptParam: the value; OptChallenge/OptVerifier: the verifier (nil when unseen)
	Range analysis.Range
}

// Keys returns the request parameters the option sets.
func (o Option) Keys() []string {
	switch o.Kind {
	case OptChallenge:
		return []string{ParamCodeChallenge, ParamCodeChallengeMethod}
	case OptVerifier:
		return []string{ParamCodeVerifier}
	case OptParam:
		return []string{o.Key}
	}
	return nil
}

// ConfigCall is a call of an *oauth2.Config method with its options, or a
// call of a function that wraps one (see RequestSummary).
type ConfigCall struct {
	Method  string // AuthCodeURL, Exchange, ...
	Call    ssa.CallInstruction
	Fn      *ssa.Function  // the function the call is in
	Range   analysis.Range // the call expression
	Options []Option
	// Open is set when some option could not be identified (a slice
	// built elsewhere, an option from unknown code): the call may carry
	// a challenge or verifier this analysis cannot see.
	Open bool
	// OptsParam is the parameter of Fn the options come from, when Fn
	// passes its caller's options on (Fn is then a wrapper); -1
	// otherwise.
	OptsParam int
	// API names what is called: "AuthCodeURL", or a wrapper's name.
	API string
	// Via is the wrapper called, "" for a direct call.
	Via string
	// Decided is set for a call of a function that chooses every
	// option itself: the call inside it was judged there.
	Decided bool
}

// HasParam reports whether an option sets the parameter key, directly or
// through S256ChallengeOption/VerifierOption.
func (c *ConfigCall) HasParam(key string) bool {
	for _, o := range c.Options {
		for _, k := range o.Keys() {
			if k == key {
				return true
			}
		}
	}
	return false
}

// ConfigCalls returns the calls of the named *oauth2.Config methods, and
// the calls of functions that wrap them.
func (f *Flow) ConfigCalls(methods ...string) []*ConfigCall {
	var out []*ConfigCall
	for _, cc := range f.calls {
		for _, m := range methods {
			if cc.Method == m {
				out = append(out, cc)
			}
		}
	}
	return out
}

// IsRedemption reports whether the call at pos exchanges a code, directly
// or through a wrapper.
func (f *Flow) IsRedemption(pos token.Pos) bool { return f.redemptions[pos] }

// directCalls finds the package's AuthCodeURL and Exchange calls.
func (f *Flow) directCalls() []*ConfigCall {
	var out []*ConfigCall
	f.eachCall(func(fn *ssa.Function, call ssa.CallInstruction) {
		obj := CalleeFunc(call.Common())
		for _, m := range []string{"AuthCodeURL", "Exchange"} {
			if IsConfigMethod(obj, m) {
				out = append(out, f.configCall(fn, m, call))
			}
		}
	})
	return out
}

// configCalls returns the direct calls and the wrapped calls found so far
// (propagate adds to the latter).
func (f *Flow) configCalls() []*ConfigCall {
	return append(f.direct[:len(f.direct):len(f.direct)], f.wrapped...)
}

func (f *Flow) configCall(fn *ssa.Function, method string, call ssa.CallInstruction) *ConfigCall {
	cc := &ConfigCall{Method: method, Call: call, Fn: fn, Range: f.callRange(call), OptsParam: -1, API: method}
	args := call.Common().Args
	f.fillOptions(cc, args[len(args)-1])
	return cc
}

// callRange is the range a finding about a whole call is reported at: the
// call expression, starting at the method name when the receiver begins on
// an earlier line ((&oauth2.Config{…}).Exchange(…) is reported at
// Exchange, not at the literal).
func (f *Flow) callRange(call ssa.CallInstruction) analysis.Range {
	rng := f.ExprRange(call.Pos(), -1)
	ce, ok := rng.(*ast.CallExpr)
	if !ok {
		return rng
	}
	sel, ok := ce.Fun.(*ast.SelectorExpr)
	if !ok || f.Fset.Position(ce.Pos()).Line == f.Fset.Position(sel.Sel.Pos()).Line {
		return rng
	}
	return span{sel.Sel.Pos(), ce.End()}
}

// span is a source range.
type span struct{ pos, end token.Pos }

func (s span) Pos() token.Pos { return s.pos }
func (s span) End() token.Pos { return s.end }

// wrapperCall describes a call of a wrapper as the call it wraps, with the
// options the caller passes and those the wrapper adds.
func (f *Flow) wrapperCall(wrapper *types.Func, r RequestSummary, call ssa.CallInstruction) *ConfigCall {
	cc := &ConfigCall{Method: r.Method, Call: call, Fn: call.Parent(), Range: f.callRange(call),
		OptsParam: -1, API: wrapper.Name(), Via: wrapper.Name()}
	for _, k := range r.Adds {
		cc.Options = append(cc.Options, Option{Kind: OptParam, Key: k, Range: cc.Range})
	}
	if r.OptsArg < 0 {
		cc.Decided = true
		return cc
	}
	f.fillOptions(cc, call.Common().Args[r.OptsArg])
	return cc
}

func (f *Flow) fillOptions(cc *ConfigCall, slice ssa.Value) {
	opts, open, param := f.optionList(slice, make(map[ssa.Value]bool))
	cc.Options = append(cc.Options, opts...)
	cc.Open = open
	if param >= 0 && param < len(cc.Fn.Params) && cc.Fn.Params[param] != nil {
		cc.OptsParam = param
	}
}

// optionList identifies the options in a []AuthCodeOption value: nil, a
// slice built in place, append(...) and phis of those, a slice that a
// summarised function returns, and an unexported field or variable of
// this package whose every store can be seen. param is the parameter
// of the enclosing function the slice comes from, or -1. seen breaks the
// cycle of a slice appended to in a loop.
func (f *Flow) optionList(v ssa.Value, seen map[ssa.Value]bool) (opts []Option, open bool, param int) {
	param = -1
	if seen[v] {
		return nil, false, -1
	}
	seen[v] = true
	merge := func(o []Option, op bool, p int) {
		opts = append(opts, o...)
		open = open || op
		if p >= 0 {
			param = p
		}
	}
	switch v := v.(type) {
	case *ssa.Const:
		return nil, v.Value != nil, -1
	case *ssa.Parameter:
		return nil, true, paramIndex(v)
	case *ssa.Slice:
		a, ok := v.X.(*ssa.Alloc)
		if !ok {
			return nil, true, -1
		}
		for _, ref := range *a.Referrers() {
			ia, ok := ref.(*ssa.IndexAddr)
			if !ok {
				continue
			}
			for _, r2 := range *ia.Referrers() {
				if st, ok := r2.(*ssa.Store); ok && st.Addr == ia {
					o, ok := f.option(st.Val, seen)
					merge(o, !ok, -1)
				}
			}
		}
		return opts, open, param
	case *ssa.Call:
		if b, ok := v.Call.Value.(*ssa.Builtin); ok {
			if b.Name() == "append" && len(v.Call.Args) == 2 {
				merge(f.optionList(v.Call.Args[0], seen))
				merge(f.optionList(v.Call.Args[1], seen))
				return opts, open, param
			}
			return nil, true, -1
		}
		if sum := f.calleeOptions(v.Common()); sum != nil {
			return f.instantiateOptions(sum, v), false, -1
		}
	case *ssa.Phi:
		for _, e := range v.Edges {
			merge(f.optionList(e, seen))
		}
		return opts, open, param
	case *ssa.UnOp:
		if v.Op == token.MUL {
			if vals, ok := f.closedStores(v.X); ok {
				for _, sv := range vals {
					merge(f.optionList(sv, seen))
				}
				return opts, open, -1
			}
		}
	case *ssa.Field:
		if fv := fieldVar(v.X.Type(), v.Field); fv != nil && !fv.Exported() && fv.Pkg() == f.Pkg {
			for _, sv := range f.eval.stores.fields[fv] {
				merge(f.optionList(sv, seen))
			}
			return opts, open, -1
		}
	}
	return nil, true, -1
}

// closedStores returns every value stored at addr when addr is an
// unexported field or package variable of this package: then no other
// package can store there and the list is complete.
func (f *Flow) closedStores(addr ssa.Value) ([]ssa.Value, bool) {
	switch a := addr.(type) {
	case *ssa.FieldAddr:
		fv := fieldVar(a.X.Type(), a.Field)
		if fv == nil || fv.Exported() || fv.Pkg() != f.Pkg {
			return nil, false
		}
		return f.eval.stores.fields[fv], true
	case *ssa.Global:
		if a.Pkg == nil || a.Pkg.Pkg != f.Pkg || a.Object() == nil || a.Object().Exported() {
			return nil, false
		}
		return f.eval.stores.globals[a], true
	}
	return nil, false
}

// option identifies one AuthCodeOption value: the oauth2 constructors,
// x/oauth2's option variables, and functions whose call summary says
// which options they return.
func (f *Flow) option(v ssa.Value, seen map[ssa.Value]bool) ([]Option, bool) {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
			continue
		case *ssa.ChangeInterface:
			v = x.X
			continue
		case *ssa.Phi:
			var all []Option
			for _, e := range x.Edges {
				if seen[e] {
					continue
				}
				seen[e] = true
				o, ok := f.option(e, seen)
				if !ok {
					return nil, false
				}
				all = append(all, o...)
			}
			return all, true
		case *ssa.Extract:
			// opt, err := helper(…): the option summary is of the
			// first result.
			if call, ok := x.Tuple.(*ssa.Call); ok && x.Index == 0 {
				v = call
				continue
			}
			return nil, false
		case *ssa.Const:
			// nil: no option. It is what a helper returns beside an
			// error (return nil, err), and a nil option passed to
			// AuthCodeURL would panic: it sets nothing.
			if x.IsNil() {
				return nil, true
			}
			return nil, false
		case *ssa.UnOp:
			// oauth2.AccessTypeOffline and friends are package
			// variables of x/oauth2.
			if g, ok := x.X.(*ssa.Global); ok && g.Pkg != nil && g.Pkg.Pkg.Path() == OAuth2Path {
				return []Option{{Kind: OptOther, Range: f.ExprRange(x.Pos(), -1)}}, true
			}
			return nil, false
		case *ssa.Call:
			obj := CalleeFunc(x.Common())
			rng := f.ExprRange(x.Pos(), -1)
			switch {
			case IsFunc(obj, OAuth2Path, "S256ChallengeOption"):
				return []Option{{Kind: OptChallenge, Value: x.Call.Args[0], Range: rng}}, true
			case IsFunc(obj, OAuth2Path, "VerifierOption"):
				return []Option{{Kind: OptVerifier, Value: x.Call.Args[0], Range: rng}}, true
			case IsFunc(obj, OAuth2Path, "SetAuthURLParam"):
				key, ok := stringConst(x.Call.Args[0])
				if !ok && configuredParam(x) {
					// SetAuthCodeOptions(map): set once for
					// every flow, so never a per-flow challenge.
					return []Option{{Kind: OptOther, Range: rng}}, true
				}
				if !ok {
					return nil, false
				}
				return []Option{{Kind: OptParam, Key: key, Value: x.Call.Args[1], Range: rng}}, true
			}
			if sum := f.calleeOptions(x.Common()); sum != nil {
				return f.instantiateOptions(sum, x), true
			}
			return nil, false
		}
		return nil, false
	}
}

// configuredParam reports whether a SetAuthURLParam call with a
// non-constant key takes that key from ranging over a map and its function
// appends the option to a struct field: a setter such as goth's
// SetAuthCodeOptions(params map[string]string), whose options are the same
// for every flow of the client and so can never carry a fresh
// code_challenge.
func configuredParam(call *ssa.Call) bool {
	ex, ok := call.Call.Args[0].(*ssa.Extract)
	if !ok {
		return false
	}
	if next, ok := ex.Tuple.(*ssa.Next); !ok || next.IsString {
		return false
	}
	for _, b := range call.Parent().Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			if _, ok := st.Addr.(*ssa.FieldAddr); !ok {
				continue
			}
			if app, ok := st.Val.(*ssa.Call); ok {
				if bi, ok := app.Call.Value.(*ssa.Builtin); ok && bi.Name() == "append" {
					return true
				}
			}
		}
	}
	return false
}

// calleeOptions returns the option summary of the function a call
// invokes: computed here for this package, from its fact otherwise.
func (f *Flow) calleeOptions(c *ssa.CallCommon) *OptionSummary {
	if fn := c.StaticCallee(); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg == f.Pkg && len(fn.Blocks) > 0 {
		return f.optionSummary(fn)
	}
	if fact := f.sums.of(CalleeFunc(c)); fact != nil {
		return fact.Options
	}
	return nil
}

func (f *Flow) instantiateOptions(sum *OptionSummary, call *ssa.Call) []Option {
	rng := f.ExprRange(call.Pos(), -1)
	var out []Option
	for _, d := range sum.Set {
		o := Option{Kind: d.Kind, Key: d.Key, Range: rng}
		switch {
		case d.Arg >= 0 && d.Arg < len(call.Call.Args):
			o.Value = call.Call.Args[d.Arg]
		case d.HasConst:
			o.Value = ssa.NewConst(constant.MakeString(d.Const), types.Typ[types.String])
		}
		out = append(out, o)
	}
	return out
}

// optionSummary works out, once, what the options fn returns set: nil
// unless fn returns an AuthCodeOption or a slice of them and every one
// of them can be identified.
func (f *Flow) optionSummary(fn *ssa.Function) *OptionSummary {
	if s, ok := f.optSums[fn]; ok {
		return s
	}
	f.optSums[fn] = nil // recursion: nothing known yet
	res := fn.Signature.Results()
	if res.Len() == 0 || len(fn.Blocks) == 0 {
		return nil
	}
	t := res.At(0).Type()
	isSlice := false
	if s, ok := t.Underlying().(*types.Slice); ok {
		t, isSlice = s.Elem(), true
	}
	if !isAuthCodeOption(t) {
		return nil
	}
	sum := &OptionSummary{}
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) == 0 {
			continue
		}
		var opts []Option
		if isSlice {
			o, open, _ := f.optionList(ret.Results[0], make(map[ssa.Value]bool))
			if open {
				return nil
			}
			opts = o
		} else {
			o, ok := f.option(ret.Results[0], make(map[ssa.Value]bool))
			if !ok {
				return nil
			}
			opts = o
		}
		for _, o := range opts {
			d := OptionDesc{Kind: o.Kind, Key: o.Key, Arg: -1}
			if p, ok := o.Value.(*ssa.Parameter); ok {
				d.Arg = paramIndex(p)
			} else if c, ok := stringConst(o.Value); ok {
				d.Const, d.HasConst = c, true
			}
			sum.Set = append(sum.Set, d)
		}
	}
	f.optSums[fn] = sum
	return sum
}

// isAuthCodeOption reports whether t is oauth2.AuthCodeOption.
func isAuthCodeOption(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == OAuth2Path && named.Obj().Name() == "AuthCodeOption"
}
