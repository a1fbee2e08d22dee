package pkce

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// SinkKind says what a sink uses its value as.
type SinkKind int

const (
	VerifierSink  SinkKind = iota // the PKCE code verifier
	StateSink                     // the OAuth state parameter
	ChallengeSink                 // a code challenge sent by a client: as guessable as its verifier
)

// Sink is a place where a value is used as a code verifier or as state:
// the argument of an oauth2 option, a url.Values entry, a struct field that
// holds a verifier.
type Sink struct {
	Kind  SinkKind
	Value ssa.Value
	Fn    *ssa.Function   // the function the use is in
	Instr ssa.Instruction // nil for url.Values and map entries
	Range analysis.Range  // the expression to report
	API   string          // how it is used: "oauth2.S256ChallengeOption", `url.Values "code_verifier"`
	// Field is set for a store into a struct field that holds a verifier.
	Field *types.Var
}

func (f *Flow) findSinks() []Sink {
	var sinks []Sink
	for _, fn := range f.Funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case ssa.CallInstruction:
					sinks = f.callSinks(sinks, fn, instr)
				case *ssa.Store:
					if fa, ok := instr.Addr.(*ssa.FieldAddr); ok {
						tag := structTag(fa.X.Type(), fa.Field)
						if fv := fieldVar(fa.X.Type(), fa.Field); fv != nil && IsVerifierField(fv, tag) {
							s := Sink{Kind: VerifierSink, Value: instr.Val, Fn: fn, Instr: instr,
								Range: f.ExprRange(instr.Pos(), -1), API: "field " + fv.Name(), Field: fv}
							if pkceField(fa.X.Type(), fa.Field) {
								sinks = append(sinks, s)
							} else {
								f.bareFieldSinks = append(f.bareFieldSinks, s)
							}
						}
					}
				}
			}
		}
	}
	for _, fn := range f.Funcs {
		sinks = f.makerSinks(sinks, fn)
	}
	for _, set := range f.ParamSets {
		for _, en := range set.Entries {
			kind := VerifierSink
			switch {
			case en.Key == ParamCodeVerifier:
			case en.Key == ParamState && set.IsOAuth() && !set.IsCodeTokenRequest():
				// A state echoed in a token request is the one judged
				// where the authorization request sent it.
				kind = StateSink
			default:
				continue
			}
			sinks = append(sinks, Sink{Kind: kind, Value: en.Value, Fn: set.Fn, Range: f.ExprRange(en.Pos, en.Arg),
				API: "the " + en.Key + " parameter"})
		}
	}
	return sinks
}

// pkceField reports whether field i of the struct t (points to) says by
// itself that it holds a PKCE verifier: it is tagged code_verifier, its
// name says code or pkce (CodeVerifier), or its struct is a PKCE one (a
// field tagged code_challenge, named CodeChallenge or for a challenge
// method, or the struct named for PKCE). A bare Verifier elsewhere — hydra
// keeps its login and consent verifiers so — is a verifier only when the
// package uses its value as one (confirmFieldSinks).
func pkceField(t types.Type, i int) bool {
	st, ok := deref(t).Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return false
	}
	if slices.ContainsFunc(TagNames(st.Tag(i)), func(n string) bool { return strings.EqualFold(n, ParamCodeVerifier) }) ||
		isQualifiedVerifierName(st.Field(i).Name()) {
		return true
	}
	if named, ok := types.Unalias(deref(t)).(*types.Named); ok && slices.Contains(Words(named.Obj().Name()), "pkce") {
		return true
	}
	for j := 0; j < st.NumFields(); j++ {
		name := st.Field(j).Name()
		words := Words(name)
		if IsChallengeMethodName(name) || IsChallengeName(name) && (slices.Contains(words, "code") || slices.Contains(words, "pkce")) ||
			slices.ContainsFunc(TagNames(st.Tag(j)), func(n string) bool { return strings.EqualFold(n, ParamCodeChallenge) }) {
			return true
		}
	}
	return false
}

// confirmFieldSinks moves into the sinks the stores into a bare Verifier
// field whose value the package sends as a verifier: a load of the field
// reaches a sink that is not itself a field. It reports whether it moved
// any.
func (f *Flow) confirmFieldSinks() bool {
	if len(f.bareFieldSinks) == 0 {
		return false
	}
	used := make(map[*types.Var]bool)
	for _, s := range f.Sinks {
		if s.Kind == VerifierSink && s.Field == nil {
			if fv := FieldLoad(s.Value); fv != nil {
				used[fv] = true
			}
		}
	}
	moved := false
	pending := f.bareFieldSinks[:0]
	for _, s := range f.bareFieldSinks {
		if used[s.Field] {
			f.Sinks = append(f.Sinks, s)
			moved = true
		} else {
			pending = append(pending, s)
		}
	}
	f.bareFieldSinks = pending
	return moved
}

