package pkce

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// This file follows a package's code verifiers forward through its SSA
// form to the exposure sinks of exposure.go: through conversions,
// concatenation, the derivations (formatting, encoders, errors), local
// variables, closures, struct literals, maps, the results of functions
// that return a verifier, and the fields and package variables that hold
// one. A call of a function — of this package or, through ExposureFact,
// of another — is judged by its summary: what the function does with each
// parameter (ExposureAnalyzer computes them).

// taint is what the walk knows of a value that carries a verifier.
type taint struct {
	how     string // "" for the verifier itself
	errorAt token.Pos
	source  string
	srcPos  token.Pos
	// jsonHidden is set for a struct that holds the verifier only in a
	// field encoding/json leaves out (unexported, or tagged "-"): a
	// JSON encoding of it does not carry the verifier.
	jsonHidden bool
	// field names the verifier field of a struct written whole.
	field string
	// fromAPI marks a value made by a verifier API: a verifier unless
	// the package uses it as its state only (see stateOnly).
	fromAPI bool
}

// derive returns the taint of a value made from t by how.
func (t taint) derive(how string, isErr bool, pos token.Pos) taint {
	if t.how == "" {
		t.how = how
	}
	if isErr && !t.errorAt.IsValid() {
		t.errorAt = pos
	}
	return t
}

// ParamExposure is what a function does with one of its parameters: the
// exposures it reaches inside the function (and the functions it calls),
// and the results it is returned in.
type ParamExposure struct {
	Arg     int
	Hits    []ExposureHit
	Results []ResultFlow
}

// ResultFlow is a result a parameter is returned in, and how it is made
// from the parameter ("" when it is the parameter itself).
type ResultFlow struct {
	Index int
	How   string
}

// ExposureHit is an exposure sink a parameter reaches.
type ExposureHit struct {
	Kind ExposureKind
	API  string // what writes it: "log.Printf"
	How  string // how the written value is made from the parameter
	Slog bool   // a log/slog call
}

// exposureWalk holds the state of Exposures for one package.
type exposureWalk struct {
	f *Flow
	// params are the summaries of the package's functions, by
	// parameter index.
	params map[*ssa.Function][]*ParamExposure
	// imported are the summaries of other packages' functions.
	imported map[*types.Func]*ExposureFact
	// seedParams are parameters that are verifiers where they are
	// (a sink uses them as one): their exposures are reported inside
	// the function, not at its calls.
	seedParams map[*ssa.Parameter]bool
	// front indexes the values the front channel sends: state sinks,
	// authorization-request parameters, AuthCodeURL options.
	front map[ssa.Value][]frontUse
	// frontOrder lists front's keys in the order they were found, so
	// that findings come out in the same order every run.
	frontOrder []ssa.Value
	// authQueries are the authorization requests' url.Values: a
	// verifier put in one is reported at its parameter, not again
	// where the encoded query goes.
	authQueries map[ssa.Value]bool

	out  []Exposure
	seen map[[2]token.Pos]bool
}

// frontUse is one way the front channel sends a value: the expression to
// report and what sends it.
type frontUse struct {
	rng analysis.Range
	api string
	fn  *ssa.Function
}

// walker follows a set of values forward within the package.
type walker struct {
	x       *exposureWalk
	summary *ParamExposure // set when summarising a parameter
	taints  map[ssa.Value]taint
	work    []ssa.Value
	// results are the result indices of each function the verifier is
	// returned from; fields and globals are those it is stored into.
	results map[*ssa.Function]map[int]taint
	fields  map[*types.Var]taint
	globals map[*ssa.Global]taint
	// mapKeys are the constant keys a tainted map holds the verifier
	// under ("" for any other key).
	mapKeys map[ssa.Value][]string
}

// Exposures returns the places where a code verifier of this package, or
// a value made from it other than its challenge, reaches a log, an HTTP
// response or the front channel; sums are ExposureAnalyzer's result for
// the package. oauth2.VerifierOption passed to AuthCodeURL is not among
// them: PKCE001 reports it.
func (f *Flow) Exposures(sums *ExposureSummaries) []Exposure {
	if !f.Relevant || sums == nil || sums.walk == nil {
		return nil
	}
	x := *sums.walk // its summaries, read only; a walk of its own
	x.front = make(map[ssa.Value][]frontUse)
	x.frontOrder = nil
	x.authQueries = make(map[ssa.Value]bool)
	x.seen = make(map[[2]token.Pos]bool)
	x.out = nil
	x.indexFront()
	x.walkSeeds()
	return x.out
}

