package pkce

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// CallFact is a function's call summary: what calling it does in PKCE
// terms, so that a caller — in this package or another — is judged as if
// it had called the OAuth API the function wraps. It is modelled on the
// printf checker's isWrapper fact: computed where the function is
// defined, exported, and read at every call site.
//
// Argument indices in a summary count the receiver of a method as
// argument 0 (as SSA does for static calls); Args resolves them.
type CallFact struct {
	// Results are the origins of the results (randomness, constants,
	// parameters passed through).
	Results []Origin
	// Sinks are the arguments the function uses as a verifier, state or
	// challenge, directly or through further calls.
	Sinks []ParamSink
	// Requests are set when the function builds an authorization
	// request or redeems a code (at most one of each).
	Requests []RequestSummary
	// Options is set when the function returns an oauth2.AuthCodeOption
	// or a slice of them whose effect is known.
	Options *OptionSummary
	// ClosedParams are the url.Values or map arguments the function only
	// reads, encodes or sends: a request built by the caller and handed
	// to it stays complete.
	ClosedParams []int
}

// AFact marks CallFact as an analysis.Fact.
func (*CallFact) AFact() {}

func (f *CallFact) String() string {
	var parts []string
	if len(f.Results) > 0 {
		parts = append(parts, resultsString(f.Results))
	}
	for _, s := range f.Sinks {
		parts = append(parts, fmt.Sprintf("arg%d→%s", s.Arg, s.Kind))
	}
	for _, r := range f.Requests {
		parts = append(parts, fmt.Sprintf("%s(opts=arg%d, adds=%s)", r.Method, r.OptsArg, strings.Join(r.Adds, ",")))
	}
	if len(f.ClosedParams) > 0 {
		parts = append(parts, fmt.Sprintf("reads%v", f.ClosedParams))
	}
	if o := f.Options; o != nil {
		var keys []string
		for _, d := range o.Set {
			keys = append(keys, d.String())
		}
		parts = append(parts, "options("+strings.Join(keys, ",")+")")
	}
	return strings.Join(parts, " ")
}

func resultsString(results []Origin) string {
	var parts []string
	for _, r := range results {
		s := r.Kind.String()
		if b, ok := r.Bits.Fixed(); ok && (r.Kind == Random || r.Kind == UUID) {
			s += fmt.Sprintf("(%.0f bits)", b)
		} else if r.Bits.Known && r.Bits.PerArg != 0 {
			s += fmt.Sprintf("(%.0f+%.3g*arg%d bits)", r.Bits.C, r.Bits.PerArg, r.Bits.Arg)
		}
		if r.Kind == Param {
			s += fmt.Sprintf("(%d)", r.Param)
		}
		if r.Source != "" && r.Kind != Param && r.Kind != Unknown {
			s += " from " + r.Source
		}
		parts = append(parts, s)
	}
	return "returns(" + strings.Join(parts, ", ") + ")"
}

func (k SinkKind) String() string {
	switch k {
	case VerifierSink:
		return "verifier"
	case StateSink:
		return "state"
	case ChallengeSink:
		return "challenge"
	}
	return "sink"
}

// ParamSink says that argument Arg of a function reaches a sink.
type ParamSink struct {
	Arg  int
	Kind SinkKind
	// API is how the function finally uses the value, for messages:
	// "oauth2.S256ChallengeOption", "(*oauth2.Config).AuthCodeURL".
	API string
}

// RequestSummary describes a function that calls AuthCodeURL or Exchange,
// directly or through another such function.
type RequestSummary struct {
	Method string // "AuthCodeURL" or "Exchange"
	// OptsArg is the argument that carries the caller's options, or -1
	// when the function chooses all options itself (its call was judged
	// where it is).
	OptsArg int
	Adds    []string // parameters the wrapper sets itself
	// API names the wrapped call for messages.
	API string
}

// OptionSummary lists what the options a function returns set.
type OptionSummary struct {
	Set []OptionDesc
}

// OptionDesc is one option a constructor returns: its kind, the key of a
// SetAuthURLParam, and for a challenge or verifier option the argument
// of the constructor that holds the verifier (-1 when it is made inside).
type OptionDesc struct {
	Kind OptionKind
	Key  string
	Arg  int
	// Const is the value of a SetAuthURLParam whose value is a
	// constant ("S256", "plain"), when Arg is -1.
	Const    string
	HasConst bool
}