// makerSinks judges the results of a function that exists to make code
// verifiers (a verifier API: GenerateCodeVerifier() string, or a result
// named verifier as in PKCEPair() (verifier, challenge string, err error))
// as verifiers: a weakness there is a PKCE mistake even when no caller in
// the package uses the result, because the library's users will. Return
// statements with a non-nil error are error paths.
func (f *Flow) makerSinks(sinks []Sink, fn *ssa.Function) []Sink {
	obj := declaredFunc(fn)
	if obj == nil {
		return sinks
	}
	res := fn.Signature.Results()
	var judged []int
	errIdx := -1
	for i := 0; i < res.Len(); i++ {
		r := res.At(i)
		switch {
		case isErrorType(r.Type()):
			errIdx = i
		case IsStringLike(r.Type()) && IsVerifierName(r.Name()):
			judged = append(judged, i)
		}
	}
	if len(judged) == 0 && IsVerifierMakerFunc(obj) {
		for i := 0; i < res.Len(); i++ {
			if IsStringLike(res.At(i).Type()) {
				judged = append(judged, i)
			}
		}
		if len(judged) != 1 {
			return sinks
		}
	}
	if len(judged) == 0 {
		return sinks
	}
	f.makers[fn] = true
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) != res.Len() {
			continue
		}
		if errIdx >= 0 {
			if c, ok := ret.Results[errIdx].(*ssa.Const); !ok || c.Value != nil {
				continue
			}
		}
		for _, i := range judged {
			// return "": no verifier (kratos's maybePKCE when PKCE is
			// off), which its callers test for; a caller that sends it
			// anyway is judged where it sends it.
			if c, ok := ret.Results[i].(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.String && constant.StringVal(c.Value) == "" {
				continue
			}
			sinks = append(sinks, Sink{Kind: VerifierSink, Value: ret.Results[i], Fn: fn, Instr: ret,
				Range: f.ExprRange(ret.Pos(), i), API: "the result of " + obj.Name() + ", a verifier API"})
		}
	}
	return sinks
}

// FromVerifierAPI reports whether v is the result of a call of one of this
// package's verifier APIs: its weakness was reported in the API itself.
func (f *Flow) FromVerifierAPI(v ssa.Value) bool {
	v = unconvert(v)
	if x, ok := v.(*ssa.Extract); ok {
		v = x.Tuple
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	fn := call.Call.StaticCallee()
	return fn != nil && f.makers[fn]
}

// unconvert strips type changes and conversions from v.
func unconvert(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Convert:
			v = x.X
		default:
			return v
		}
	}
}

func (f *Flow) callSinks(sinks []Sink, fn *ssa.Function, call ssa.CallInstruction) []Sink {
	c := call.Common()
	callee := c.StaticCallee()
	if callee == nil {
		return sinks
	}
	obj, _ := callee.Object().(*types.Func)
	switch {
	case IsFunc(obj, OAuth2Path, "S256ChallengeOption"), IsFunc(obj, OAuth2Path, "VerifierOption"), IsFunc(obj, OAuth2Path, "S256ChallengeFromVerifier"):
		sinks = append(sinks, Sink{Kind: VerifierSink, Value: c.Args[0], Fn: fn, Instr: call,
			Range: f.ExprRange(call.Pos(), 0), API: "oauth2." + obj.Name()})
	case IsFunc(obj, OAuth2Path, "SetAuthURLParam"):
		key, ok := stringConst(c.Args[0])
		if !ok {
			break
		}
		switch key {
		case ParamCodeVerifier:
			sinks = append(sinks, Sink{Kind: VerifierSink, Value: c.Args[1], Fn: fn, Instr: call,
				Range: f.ExprRange(call.Pos(), 1), API: `oauth2.SetAuthURLParam("code_verifier")`})
		case ParamState:
			sinks = append(sinks, Sink{Kind: StateSink, Value: c.Args[1], Fn: fn, Instr: call,
				Range: f.ExprRange(call.Pos(), 1), API: `oauth2.SetAuthURLParam("state")`})
		case ParamCodeChallenge:
			sinks = append(sinks, Sink{Kind: ChallengeSink, Value: c.Args[1], Fn: fn, Instr: call,
				Range: f.ExprRange(call.Pos(), 1), API: `oauth2.SetAuthURLParam("code_challenge")`})
		}
	case IsConfigMethod(obj, "AuthCodeURL"):
		sinks = append(sinks, Sink{Kind: StateSink, Value: c.Args[1], Fn: fn, Instr: call,
			Range: f.ExprRange(call.Pos(), 0), API: "(*oauth2.Config).AuthCodeURL"})
	case IsFunc(obj, "fmt", "Sprintf") && len(c.Args) == 2:
		sinks = f.formatSinks(sinks, fn, call)
	}
	return sinks
}