// newExposureWalk prepares the summaries of f's functions.
func newExposureWalk(f *Flow, imported map[*types.Func]*ExposureFact) *exposureWalk {
	x := &exposureWalk{
		f:           f,
		params:      make(map[*ssa.Function][]*ParamExposure),
		imported:    imported,
		seedParams:  make(map[*ssa.Parameter]bool),
		front:       make(map[ssa.Value][]frontUse),
		authQueries: make(map[ssa.Value]bool),
		seen:        make(map[[2]token.Pos]bool),
	}
	for _, s := range f.Sinks {
		if p, ok := unconvert(s.Value).(*ssa.Parameter); ok && s.Kind == VerifierSink {
			x.seedParams[p] = true
		}
	}
	return x
}

// addFront records a value the front channel sends.
func (x *exposureWalk) addFront(v ssa.Value, u frontUse) {
	if _, ok := x.front[v]; !ok {
		x.frontOrder = append(x.frontOrder, v)
	}
	x.front[v] = append(x.front[v], u)
}

// indexFront lists the values sent on the front channel.
func (x *exposureWalk) indexFront() {
	f := x.f
	for _, s := range f.Sinks {
		if s.Kind == StateSink {
			x.addFront(s.Value, frontUse{s.Range, "the state of " + s.API, s.Fn})
		}
	}
	for _, set := range f.ParamSets {
		if !set.IsAuthorizationRequest() {
			continue
		}
		x.authQueries[set.Value] = true
		for _, en := range set.Entries {
			if en.Key != ParamCodeChallenge && en.Key != ParamState && en.Value != nil {
				x.addFront(en.Value, frontUse{f.ExprRange(en.Pos, en.Arg),
					"the " + en.Key + " parameter of the authorization request", set.Fn})
			}
		}
	}
	for _, cc := range f.ConfigCalls("AuthCodeURL") {
		for _, o := range cc.Options {
			// VerifierOption here is PKCE001's; the challenge is
			// what belongs here.
			if o.Kind == OptParam && o.Key != ParamCodeChallenge && o.Key != ParamState && o.Value != nil {
				x.addFront(o.Value, frontUse{o.Range,
					`oauth2.SetAuthURLParam("` + o.Key + `") passed to ` + cc.API, cc.Fn})
			}
		}
	}
}