func (d OptionDesc) String() string {
	switch d.Kind {
	case OptChallenge:
		return "challenge"
	case OptVerifier:
		return "verifier"
	case OptParam:
		return d.Key
	}
	return "other"
}

// summaries holds what the pass knows of functions: the facts imported
// from other packages and the summaries computed for this one.
type summaries struct {
	imported map[*types.Func]*CallFact
	local    map[*types.Func]*CallFact
}

func (s *summaries) of(fn *types.Func) *CallFact {
	if fn == nil {
		return nil
	}
	if f := s.local[fn]; f != nil {
		return f
	}
	return s.imported[fn]
}

// closedParam reports whether fn of another package only reads or sends
// its argument i.
func (s *summaries) closedParam(fn *types.Func, i int) bool {
	f := s.imported[fn]
	return f != nil && slices.Contains(f.ClosedParams, i)
}

func (s *summaries) localFact(fn *types.Func) *CallFact {
	f := s.local[fn]
	if f == nil {
		f = new(CallFact)
		s.local[fn] = f
	}
	return f
}

// CalleeFunc returns the declared function or method a call statically
// invokes — for an instance of a generic function, the generic one — or
// nil.
func CalleeFunc(c *ssa.CallCommon) *types.Func {
	fn := c.StaticCallee()
	if fn == nil {
		return nil
	}
	if fn.Origin() != nil {
		fn = fn.Origin()
	}
	obj, _ := fn.Object().(*types.Func)
	return obj
}

// declaredFunc returns the package-level function or method fn is, or nil
// for closures, wrappers and synthetic functions.
func declaredFunc(fn *ssa.Function) *types.Func {
	if fn.Parent() != nil || fn.Synthetic != "" {
		return nil
	}
	obj, _ := fn.Object().(*types.Func)
	return obj
}

// argIndex converts a parameter index of fn into an argument index (the
// two are the same: SSA counts a method's receiver as parameter 0, as
// static calls do in their arguments).
func paramIndex(v ssa.Value) int {
	p, ok := v.(*ssa.Parameter)
	if !ok {
		return -1
	}
	return slices.Index(p.Parent().Params, p)
}

// astArg converts an SSA argument index of a call into the index of the
// same argument in the call expression, where a method's receiver is not
// an argument.
func (f *Flow) astArg(call ssa.CallInstruction, i int) int {
	c := call.Common()
	if c.IsInvoke() {
		return i
	}
	ce, ok := f.nodes[call.Pos()].(*ast.CallExpr)
	if !ok {
		return i
	}
	if sel, ok := ce.Fun.(*ast.SelectorExpr); ok && f.info != nil {
		if s := f.info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
			return i - 1
		}
	}
	return i
}

// propagate computes this package's call summaries: first the sinks and
// requests of each function, then, until nothing changes, what calls to
// summarised functions add to their callers. Calls to summarised
// functions become sinks and requests of the caller, so the rules judge
// the caller's arguments as they would judge the wrapped API's.
func (f *Flow) propagate() {
	f.direct = f.directCalls()
	for changed, rounds := true, 0; changed && rounds < 8; rounds++ {
		changed = false
		f.eachCall(func(fn *ssa.Function, call ssa.CallInstruction) {
			if f.summarisedCall(fn, call) {
				changed = true
			}
		})
		if f.confirmFieldSinks() {
			changed = true
		}
		if f.summariseSinks() {
			changed = true
		}
		if f.summariseRequests() {
			changed = true
		}
	}
	// From here on the calls are only read, by rules that may run at once.
	f.calls = f.configCalls()
	f.redemptions = make(map[token.Pos]bool)
	for _, cc := range f.calls {
		if cc.Method == "Exchange" {
			f.redemptions[cc.Call.Pos()] = true
		}
	}
}

// eachCall calls visit for every call instruction of the package's
// functions.
func (f *Flow) eachCall(visit func(fn *ssa.Function, call ssa.CallInstruction)) {
	for _, fn := range f.Funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(ssa.CallInstruction); ok {
					visit(fn, call)
				}
			}
		}
	}
}

