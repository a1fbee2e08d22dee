package pkce

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// This file is the table of exposure sinks — the calls that write a value
// where others can read it: a log, an HTTP response, the front channel —
// and the forward walk that follows a code verifier to them (PKCE007).
// The table matches functions and methods by package path and name, and
// so matches zap, logrus and zerolog only in a package that imports them.

// ExposureKind says where an exposed verifier goes.
type ExposureKind int

const (
	ExposedLog          ExposureKind = iota + 1 // a log, standard output or error (CWE-532)
	ExposedResponse                             // an HTTP response (CWE-200)
	ExposedFrontChannel                         // the authorization request, a redirect, the state (CWE-200)
)

// Exposure is one place a code verifier, or a value made from it, leaves
// the client by another way than the token request.
type Exposure struct {
	Kind ExposureKind
	Fn   *ssa.Function
	// Range is the expression to report: the argument that carries the
	// verifier, or the option or parameter that sends it.
	Range analysis.Range
	// API says what writes it: "log.Printf", "http.Error", "the state of
	// (*oauth2.Config).AuthCodeURL", "logf (which writes it to log.Printf)".
	API string
	// Call and Arg are the call expression and the index of the argument
	// that carries the verifier, when the exposure is a call's argument;
	// Call is nil otherwise. A slog call's key-value pair is removable
	// when Arg's value is the verifier itself (How is "") and the
	// argument before it is the key (see SlogPair).
	Call *ast.CallExpr
	Arg  int
	// How the exposed value is made from the verifier: "" for the
	// verifier itself, else the derivation ("fmt.Sprintf", "string
	// concatenation"). ErrorAt is the fmt.Errorf or errors.New call that
	// put it in an error, when it went through one.
	How     string
	ErrorAt token.Pos
	// Source is where the value is known to be a verifier, for a related
	// location: the verifier sink or verifier API it comes from.
	Source    string
	SourcePos token.Pos
	// Slog is set when the call is a log/slog call whose variadic
	// key-value pairs (or attributes) start at argument SlogFirst.
	Slog      bool
	SlogFirst int
}

// exposureSite is what the table says of a call: where its arguments go,
// and from which SSA argument on (a method's receiver is argument 0).
type exposureSite struct {
	kind ExposureKind
	api  string
	from int
	only int // when >= 0, the one argument exposed
	slog bool
}

// isLogName reports whether a function or method of package log writes
// its arguments: Print, Printf, Fatalln, Panic, ...
func isLogName(name string) bool {
	for _, prefix := range [...]string{"Print", "Fatal", "Panic"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok && (rest == "" || rest == "f" || rest == "ln") {
			return true
		}
	}
	return false
}