// summarise computes, until nothing changes, what each function of the
// package does with each parameter that can carry a verifier.
func (x *exposureWalk) summarise() {
	for _, fn := range x.f.Funcs {
		ps := make([]*ParamExposure, len(fn.Params))
		for i := range ps {
			ps[i] = &ParamExposure{Arg: i}
		}
		x.params[fn] = ps
	}
	// One walker, emptied for each parameter: a summary keeps nothing of
	// the walk but the ParamExposure it fills, and a new walker's five
	// maps, once per parameter and round, were most of what the walk
	// allocated.
	w := x.newWalker(nil)
	for round := 0; round < 6; round++ {
		changed := false
		for _, fn := range x.f.Funcs {
			for i, p := range fn.Params {
				if !canCarry(p.Type()) || x.seedParams[p] {
					continue
				}
				sum := &ParamExposure{Arg: i}
				w.reset(sum)
				w.add(p, taint{})
				w.run()
				old := x.params[fn][i]
				if len(sum.Hits) != len(old.Hits) || !slices.Equal(sum.Results, old.Results) {
					x.params[fn][i] = sum
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
}

// canCarry reports whether a value of type t can hold a verifier or a
// value made from it.
func canCarry(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString != 0
	case *types.Signature, *types.Chan:
		return false
	}
	return true
}

func (x *exposureWalk) newWalker(sum *ParamExposure) *walker {
	return &walker{x: x, summary: sum, taints: make(map[ssa.Value]taint),
		results: make(map[*ssa.Function]map[int]taint),
		fields:  make(map[*types.Var]taint), globals: make(map[*ssa.Global]taint),
		mapKeys: make(map[ssa.Value][]string)}
}

// reset empties w for a walk that fills sum.
func (w *walker) reset(sum *ParamExposure) {
	w.summary = sum
	clear(w.taints)
	clear(w.results)
	clear(w.fields)
	clear(w.globals)
	clear(w.mapKeys)
	w.work = w.work[:0]
}

// walkSeeds follows the package's verifiers: the values its sinks use as
// verifiers, the results of verifier APIs, and — round after round — the
// results of functions that return one, the fields and package variables
// that hold one.
func (x *exposureWalk) walkSeeds() {
	f := x.f
	w := x.newWalker(nil)
	for _, s := range f.Sinks {
		if s.Kind != VerifierSink {
			continue
		}
		t := taint{source: "used as a code verifier in " + s.API, srcPos: s.Range.Pos()}
		w.add(s.Value, t)
		if fv := FieldLoad(s.Value); fv != nil {
			w.fields[fv] = t // a field of another package's struct too
		}
		if s.Field != nil {
			w.fields[s.Field] = t
		}
	}
	stateOnly := make(map[ssa.Value]bool)
	for round := 0; round < 4; round++ {
		n := len(w.taints)
		// The results of verifier APIs and of functions that return a
		// verifier; loads of the fields and variables that hold one.
		for _, fn := range f.Funcs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					v, ok := instr.(ssa.Value)
					if !ok {
						continue
					}
					if _, done := w.taints[v]; done {
						continue
					}
					if t, ok := w.sourceOf(v); ok && !(t.fromAPI && x.stateOnly(v, stateOnly)) {
						w.add(v, t)
					}
				}
			}
		}
		w.run()
		if len(w.taints) == n {
			break
		}
	}
	// The front channel: what the walk reached among its values.
	for _, v := range x.frontOrder {
		t, ok := w.taints[v]
		if !ok {
			continue
		}
		for _, u := range x.front[v] {
			x.report(Exposure{Kind: ExposedFrontChannel, Fn: u.fn, Range: u.rng, API: u.api, Arg: -1}, t)
		}
	}
	x.structExposures(w)
}

// structExposures reports the structs that hold a verifier in a field and
// are written whole to a log or a response (fmt prints every field, and
// encoding/json every exported one), directly or through a helper. A
// struct the walk already followed was reported by it.
func (x *exposureWalk) structExposures(w *walker) {
	for _, fn := range x.f.Funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				c := call.Common()
				site, isSink := exposureOf(c)
				for i, a := range c.Args {
					s, ok := site, isSink && i >= site.from && (site.only < 0 || i == site.only)
					if !ok && !isSink {
						if pe, name := x.paramSummary(c, i); pe != nil && len(pe.Hits) > 0 {
							s, ok = exposureSite{kind: pe.Hits[0].Kind, api: name + whichWrites + innerAPI(pe.Hits[0].API) + ")", only: -1}, true
						}
					}
					if !ok || s.kind == ExposedFrontChannel {
						continue
					}
					json := strings.Contains(s.api, "JSON encoder")
					for _, el := range elementsOf(a) {
						if _, done := w.taints[el.v]; done {
							continue
						}
						if name := w.verifierFieldOf(el.v.Type(), json); name != "" {
							w.hitAt(call, i, el.idx, s, taint{field: name})
						}
					}
				}
			}
		}
	}
}

// innerAPI strips the helper from a summary's API: "logf (which writes it
// to log.Printf)" → "log.Printf".
func innerAPI(api string) string {
	if k := strings.Index(api, whichWrites); k >= 0 {
		return strings.TrimSuffix(api[k+len(whichWrites):], ")")
	}
	return api
}

// element is a value passed in an argument: the argument itself (idx -1),
// or element idx of a variadic slice built in place.
type element struct {
	v   ssa.Value
	idx int
}