// summarisedCall turns a call of a summarised function into the caller's
// sinks and requests, once per call; it reports whether it added any.
func (f *Flow) summarisedCall(fn *ssa.Function, call ssa.CallInstruction) bool {
	obj := CalleeFunc(call.Common())
	fact := f.sums.of(obj)
	if fact == nil {
		return false
	}
	added := false
	args := call.Common().Args
	for _, ps := range fact.Sinks {
		key := sinkKey{call, ps.Arg, ps.Kind}
		if ps.Arg >= len(args) || f.sinkSeen[key] {
			continue
		}
		f.sinkSeen[key] = true
		f.Sinks = append(f.Sinks, Sink{Kind: ps.Kind, Value: args[ps.Arg], Fn: fn, Instr: call,
			Range: f.ExprRange(call.Pos(), f.astArg(call, ps.Arg)), API: obj.Name() + " (which uses it in " + ps.API + ")"})
		added = true
	}
	if len(fact.Requests) > 0 && !f.requestSeen[call] {
		f.requestSeen[call] = true
		for _, r := range fact.Requests {
			if r.OptsArg < len(args) {
				f.wrapped = append(f.wrapped, f.wrapperCall(obj, r, call))
				added = true
			}
		}
	}
	return added
}

type sinkKey struct {
	call ssa.CallInstruction
	arg  int
	kind SinkKind
}

// summariseSinks records, for each declared function, which of its
// parameters reach a sink unchanged.
func (f *Flow) summariseSinks() bool {
	changed := false
	for _, s := range f.Sinks {
		obj := declaredFunc(s.Fn)
		if obj == nil {
			continue
		}
		o := f.Origin(s.Value)
		if o.Kind != Param {
			continue
		}
		fact := f.sums.localFact(obj)
		ps := ParamSink{Arg: o.Param, Kind: s.Kind, API: s.API}
		if i := strings.Index(ps.API, " (which uses it in "); i >= 0 {
			ps.API = strings.TrimSuffix(ps.API[i+len(" (which uses it in "):], ")")
		}
		if !slices.ContainsFunc(fact.Sinks, func(x ParamSink) bool { return x.Arg == ps.Arg && x.Kind == ps.Kind }) {
			fact.Sinks = append(fact.Sinks, ps)
			changed = true
		}
	}
	return changed
}

// summariseRequests records the functions that pass their caller's
// options on to AuthCodeURL or Exchange (or to another such wrapper).
func (f *Flow) summariseRequests() bool {
	changed := false
	for _, cc := range f.configCalls() {
		obj := declaredFunc(cc.Fn)
		if obj == nil {
			continue
		}
		fact := f.sums.localFact(obj)
		i := slices.IndexFunc(fact.Requests, func(r RequestSummary) bool { return r.Method == cc.Method })
		if i >= 0 && (fact.Requests[i].OptsArg >= 0 || cc.OptsParam < 0) {
			continue // a forwarding call describes the function best
		}
		var adds []string
		for _, o := range cc.Options {
			adds = append(adds, o.Keys()...)
		}
		r := RequestSummary{Method: cc.Method, OptsArg: cc.OptsParam, Adds: adds, API: cc.API}
		if i >= 0 {
			fact.Requests[i] = r
		} else {
			fact.Requests = append(fact.Requests, r)
		}
		changed = true
	}
	return changed
}

// exportFacts exports the call summary of every declared function that
// has something to say.
func (f *Flow) exportFacts(pass *analysis.Pass) {
	for _, fn := range f.Funcs {
		obj := declaredFunc(fn)
		if obj == nil {
			continue
		}
		fact := f.sums.local[obj]
		var out CallFact
		if fact != nil {
			out = *fact
		}
		if fn.Signature.Results().Len() > 0 && worthSummary(fn.Signature) {
			f.mu.Lock()
			results := f.eval.summary(fn)
			f.mu.Unlock()
			interesting := false
			rs := make([]Origin, len(results))
			for i, r := range results {
				if r.Kind != Unknown {
					interesting = true
				}
				r.none = false
				if r.SourcePos.IsValid() {
					r.setAt(pass, pass.Fset.Position(r.SourcePos))
					r.SourcePos = token.NoPos
				}
				rs[i] = r
			}
			if interesting {
				out.Results = rs
			}
		}
		if opts := f.optionSummary(fn); opts != nil {
			out.Options = opts
		}
		for i, p := range fn.Params {
			if !isParamMap(p) {
				continue
			}
			set := &ParamSet{Fn: fn, Value: p, closed: f.sums.closedParam}
			set.scan(p, 0)
			if !set.Open && !set.writes {
				out.ClosedParams = append(out.ClosedParams, i)
			}
		}
		if len(out.Results) > 0 || len(out.Sinks) > 0 || len(out.Requests) > 0 || out.Options != nil || len(out.ClosedParams) > 0 {
			pass.ExportObjectFact(obj, &out)
		}
	}
}