// exposureOf looks a call up in the table of exposure sinks.
func exposureOf(c *ssa.CallCommon) (exposureSite, bool) {
	if c.IsInvoke() {
		name := c.Method.Name()
		switch {
		case isResponseWriter(c.Value.Type()) && name == "Write":
			return exposureSite{ExposedResponse, "Write on the http.ResponseWriter", 0, -1, false}, true
		}
		return exposureSite{}, false
	}
	if b, ok := c.Value.(*ssa.Builtin); ok {
		if b.Name() == "print" || b.Name() == "println" {
			return exposureSite{ExposedLog, "the builtin " + b.Name(), 0, -1, false}, true
		}
		return exposureSite{}, false
	}
	obj := CalleeFunc(c)
	if obj == nil || obj.Pkg() == nil {
		return exposureSite{}, false
	}
	name := obj.Name()
	recv := obj.Signature().Recv() != nil
	site := func(kind ExposureKind, api string, from int) (exposureSite, bool) {
		return exposureSite{kind: kind, api: api, from: from, only: -1}, true
	}
	switch obj.Pkg().Path() {
	case "log":
		if isLogName(name) || name == "Output" {
			from := 0
			if name == "Output" {
				from = 1
			}
			if recv {
				return site(ExposedLog, "(*log.Logger)."+name, from+1)
			}
			return site(ExposedLog, "log."+name, from)
		}
	case "log/slog":
		from := -1
		switch name {
		case "Debug", "Info", "Warn", "Error", "With":
			from = 0
		case "DebugContext", "InfoContext", "WarnContext", "ErrorContext":
			from = 1
		case "Log", "LogAttrs":
			from = 2
		}
		if from < 0 {
			break
		}
		api := "slog." + name
		if recv {
			from++
			api = "(*slog.Logger)." + name
		}
		return exposureSite{ExposedLog, api, from, -1, true}, true
	case "fmt":
		switch name {
		case "Print", "Printf", "Println":
			return site(ExposedLog, "fmt."+name, 0)
		case "Fprint", "Fprintf", "Fprintln":
			if kind, what := writerKind(c.Args[0]); kind != 0 {
				return site(kind, "fmt."+name+" to "+what, 1)
			}
		}
	case "io":
		if name == "WriteString" {
			if kind, what := writerKind(c.Args[0]); kind != 0 {
				return site(kind, "io.WriteString to "+what, 1)
			}
		}
	case "os":
		if recv && (name == "Write" || name == "WriteString") {
			if kind, what := writerKind(c.Args[0]); kind == ExposedLog {
				return site(kind, what+"."+name, 1)
			}
		}
	case "encoding/json":
		if recv && name == "Encode" {
			if kind, what := encoderWriter(c.Args[0]); kind != 0 {
				return site(kind, "a JSON encoder on "+what, 1)
			}
		}
	case "net/http":
		switch {
		case !recv && name == "Error":
			return site(ExposedResponse, "http.Error", 1)
		case !recv && name == "Redirect":
			return exposureSite{ExposedFrontChannel, "the Location of http.Redirect", 2, 2, false}, true
		case recv && (name == "Set" || name == "Add") && len(c.Args) == 3 && responseHeader(c.Args[0]):
			if key, ok := stringConst(c.Args[1]); ok && strings.EqualFold(key, "Location") {
				return exposureSite{ExposedFrontChannel, "the Location header of the response", 2, 2, false}, true
			}
			return exposureSite{ExposedResponse, "a header of the HTTP response", 2, 2, false}, true
		}
	case "go.uber.org/zap":
		if recv && isLoggerMethod(name) {
			return site(ExposedLog, "zap "+name, 1)
		}
	case "github.com/sirupsen/logrus":
		if isLoggerMethod(name) || name == "WithField" || name == "WithFields" {
			if recv {
				return site(ExposedLog, "logrus "+name, 1)
			}
			return site(ExposedLog, "logrus."+name, 0)
		}
	case "github.com/rs/zerolog":
		// Anything added to a zerolog event or context is logged
		// with it: Str, Interface, Msg, Msgf, ...
		if recv && name != "Enabled" && name != "Discard" {
			return site(ExposedLog, "zerolog "+name, 1)
		}
	}
	return exposureSite{}, false
}

// isLoggerMethod reports whether a method name of a leveled logger (zap,
// logrus) writes its arguments: Info, Infof, Infow, Infoln, With, ...
func isLoggerMethod(name string) bool {
	if name == "With" || name == "Log" || name == "Logf" || name == "Logln" {
		return true
	}
	for _, level := range []string{"Trace", "Debug", "Info", "Print", "Warn", "Warning", "Error", "DPanic", "Panic", "Fatal"} {
		if rest, ok := strings.CutPrefix(name, level); ok {
			switch rest {
			case "", "f", "w", "ln":
				return true
			}
		}
	}
	return false
}