// elementsOf returns the values an argument passes, without the
// interface conversions that carry them.
func elementsOf(a ssa.Value) []element {
	strip := func(v ssa.Value) ssa.Value {
		for {
			switch x := v.(type) {
			case *ssa.MakeInterface:
				v = x.X
			case *ssa.ChangeInterface:
				v = x.X
			default:
				return v
			}
		}
	}
	sl, ok := a.(*ssa.Slice)
	if !ok {
		return []element{{strip(a), -1}}
	}
	arr, ok := sl.X.(*ssa.Alloc)
	if !ok {
		return []element{{strip(a), -1}}
	}
	var out []element
	for _, ref := range *arr.Referrers() {
		ia, ok := ref.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		c, ok := ia.Index.(*ssa.Const)
		if !ok {
			continue
		}
		for _, r2 := range *ia.Referrers() {
			if st, ok := r2.(*ssa.Store); ok && st.Addr == ia {
				out = append(out, element{strip(st.Val), int(c.Int64())})
			}
		}
	}
	return out
}

// verifierFieldOf returns the name of the field that holds a verifier in
// a struct of type t (or *t) written whole, or "": a field named or
// tagged as the PKCE verifier, or one the package stores verifiers in. A
// type that formats or encodes itself (String, Error, Format, LogValue,
// MarshalJSON, MarshalText) decides what is written, and is left out;
// for JSON (json) only the fields encoding/json writes count.
func (w *walker) verifierFieldOf(t types.Type, json bool) string {
	st, ok := deref(t).Underlying().(*types.Struct)
	if !ok {
		return ""
	}
	for _, m := range [...]string{"String", "Error", "Format", "GoString", "LogValue", "MarshalJSON", "MarshalText"} {
		if obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(deref(t)), true, nil, m); obj != nil {
			if _, isFunc := obj.(*types.Func); isFunc {
				return ""
			}
		}
	}
	for i := 0; i < st.NumFields(); i++ {
		fv := st.Field(i).Origin()
		if json && !jsonField(fv, st.Tag(i)) {
			continue
		}
		if _, held := w.fields[fv]; held || IsVerifierField(fv, st.Tag(i)) && pkceField(t, i) {
			return fv.Name()
		}
	}
	return ""
}

// stateOnly reports whether a value made by a verifier API is the
// package's state, or another parameter of the authorization request, and
// not a verifier: it reaches the front channel (a state sink, a parameter)
// and no verifier sink. state := oauth2.GenerateVerifier() is a common way
// to make a random state, or nonce. memo keeps the answers of one walk.
func (x *exposureWalk) stateOnly(v ssa.Value, memo map[ssa.Value]bool) bool {
	if r, ok := memo[v]; ok {
		return r
	}
	trial := x.newWalker(&ParamExposure{Arg: -1})
	trial.add(v, taint{})
	trial.run()
	state, verifier := false, false
	for _, s := range x.f.Sinks {
		if _, reached := trial.taints[s.Value]; reached {
			switch s.Kind {
			case StateSink:
				state = true
			case VerifierSink:
				verifier = true
			}
		}
	}
	for _, fv := range x.frontOrder {
		if _, reached := trial.taints[fv]; reached {
			state = true
		}
	}
	memo[v] = state && !verifier
	return memo[v]
}

// sourceOf reports whether v is a verifier by where it comes from: a
// verifier API, a function of the package that returns one, a field or
// package variable that holds one.
func (w *walker) sourceOf(v ssa.Value) (taint, bool) {
	switch v := v.(type) {
	case *ssa.Call:
		c := v.Common()
		obj := CalleeFunc(c)
		if IsFunc(obj, OAuth2Path, "GenerateVerifier") {
			return taint{source: "oauth2.GenerateVerifier", srcPos: v.Pos(), fromAPI: true}, true
		}
		if readsVerifierParam(obj, c) {
			return taint{source: "the code_verifier parameter of the token request", srcPos: v.Pos()}, true
		}
		if fn := c.StaticCallee(); fn != nil {
			if w.x.f.makers[fn] || isVerifierResult(obj, 0) {
				return taint{source: "the verifier API " + fn.Name(), srcPos: v.Pos(), fromAPI: true}, true
			}
			if rs := w.results[fn]; len(rs) > 0 && fn.Signature.Results().Len() == 1 {
				if t, ok := rs[0]; ok {
					return t, true
				}
			}
		}
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			if fn := call.Common().StaticCallee(); fn != nil {
				if t, ok := w.results[fn][v.Index]; ok {
					return t, true
				}
			}
			if obj := CalleeFunc(call.Common()); isVerifierResult(obj, v.Index) {
				return taint{source: "the verifier API " + obj.Name(), srcPos: v.Pos(), fromAPI: true}, true
			}
		}
	case *ssa.UnOp:
		if v.Op != token.MUL {
			break
		}
		if fa, ok := v.X.(*ssa.FieldAddr); ok {
			return w.fieldSource(v, fa.X.Type(), fa.Field)
		}
		if g, ok := v.X.(*ssa.Global); ok {
			if t, ok := w.globals[g]; ok {
				return t, true
			}
		}
	case *ssa.Field:
		return w.fieldSource(v, v.X.Type(), v.Field)
	}
	return taint{}, false
}