// formatSinks finds the state and code_verifier of a request written as a
// format string: fmt.Sprintf("%s/authorize?client_id=%s&response_type=code&state=%s", …).
// A verb right after "state=" in an authorization request (the text has
// response_type=code or client_id=), or after "code_verifier=", sends its
// argument as that parameter.
func (f *Flow) formatSinks(sinks []Sink, fn *ssa.Function, call ssa.CallInstruction) []Sink {
	c := call.Common()
	format, ok := stringConst(c.Args[0])
	if !ok {
		return sinks
	}
	authRequest := strings.Contains(format, "response_type=code") || strings.Contains(format, "client_id=")
	for i, key := range formatKeys(format) {
		kind := VerifierSink
		switch {
		case key == ParamCodeVerifier:
		case key == ParamState && authRequest:
			kind = StateSink
		default:
			continue
		}
		v := varArg(c.Args[1], i)
		if v == nil {
			continue
		}
		sinks = append(sinks, Sink{Kind: kind, Value: v, Fn: fn, Instr: call,
			Range: f.ExprRange(call.Pos(), i+1), API: "the " + key + " parameter"})
	}
	return sinks
}

// formatKeys returns, for each verb of a format string in order, the query
// key written right before it ("state" for "&state=%s"), or "". It returns
// nil for formats it does not follow: explicit argument indexes, or a *
// width that takes an argument.
func formatKeys(format string) []string {
	var keys []string
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		start := i
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i >= len(format) {
			break
		}
		switch format[i] {
		case '%':
			continue
		case '[', '*':
			return nil
		}
		key := ""
		if start > 0 && format[start-1] == '=' {
			k := format[:start-1]
			key = k[strings.LastIndexAny(k, "?&")+1:]
		}
		keys = append(keys, key)
	}
	return keys
}

// varArg returns element i of a variadic ...any argument built in place,
// unwrapped from its interface, or nil.
func varArg(args ssa.Value, i int) ssa.Value {
	v := sliceElem(args, i)
	if mi, ok := v.(*ssa.MakeInterface); ok {
		return mi.X
	}
	return v
}

// IsVerifierField reports whether a struct field holds a code verifier: a
// string or byte-slice field named like one (CodeVerifier, pkceVerifier)
// or tagged code_verifier. This is the one place a name decides; the type
// check keeps out verifier objects such as *oidc.IDTokenVerifier.
func IsVerifierField(f *types.Var, tag string) bool {
	if !IsStringLike(f.Type()) {
		return false
	}
	for _, name := range TagNames(tag) {
		if strings.EqualFold(name, ParamCodeVerifier) {
			return true
		}
	}
	return IsVerifierName(f.Name())
}

func structTag(t types.Type, i int) string {
	st, ok := deref(t).Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return ""
	}
	return st.Tag(i)
}

// FieldLoad returns the field a value is loaded from (x.f or (*p).f), or
// nil.
func FieldLoad(v ssa.Value) *types.Var {
	switch x := unconvert(v).(type) {
	case *ssa.Field:
		return fieldVar(x.X.Type(), x.Field)
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok {
			return fieldVar(fa.X.Type(), fa.Field)
		}
	}
	return nil
}

// EachWeakUse calls report for every sink of the given kinds whose value
// judge finds weak (judge returns what is wrong, or "" when nothing is).
// One weak value used at several sinks — a field and an option on the
// same line, or the same constant twice in a function — is one mistake:
// only its first use is reported. skip, when not nil, leaves sinks out.
func (f *Flow) EachWeakUse(kinds []SinkKind, skip func(Sink) bool, judge func(Origin) string, report func(Sink, Origin, string)) {
	type originKey struct {
		fn     *ssa.Function
		kind   Kind
		source string
		pos    token.Pos
	}
	reported := make(map[ssa.Value]bool)
	seen := make(map[originKey]bool)
	for _, sink := range f.Sinks {
		if !slices.Contains(kinds, sink.Kind) || reported[sink.Value] || skip != nil && skip(sink) {
			continue
		}
		origin := f.Origin(sink.Value)
		msg := judge(origin)
		if msg == "" {
			continue
		}
		key := originKey{sink.Fn, origin.Kind, origin.Source, origin.SourcePos}
		if seen[key] {
			continue
		}
		seen[key] = true
		reported[sink.Value] = true
		report(sink, origin, msg)
	}
}

// Related returns the source of a weak value as a related location, in
// the package being analysed or in another one (see atPos).
func (o Origin) Related(pass *analysis.Pass, what string) []analysis.RelatedInformation {
	pos := o.SourcePos
	if !pos.IsValid() {
		pos = o.atPos(pass)
	}
	if !pos.IsValid() {
		return nil
	}
	return []analysis.RelatedInformation{{Pos: pos, Message: what + ": " + o.Source}}
}