// writerKind classifies the writer of fmt.Fprint* and io.WriteString:
// os.Stdout or os.Stderr (a log), an http.ResponseWriter (a response).
func writerKind(w ssa.Value) (ExposureKind, string) {
	for {
		switch x := w.(type) {
		case *ssa.MakeInterface:
			w = x.X
			continue
		case *ssa.ChangeInterface:
			w = x.X
			continue
		case *ssa.UnOp:
			if g, ok := x.X.(*ssa.Global); ok && x.Op == token.MUL && g.Pkg != nil && g.Pkg.Pkg.Path() == "os" &&
				(g.Name() == "Stdout" || g.Name() == "Stderr") {
				return ExposedLog, "os." + g.Name()
			}
		}
		if isResponseWriter(w.Type()) {
			return ExposedResponse, "the http.ResponseWriter"
		}
		return 0, ""
	}
}

// encoderWriter classifies the writer of a *json.Encoder made by
// json.NewEncoder in the same function.
func encoderWriter(enc ssa.Value) (ExposureKind, string) {
	call, ok := enc.(*ssa.Call)
	if !ok || !IsFunc(CalleeFunc(call.Common()), "encoding/json", "NewEncoder") || len(call.Call.Args) != 1 {
		return 0, ""
	}
	return writerKind(call.Call.Args[0])
}

// responseHeader reports whether h is the header map of a response:
// w.Header() on an http.ResponseWriter.
func responseHeader(h ssa.Value) bool {
	call, ok := h.(*ssa.Call)
	return ok && call.Call.IsInvoke() && call.Call.Method.Name() == "Header" && isResponseWriter(call.Call.Value.Type())
}

// isResponseWriter reports whether t is net/http.ResponseWriter.
func isResponseWriter(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "net/http" && named.Obj().Name() == "ResponseWriter"
}

// derivation says whether a call's results are made from its arguments so
// that they carry a verifier among them: formatting, concatenating,
// encoding, wrapping into an error, a log attribute or a JSON document.
// A hash, a length or a comparison is none. It returns the derivation's
// name and whether it makes an error.
func derivation(c *ssa.CallCommon) (how string, isErr, ok bool) {
	if c.IsInvoke() {
		switch c.Method.Name() {
		case "Error", "String":
			return "", false, true // the text of the error or value itself
		}
		return "", false, false
	}
	obj := CalleeFunc(c)
	if obj == nil || obj.Pkg() == nil {
		return "", false, false
	}
	name := obj.Name()
	recv := obj.Signature().Recv() != nil
	switch path := obj.Pkg().Path(); path {
	case "fmt":
		switch name {
		case "Errorf":
			return "fmt.Errorf", true, true
		case "Sprint", "Sprintf", "Sprintln", "Append", "Appendf", "Appendln":
			return "fmt." + name, false, true
		}
	case "errors":
		if name == "New" || name == "Join" {
			return "errors." + name, true, true
		}
	case "strings", "bytes":
		// Functions whose result is text made from the argument:
		// ToUpper, TrimSpace, Join, Replace, Split, ...
		if !recv && carriesText(obj.Signature().Results()) {
			return path + "." + name, false, true
		}
		if recv && (name == "String" || name == "Bytes") {
			return "", false, true
		}
	case "strconv":
		if strings.HasPrefix(name, "Quote") || strings.HasPrefix(name, "AppendQuote") {
			return "strconv." + name, false, true
		}
	case "net/url":
		switch name {
		case "QueryEscape", "PathEscape":
			return "url." + name, false, true
		case "Encode":
			return "(url.Values).Encode", false, recv
		}
	case "encoding/base64", "encoding/base32", "encoding/hex":
		if strings.HasPrefix(name, "EncodeToString") || name == "AppendEncode" || name == "EncodeToString" {
			return path[strings.LastIndex(path, "/")+1:] + "." + name, false, true
		}
	case "encoding/json":
		if name == "Marshal" || name == "MarshalIndent" {
			return "json." + name, false, true
		}
	case "log/slog":
		switch name {
		case "String", "Any", "Group", "StringValue", "AnyValue", "GroupValue":
			return "", false, true
		}
	case "go.uber.org/zap":
		switch name {
		case "String", "Any", "ByteString", "Binary", "Stringer", "Reflect", "Strings", "Error", "NamedError":
			return "", false, !recv
		}
	}
	return "", false, false
}