// isVerifierResult reports whether result i of a function, of this
// package or another, is a fresh code verifier by the rule of makerSinks:
// a string result named like a verifier (PKCEPair() (verifier, challenge
// string, err error)), or the one string result of a function named as a
// verifier maker (GenerateCodeVerifier() (string, error)).
func isVerifierResult(obj *types.Func, i int) bool {
	if obj == nil {
		return false
	}
	res := obj.Signature().Results()
	if i >= res.Len() || !IsStringLike(res.At(i).Type()) {
		return false
	}
	if IsVerifierName(res.At(i).Name()) {
		return true
	}
	if !IsVerifierMakerFunc(obj) {
		return false
	}
	for j := 0; j < res.Len(); j++ {
		if j != i && IsStringLike(res.At(j).Type()) {
			return false
		}
	}
	return true
}

// jsonField reports whether encoding/json encodes a struct field: it is
// exported and not tagged json:"-".
func jsonField(f *types.Var, tag string) bool {
	name, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
	return f.Exported() && name != "-"
}

// readsVerifierParam reports whether a call reads the code_verifier
// parameter of a request a server received: r.FormValue("code_verifier"),
// r.PostFormValue, or Get on url.Values (r.Form, r.URL.Query()).
func readsVerifierParam(obj *types.Func, c *ssa.CallCommon) bool {
	if len(c.Args) != 2 {
		return false
	}
	if !IsMethod(obj, "net/http", "Request", "FormValue") && !IsMethod(obj, "net/http", "Request", "PostFormValue") &&
		!IsMethod(obj, URLPath, "Values", "Get") {
		return false
	}
	key, ok := stringConst(c.Args[1])
	return ok && key == ParamCodeVerifier
}

// fieldSource reports whether a load of field i of the struct t holds a
// verifier: the package stores one there, or the field says by its name
// or tag that it is the PKCE verifier (CodeVerifier, code_verifier).
func (w *walker) fieldSource(load ssa.Value, t types.Type, i int) (taint, bool) {
	fv := fieldVar(t, i)
	if fv == nil {
		return taint{}, false
	}
	if tt, ok := w.fields[fv]; ok {
		return tt, true
	}
	if IsVerifierField(fv, structTag(t, i)) && pkceField(t, i) {
		return taint{source: "the verifier field " + fv.Name(), srcPos: load.Pos()}, true
	}
	return taint{}, false
}

func (w *walker) add(v ssa.Value, t taint) {
	if v == nil {
		return
	}
	if _, ok := w.taints[v]; ok {
		return
	}
	w.taints[v] = t
	w.work = append(w.work, v)
}

func (w *walker) run() {
	for len(w.work) > 0 {
		v := w.work[len(w.work)-1]
		w.work = w.work[:len(w.work)-1]
		t := w.taints[v]
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, ref := range *refs {
			w.step(v, t, ref)
		}
	}
}

// step follows a tainted value v into one instruction that uses it.
func (w *walker) step(v ssa.Value, t taint, instr ssa.Instruction) {
	switch in := instr.(type) {
	case *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.SliceToArrayPointer, *ssa.Phi:
		w.add(in.(ssa.Value), t)
	case *ssa.Convert:
		if canCarry(in.Type()) {
			w.add(in, t)
		}
	case *ssa.TypeAssert:
		if !in.CommaOk {
			w.add(in, t)
		} else {
			w.extracts(in, 0, t)
		}
	case *ssa.Slice:
		w.add(in, t)
	case *ssa.BinOp:
		if in.Op == token.ADD && isString(in.Type()) {
			w.add(in, t.derive("string concatenation", false, in.Pos()))
		}
	case *ssa.UnOp:
		if in.Op == token.MUL {
			w.add(in, t)
		}
	case *ssa.IndexAddr:
		if in.X == v {
			w.add(in, t)
		}
	case *ssa.Index:
		if in.X == v && !isString(v.Type()) {
			w.add(in, t)
		}
	case *ssa.Lookup:
		if in.X == v && !isString(v.Type()) && w.mayHold(v, in.Index) {
			if in.CommaOk {
				w.extracts(in, 0, t)
			} else {
				w.add(in, t)
			}
		}
	case *ssa.Store:
		if in.Val != v {
			break
		}
		switch addr := in.Addr.(type) {
		case *ssa.Alloc:
			w.add(addr, t)
		case *ssa.IndexAddr:
			w.add(addr.X, t)
		case *ssa.FieldAddr:
			// The struct holds the verifier: printing or encoding it
			// exposes it. A field that holds the verifier itself
			// holds it wherever it is read.
			if a, ok := addr.X.(*ssa.Alloc); ok {
				at := t
				if fv := fieldVar(addr.X.Type(), addr.Field); fv != nil && !jsonField(fv, structTag(addr.X.Type(), addr.Field)) {
					at.jsonHidden = true
				}
				w.add(a, at)
			}
			if w.summary == nil && t.how == "" && IsStringLike(v.Type()) {
				if fv := fieldVar(addr.X.Type(), addr.Field); fv != nil {
					if _, ok := w.fields[fv]; !ok {
						w.fields[fv] = t
					}
				}
			}
		case *ssa.Global:
			if w.summary == nil && t.how == "" {
				if _, ok := w.globals[addr]; !ok {
					w.globals[addr] = t
				}
			}
		}
	case *ssa.MapUpdate:
		if (in.Value == v || in.Key == v) && !w.x.authQueries[in.Map] {
			key, isConst := stringConst(in.Key)
			if !isConst || in.Key == v {
				key = ""
			}
			w.mapKeys[in.Map] = append(w.mapKeys[in.Map], key)
			w.add(in.Map, t)
		}
	case *ssa.MakeClosure:
		fn, ok := in.Fn.(*ssa.Function)
		if !ok {
			break
		}
		for i, b := range in.Bindings {
			if b == v && i < len(fn.FreeVars) {
				w.add(fn.FreeVars[i], t)
			}
		}
	case *ssa.Return:
		for i, r := range in.Results {
			if r != v {
				continue
			}
			if w.summary != nil {
				if !slices.ContainsFunc(w.summary.Results, func(r ResultFlow) bool { return r.Index == i }) {
					w.summary.Results = append(w.summary.Results, ResultFlow{i, t.how})
				}
				continue
			}
			fn := in.Parent()
			if w.results[fn] == nil {
				w.results[fn] = make(map[int]taint)
			}
			if _, ok := w.results[fn][i]; !ok {
				w.results[fn][i] = t
			}
		}
	case ssa.CallInstruction:
		w.call(v, t, in)
	}
}

// mayHold reports whether a lookup of key in a tainted map may find the
// verifier: not when the map was tainted only under other constant keys
// (m["state"] of map[string]string{"state": s, "verifier": v}).
func (w *walker) mayHold(m, key ssa.Value) bool {
	k, ok := stringConst(key)
	keys, known := w.mapKeys[m]
	if !ok || !known {
		return true
	}
	for _, tk := range keys {
		if tk == "" || tk == k {
			return true
		}
	}
	return false
}

// extracts taints the Extract of index i of a tuple.
func (w *walker) extracts(tuple ssa.Value, i int, t taint) {
	refs := tuple.Referrers()
	if refs == nil {
		return
	}
	for _, ref := range *refs {
		if ex, ok := ref.(*ssa.Extract); ok && ex.Index == i {
			w.add(ex, t)
		}
	}
}