// accumulator says whether a call writes its argument into its receiver
// (argument 0): a strings.Builder, a bytes.Buffer, url.Values.
func accumulator(c *ssa.CallCommon) bool {
	obj := CalleeFunc(c)
	if obj == nil || obj.Signature().Recv() == nil || len(c.Args) < 2 {
		return false
	}
	switch {
	case IsMethod(obj, "strings", "Builder", obj.Name()), IsMethod(obj, "bytes", "Buffer", obj.Name()):
		return strings.HasPrefix(obj.Name(), "Write")
	case IsMethod(obj, URLPath, "Values", "Set"), IsMethod(obj, URLPath, "Values", "Add"):
		return true
	}
	return false
}

// carriesText reports whether a result list holds a string, a byte slice
// or a slice of them.
func carriesText(res *types.Tuple) bool {
	for i := 0; i < res.Len(); i++ {
		t := res.At(i).Type()
		if s, ok := t.Underlying().(*types.Slice); ok && IsStringLike(s.Elem()) {
			return true
		}
		if IsStringLike(t) {
			return true
		}
	}
	return false
}

// taint is what the walk knows of a value that carries a verifier.
type taint struct {
	how     string // "" for the verifier itself
	errorAt token.Pos
	source  string
	srcPos  token.Pos
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

// paramExposure is what a function does with one of its parameters: the
// exposures it reaches inside the function (and its local callees), and
// the results it is returned in.
type paramExposure struct {
	hits    []exposureHit
	results []paramResult
}

// paramResult is a result a parameter is returned in, and how it is made
// from the parameter ("" when it is the parameter itself).
type paramResult struct {
	index int
	how   string
}

type exposureHit struct {
	kind ExposureKind
	api  string
	how  string
	slog bool
}

// exposureWalk holds the state of Exposures for one package.
type exposureWalk struct {
	f *Flow
	// params are the summaries of the package's functions, by
	// parameter index.
	params map[*ssa.Function][]*paramExposure
	// seedParams are parameters that are verifiers where they are
	// (a sink uses them as one): their exposures are reported inside
	// the function, not at its calls.
	seedParams map[*ssa.Parameter]bool
	// front indexes the values the front channel sends: state sinks,
	// authorization-request parameters, AuthCodeURL options.
	front map[ssa.Value][]frontUse
	// authQueries are the authorization requests' url.Values: a
	// verifier put in one is reported at its parameter, not again
	// where the encoded query goes.
	authQueries map[ssa.Value]bool

	out  []Exposure
	seen map[[2]token.Pos]bool
}

type frontUse struct {
	rng analysis.Range
	api string
	fn  *ssa.Function
}

// walker follows a set of values forward within the package.
type walker struct {
	x       *exposureWalk
	summary *paramExposure // set when summarising a parameter
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
// response or the front channel. oauth2.VerifierOption passed to
// AuthCodeURL is not among them: PKCE001 reports it.
func (f *Flow) Exposures() []Exposure {
	if !f.Relevant {
		return nil
	}
	x := &exposureWalk{
		f:           f,
		params:      make(map[*ssa.Function][]*paramExposure),
		seedParams:  make(map[*ssa.Parameter]bool),
		front:       make(map[ssa.Value][]frontUse),
		authQueries: make(map[ssa.Value]bool),
		seen:        make(map[[2]token.Pos]bool),
	}
	x.indexFront()
	for _, s := range f.Sinks {
		if p, ok := unconvert(s.Value).(*ssa.Parameter); ok && s.Kind == VerifierSink {
			x.seedParams[p] = true
		}
	}
	x.summarise()
	x.walkSeeds()
	return x.out
}

// indexFront lists the values sent on the front channel.
func (x *exposureWalk) indexFront() {
	f := x.f
	for _, s := range f.Sinks {
		if s.Kind == StateSink {
			x.front[s.Value] = append(x.front[s.Value], frontUse{s.Range, "the state of " + s.API, s.Fn})
		}
	}
	for _, set := range f.ParamSets {
		if !set.IsAuthorizationRequest() {
			continue
		}
		x.authQueries[set.Value] = true
		for _, en := range set.Entries {
			if en.Key != ParamCodeChallenge && en.Key != ParamState && en.Value != nil {
				x.front[en.Value] = append(x.front[en.Value], frontUse{f.ExprRange(en.Pos, en.Arg),
					"the " + en.Key + " parameter of the authorization request", set.Fn})
			}
		}
	}
	for _, cc := range f.ConfigCalls("AuthCodeURL") {
		for _, o := range cc.Options {
			// VerifierOption here is PKCE001's; the challenge is
			// what belongs here.
			if o.Kind == OptParam && o.Key != ParamCodeChallenge && o.Key != ParamState && o.Value != nil {
				x.front[o.Value] = append(x.front[o.Value], frontUse{o.Range,
					`oauth2.SetAuthURLParam("` + o.Key + `") passed to ` + cc.API, cc.Fn})
			}
		}
	}
}

// summarise computes, until nothing changes, what each function of the
// package does with each parameter that can carry a verifier.
func (x *exposureWalk) summarise() {
	for _, fn := range x.f.Funcs {
		ps := make([]*paramExposure, len(fn.Params))
		for i := range ps {
			ps[i] = new(paramExposure)
		}
		x.params[fn] = ps
	}
	for round := 0; round < 6; round++ {
		changed := false
		for _, fn := range x.f.Funcs {
			for i, p := range fn.Params {
				if !canCarry(p.Type()) || x.seedParams[p] {
					continue
				}
				sum := &paramExposure{}
				w := x.newWalker(sum)
				w.add(p, taint{})
				w.run()
				old := x.params[fn][i]
				if len(sum.hits) != len(old.hits) || !slices.Equal(sum.results, old.results) {
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

func (x *exposureWalk) newWalker(sum *paramExposure) *walker {
	return &walker{x: x, summary: sum, taints: make(map[ssa.Value]taint),
		results: make(map[*ssa.Function]map[int]taint),
		fields:  make(map[*types.Var]taint), globals: make(map[*ssa.Global]taint),
		mapKeys: make(map[ssa.Value][]string)}
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
					if t, ok := w.sourceOf(v); ok {
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
	for v, uses := range x.front {
		t, ok := w.taints[v]
		if !ok {
			continue
		}
		for _, u := range uses {
			x.report(Exposure{Kind: ExposedFrontChannel, Fn: u.fn, Range: u.rng, API: u.api, Arg: -1}, t)
		}
	}
}

// sourceOf reports whether v is a verifier by where it comes from: a
// verifier API, a function of the package that returns one, a field or
// package variable that holds one.
func (w *walker) sourceOf(v ssa.Value) (taint, bool) {
	switch v := v.(type) {
	case *ssa.Call:
		c := v.Common()
		if obj := CalleeFunc(c); IsFunc(obj, OAuth2Path, "GenerateVerifier") {
			return taint{source: "oauth2.GenerateVerifier", srcPos: v.Pos()}, true
		}
		if fn := c.StaticCallee(); fn != nil {
			if w.x.f.makers[fn] {
				return taint{source: "the verifier API " + fn.Name(), srcPos: v.Pos()}, true
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
				if w.x.f.makers[fn] && IsStringLike(v.Type()) && IsVerifierName(fn.Signature.Results().At(v.Index).Name()) {
					return taint{source: "the verifier API " + fn.Name(), srcPos: v.Pos()}, true
				}
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
				w.add(a, t)
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
				if !slices.ContainsFunc(w.summary.results, func(r paramResult) bool { return r.index == i }) {
					w.summary.results = append(w.summary.results, paramResult{i, t.how})
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
		for _, i := range args {
			if i >= site.from && (site.only < 0 || i == site.only) {
				w.hit(call, i, site, t)
			}
		}
	}
	if how, isErr, ok := derivation(c); ok {
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
	fn := c.StaticCallee()
	if fn == nil {
		if mc, ok := c.Value.(*ssa.MakeClosure); ok {
			fn, _ = mc.Fn.(*ssa.Function)
		}
	}
	if fn == nil {
		return
	}
	sums := w.x.params[fn]
	for _, i := range args {
		if i >= len(sums) {
			continue
		}
		p := fn.Params[i]
		if w.summary == nil && w.x.seedParams[p] {
			continue // reported inside fn
		}
		s := sums[i]
		for _, h := range s.hits {
			api := fn.Name() + " (which writes it to " + h.api + ")"
			if strings.Contains(h.api, " (which writes it to ") {
				api = fn.Name() + " (which writes it to " + h.api[strings.Index(h.api, " (which writes it to ")+len(" (which writes it to "):]
			}
			ht := t
			if h.how != "" && ht.how == "" {
				ht.how = h.how
			}
			w.hit(call, i, exposureSite{kind: h.kind, api: api, only: -1}, ht)
		}
		for _, r := range s.results {
			rt := t
			if rt.how == "" {
				rt.how = r.how
			}
			w.result(call, r.index, rt)
		}
	}
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
		h := exposureHit{kind: site.kind, api: site.api, how: t.how, slog: site.slog}
		if !slices.Contains(w.summary.hits, h) {
			w.summary.hits = append(w.summary.hits, h)
		}
		return
	}
	f := w.x.f
	e := Exposure{Kind: site.kind, Fn: call.Parent(), API: site.api, Arg: -1, Slog: site.slog}
	ce, _ := f.nodes[call.Pos()].(*ast.CallExpr)
	c := call.Common()
	ai := f.astArg(call, i)
	sig := c.Signature()
	// A variadic argument built in place: find the element that
	// carries the verifier.
	if ce != nil && sig.Variadic() && i == len(c.Args)-1 && !ce.Ellipsis.IsValid() {
		if idx, ok := w.element(c.Args[i]); ok {
			ai += idx
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
	e.How, e.ErrorAt, e.Source, e.SourcePos = t.how, t.errorAt, t.source, t.srcPos
	x.out = append(x.out, e)
}

// SlogArgs returns the arguments of a log/slog call to delete to remove
// the verifier from it: its key-value pair ("verifier", v) or its
// attribute (slog.String("verifier", v)). ok is false unless the argument
// is the verifier itself, named by a variable or field (deleting it
// deletes no call), and its key is a constant.
func (e Exposure) SlogArgs(info *types.Info) (from, to int, ok bool) {
	if !e.Slog || e.Call == nil || e.How != "" || e.Call.Ellipsis.IsValid() || e.Arg < e.SlogFirst {
		return 0, 0, false
	}
	args := e.Call.Args
	for j := e.SlogFirst; j <= e.Arg; {
		if isSlogAttr(info.TypeOf(args[j])) {
			if j < e.Arg {
				j++
				continue
			}
			call, isCall := ast.Unparen(args[j]).(*ast.CallExpr)
			if !isCall || len(call.Args) != 2 || !plainOperand(call.Args[1]) {
				return 0, 0, false
			}
			if _, isConst := StringConst(info, call.Args[0]); !isConst {
				return 0, 0, false
			}
			fn := Callee(info, call)
			if !IsFunc(fn, "log/slog", "String") && !IsFunc(fn, "log/slog", "Any") {
				return 0, 0, false
			}
			return j, j, true
		}
		if j+1 == e.Arg {
			if _, isConst := StringConst(info, args[j]); !isConst || !plainOperand(args[e.Arg]) {
				return 0, 0, false
			}
			return j, e.Arg, true
		}
		if j == e.Arg {
			return 0, 0, false // the verifier as a key
		}
		j += 2
	}
	return 0, 0, false
}

// plainOperand reports whether e is a variable or a field selection,
// which evaluating has no effect.
func plainOperand(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return plainOperand(e.X)
	}
	return false
}

func isSlogAttr(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "log/slog" && named.Obj().Name() == "Attr"
}