// result taints result i of a call.
func (w *walker) result(call ssa.CallInstruction, i int, t taint) {
	v := call.Value()
	if v == nil {
		return
	}
	if _, ok := v.Type().(*types.Tuple); ok {
		w.extracts(v, i, t)
	} else if i == 0 {
		w.add(v, t)
	}
}

// call follows a tainted value into a call: an exposure sink, a
// derivation, a write into the receiver, or a function of the package
// whose summary says what it does with that argument.
func (w *walker) call(v ssa.Value, t taint, call ssa.CallInstruction) {
	c := call.Common()
	var args []int
	for i, a := range c.Args {
		if a == v {
			args = append(args, i)
		}
	}
	recv := c.IsInvoke() && c.Value == v
	if len(args) == 0 && !recv {
		return // the callee value itself
	}
	if b, ok := c.Value.(*ssa.Builtin); ok && b.Name() == "append" {
		w.result(call, 0, t)
	}
	if site, ok := exposureOf(c); ok {
		if t.jsonHidden && strings.HasPrefix(site.api, "a JSON encoder") {
			return
		}
		for _, i := range args {
			if i >= site.from && (site.only < 0 || i == site.only) {
				w.hit(call, i, site, t)
			}
		}
		return // the table's word is final, not a summary of the sink's body
	}
	if how, isErr, ok := derivation(c); ok {
		if t.jsonHidden && strings.HasPrefix(how, "json.") {
			return
		}
		nres := c.Signature().Results().Len()
		for i := 0; i < nres; i++ {
			if carriesOut(c.Signature().Results().At(i).Type()) {
				w.result(call, i, t.derive(how, isErr, call.Pos()))
			}
		}
		return
	}
	if accumulator(c) && len(c.Args) > 0 && !slices.Contains(args, 0) {
		if !w.x.authQueries[c.Args[0]] {
			w.add(c.Args[0], t)
		}
		return
	}
	if c.IsInvoke() {
		return
	}
	// fmt.Fprintf into a buffer of this function fills the buffer.
	if obj := CalleeFunc(c); obj != nil && (IsFunc(obj, "fmt", "Fprintf") || IsFunc(obj, "fmt", "Fprint") || IsFunc(obj, "fmt", "Fprintln")) {
		if buf := localBuffer(c.Args[0]); buf != nil {
			w.add(buf, t.derive("fmt."+obj.Name(), false, call.Pos()))
		}
		return
	}
	for _, i := range args {
		pe, name := w.x.paramSummary(c, i)
		if pe == nil {
			continue
		}
		for _, h := range pe.Hits {
			api := innerAPI(h.API)
			ht := t
			if h.How != "" && ht.how == "" {
				ht.how = h.How
			}
			w.hit(call, i, exposureSite{kind: h.Kind, api: name + whichWrites + api + ")", only: -1}, ht)
		}
		for _, r := range pe.Results {
			rt := t
			if rt.how == "" {
				rt.how = r.How
			}
			w.result(call, r.Index, rt)
		}
	}
}

// whichWrites joins a helper's name and the sink it writes a parameter to
// in messages: "logf (which writes it to log.Printf)".
const whichWrites = " (which writes it to "

// paramSummary returns what the callee of a call does with argument i, and
// the callee's name for messages: from the summaries of this package's
// functions (closures included), or from the ExposureFact of a function of
// another package. It returns nil for a parameter that is a verifier where
// it is: its exposures are reported inside the callee.
func (x *exposureWalk) paramSummary(c *ssa.CallCommon, i int) (*ParamExposure, string) {
	fn := c.StaticCallee()
	if fn == nil {
		if mc, ok := c.Value.(*ssa.MakeClosure); ok {
			fn, _ = mc.Fn.(*ssa.Function)
		}
	}
	if fn == nil {
		return nil, ""
	}
	if sums, ok := x.params[fn]; ok {
		if i >= len(sums) || x.seedParams[fn.Params[i]] {
			return nil, ""
		}
		return sums[i], fn.Name()
	}
	obj := CalleeFunc(c)
	fact := x.imported[obj]
	if fact == nil {
		return nil, ""
	}
	for k := range fact.Params {
		if fact.Params[k].Arg == i {
			return &fact.Params[k], obj.Pkg().Name() + "." + obj.Name()
		}
	}
	return nil, ""
}

// carriesOut reports whether a result of type t can carry what a
// derivation makes (a string, bytes, an error, a log attribute).
func carriesOut(t types.Type) bool {
	if b, ok := t.Underlying().(*types.Basic); ok {
		return b.Info()&types.IsString != 0
	}
	return true
}

// localBuffer returns the *strings.Builder or *bytes.Buffer a writer
// argument is, when it is a local variable of the function.
func localBuffer(w ssa.Value) ssa.Value {
	mi, ok := w.(*ssa.MakeInterface)
	if !ok {
		return nil
	}
	p, ok := types.Unalias(mi.X.Type()).(*types.Pointer)
	if !ok {
		return nil
	}
	named, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return nil
	}
	switch named.Obj().Pkg().Path() + "." + named.Obj().Name() {
	case "strings.Builder", "bytes.Buffer":
		if _, ok := mi.X.(*ssa.Alloc); ok {
			return mi.X
		}
	}
	return nil
}

// hit records an exposure of argument i of a call: in a summary, as what
// the function does with its parameter; otherwise as a finding.
func (w *walker) hit(call ssa.CallInstruction, i int, site exposureSite, t taint) {
	if w.summary != nil {
		h := ExposureHit{Kind: site.kind, API: site.api, How: t.how, Slog: site.slog}
		if !slices.Contains(w.summary.Hits, h) {
			w.summary.Hits = append(w.summary.Hits, h)
		}
		return
	}
	elem := -1
	c := call.Common()
	if c.Signature().Variadic() && i == len(c.Args)-1 {
		// A variadic argument built in place: find the element
		// that carries the verifier.
		if idx, ok := w.element(c.Args[i]); ok {
			elem = idx
		}
	}
	w.hitAt(call, i, elem, site, t)
}

// hitAt reports an exposure of argument i of a call, or of element elem
// of that argument when it is a variadic slice built in place.
func (w *walker) hitAt(call ssa.CallInstruction, i, elem int, site exposureSite, t taint) {
	f := w.x.f
	e := Exposure{Kind: site.kind, Fn: call.Parent(), API: site.api, Arg: -1, Slog: site.slog}
	ce, _ := f.nodes[call.Pos()].(*ast.CallExpr)
	c := call.Common()
	ai := f.astArg(call, i)
	sig := c.Signature()
	if ce != nil && sig.Variadic() && i == len(c.Args)-1 && !ce.Ellipsis.IsValid() {
		if elem >= 0 {
			ai += elem
		} else {
			ai = -1
		}
	}
	if ce != nil && ai >= 0 && ai < len(ce.Args) {
		e.Call, e.Arg, e.Range = ce, ai, ce.Args[ai]
		if site.slog && sig.Variadic() {
			e.SlogFirst = f.astArg(call, len(c.Args)-1)
		}
	} else {
		e.Range = f.ExprRange(call.Pos(), -1)
	}
	w.x.report(e, t)
}

// element returns the index of the first element of a variadic slice
// built in place that carries the verifier.
func (w *walker) element(s ssa.Value) (int, bool) {
	sl, ok := s.(*ssa.Slice)
	if !ok {
		return 0, false
	}
	a, ok := sl.X.(*ssa.Alloc)
	if !ok {
		return 0, false
	}
	best := -1
	for _, ref := range *a.Referrers() {
		ia, ok := ref.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		c, ok := ia.Index.(*ssa.Const)
		if !ok {
			continue
		}
		for _, r2 := range *ia.Referrers() {
			if st, ok := r2.(*ssa.Store); ok && st.Addr == ia {
				if _, tainted := w.taints[st.Val]; tainted {
					if n := int(c.Int64()); best < 0 || n < best {
						best = n
					}
				}
			}
		}
	}
	return best, best >= 0
}

func (x *exposureWalk) report(e Exposure, t taint) {
	key := [2]token.Pos{e.Range.Pos(), e.Range.End()}
	if x.seen[key] {
		return
	}
	x.seen[key] = true
	e.How, e.ErrorAt, e.Source, e.SourcePos, e.Field = t.how, t.errorAt, t.source, t.srcPos, t.field
	x.out = append(x.out, e)
}
