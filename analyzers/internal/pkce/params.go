package pkce

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A ParamSet is a url.Values or string-keyed map a function builds: the
// query of a hand-built authorization URL or the form of a token request.
type ParamSet struct {
	Fn      *ssa.Function
	Value   ssa.Value // the map: a make/literal, or a (*url.URL).Query() result
	Entries []Entry
	// Open is set when keys may be added where this analysis cannot see
	// (the map is returned, stored, or handed to unknown code): then the
	// absence of a key proves nothing.
	Open bool
	// writes is set when anything is stored into the map, with a
	// constant key or not; dynamicKeys when a key is not a constant.
	writes, dynamicKeys bool
	// Options names the package's option type applied to the set, when
	// its options are a closed set none of which adds a challenge
	// (issue 20, item 3): the set is then complete.
	Options string

	closed func(*types.Func, int) bool
}

// Entry is one key set in a ParamSet.
type Entry struct {
	Key   string
	Value ssa.Value // the value (for url.Values literals, the first element)
	Pos   token.Pos // the call's Lparen or the key-value pair's colon
	Arg   int       // AST argument index of the value for calls; -1 otherwise
}

// Has reports whether key is set.
func (s *ParamSet) Has(key string) bool { return s.Get(key) != nil }

// Get returns the first entry for key, or nil.
func (s *ParamSet) Get(key string) *Entry {
	for i := range s.Entries {
		if s.Entries[i].Key == key {
			return &s.Entries[i]
		}
	}
	return nil
}

// ConstValue returns the entry's value when it is a string constant.
func (en *Entry) ConstValue() (string, bool) {
	if c, ok := en.Value.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.String {
		return constant.StringVal(c.Value), true
	}
	return "", false
}

// IsAuthorizationRequest reports whether the set is the query of an
// authorization-code request: response_type=code, or no response_type at
// all (some providers, GitHub among them, imply the code flow) with the
// parameters of an authorization request — client_id and redirect_uri,
// state or scope, and nothing of a token request.
func (s *ParamSet) IsAuthorizationRequest() bool {
	en := s.Get(ParamResponseType)
	if en == nil {
		return s.impliedAuthorization()
	}
	v, ok := en.ConstValue()
	return ok && IsCodeResponseType(v)
}

func (s *ParamSet) impliedAuthorization() bool {
	return !s.Has(ParamGrantType) && !s.Has(ParamCode) && !s.CarriesSecret() &&
		s.Has(ParamClientID) && s.Has(ParamRedirectURI) &&
		(s.Has(ParamState) || s.Has(ParamScope) && !deviceAuthorization(s.Fn)) &&
		!s.servedInProcess()
}

// CarriesSecret reports whether the request authenticates a confidential
// client: a key named for a secret (client_secret, and vendors' secret,
// app_secret, appsecret), a value loaded from a field, variable or
// parameter named for a secret (ClientSecret, AppSecret), or HTTP basic
// authentication ((*http.Request).SetBasicAuth) in the function that
// builds it. The key client_secret alone misses most providers' own
// token endpoints.
func (s *ParamSet) CarriesSecret() bool {
	for _, en := range s.Entries {
		if namesSecret(en.Key) || namesSecret(valueName(en.Value)) {
			return true
		}
	}
	if s.Fn == nil {
		return false
	}
	for _, b := range s.Fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(ssa.CallInstruction); ok && IsMethod(CalleeFunc(call.Common()), "net/http", "Request", "SetBasicAuth") {
				return true
			}
		}
	}
	return false
}

// namesSecret reports whether a key or identifier names a client secret:
// it has the word secret (client_secret, AppSecret, appsecret).
func namesSecret(name string) bool {
	return strings.Contains(strings.ToLower(name), "secret")
}

// valueName is the name of the field, global or parameter v is loaded
// from, or "".
func valueName(v ssa.Value) string {
	if fv := FieldLoad(v); fv != nil {
		return fv.Name()
	}
	switch x := unconvert(v).(type) {
	case *ssa.Parameter:
		return x.Name()
	case *ssa.UnOp:
		if g, ok := x.X.(*ssa.Global); ok {
			return g.Name()
		}
	}
	return ""
}

// deviceMarks are the strings of an RFC 8628 device authorization flow:
// its grant type and the fields of the device authorization response.
func deviceMarks() []string {
	return []string{"device_code", "user_code", "verification_uri", "device_authorization", "grant-type:device_code"}
}

// deviceAuthorization reports whether fn speaks of an RFC 8628 device
// authorization request, whose parameters (client_id, scope, a PKCE
// challenge, an optional redirect_uri) are those of an authorization
// request without response_type or state: x/oauth2's
// Endpoint.DeviceAuthURL, a string of the device grant or its response
// (device_code, user_code, verification_uri), or — the last resort, a
// name — a field, function, type or the function itself named for a
// device. A device request has no redirect and no state to check.
func deviceAuthorization(fn *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		if hasWord(fn.Name(), "device") {
			return true
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if deviceInstr(instr) {
					return true
				}
			}
		}
	}
	return false
}

func deviceInstr(instr ssa.Instruction) bool {
	switch instr := instr.(type) {
	case *ssa.FieldAddr:
		return hasWord(fieldName(instr.X.Type(), instr.Field), "device")
	case *ssa.Field:
		return hasWord(fieldName(instr.X.Type(), instr.Field), "device")
	case *ssa.Alloc:
		if ptr, ok := instr.Type().(*types.Pointer); ok {
			if named, ok := types.Unalias(ptr.Elem()).(*types.Named); ok && hasWord(named.Obj().Name(), "device") {
				return true
			}
		}
	case ssa.CallInstruction:
		if fn := CalleeFunc(instr.Common()); fn != nil && hasWord(fn.Name(), "device") {
			return true
		}
	}
	for _, op := range instr.Operands(nil) {
		if c, ok := (*op).(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.String {
			v := constant.StringVal(c.Value)
			for _, m := range deviceMarks() {
				if strings.Contains(v, m) {
					return true
				}
			}
		}
	}
	return false
}

// fieldName is the name of field i of the struct t points to (or is).
func fieldName(t types.Type, i int) string {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if st, ok := t.Underlying().(*types.Struct); ok && i < st.NumFields() {
		return st.Field(i).Name()
	}
	return ""
}

func hasWord(name, word string) bool {
	return slices.Contains(Words(name), word)
}

// IsCodeTokenRequest reports whether the set is the form of a token request
// that redeems an authorization code: grant_type=authorization_code, or no
// grant_type with a code and the client's credentials or redirect_uri.
// Refresh, device and client-credentials requests name their grant type
// or carry no code.
func (s *ParamSet) IsCodeTokenRequest() bool {
	en := s.Get(ParamGrantType)
	if en == nil {
		return s.impliedRedemption()
	}
	v, ok := en.ConstValue()
	return ok && v == "authorization_code"
}

func (s *ParamSet) impliedRedemption() bool {
	return !s.Has(ParamResponseType) && s.Has(ParamCode) &&
		(s.CarriesSecret() || s.Has(ParamClientID) && s.Has(ParamRedirectURI))
}

// Anchor returns the entry a finding about the whole request is reported
// at: response_type or grant_type, else client_id or code.
func (s *ParamSet) Anchor() *Entry {
	for _, k := range []string{ParamResponseType, ParamGrantType, ParamClientID, ParamCode} {
		if en := s.Get(k); en != nil {
			return en
		}
	}
	return &s.Entries[0]
}

// Describe says what makes the set the request it is, for messages.
func (s *ParamSet) Describe() string {
	switch {
	case s.Has(ParamResponseType):
		return "authorization request with response_type=code"
	case s.Has(ParamGrantType):
		return "token request with grant_type=authorization_code"
	case s.IsCodeTokenRequest():
		return "token request (a code and no grant_type)"
	}
	return "authorization request (client_id and redirect_uri, no response_type)"
}

// IsOAuth reports whether the set carries OAuth request parameters, so a
// "state" key in it is the OAuth state and not, say, a postal address.
func (s *ParamSet) IsOAuth() bool {
	for _, k := range []string{ParamResponseType, ParamClientID, ParamRedirectURI, ParamCodeChallenge, ParamGrantType} {
		if s.Has(k) {
			return true
		}
	}
	return false
}

// IsCodeResponseType reports whether a response_type value asks for an
// authorization code ("code", or hybrid flows such as "code id_token").
func IsCodeResponseType(v string) bool {
	for _, f := range splitFields(v) {
		if f == "code" {
			return true
		}
	}
	return false
}

func splitFields(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' || s[i] == '+' || s[i] == ',' {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}

// collectParamSets finds the parameter maps built in funcs. closed says
// whether a function of another package only reads or sends the map it
// receives as argument i (its call summary).
func collectParamSets(funcs []*ssa.Function, closed func(*types.Func, int) bool) []*ParamSet {
	var sets []*ParamSet
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				v, ok := instr.(ssa.Value)
				if !ok || !isParamMap(v) {
					continue
				}
				switch v := v.(type) {
				case *ssa.MakeMap:
				case *ssa.Call:
					callee := v.Common().StaticCallee()
					if callee == nil || callee.Name() != "Query" || callee.Pkg == nil || callee.Pkg.Pkg.Path() != URLPath {
						continue
					}
				default:
					continue
				}
				if set := paramSet(fn, v, closed); len(set.Entries) > 0 {
					sets = append(sets, set)
				}
			}
		}
	}
	return sets
}

// isParamMap reports whether v is a url.Values or a map from strings to
// strings, string slices or interfaces.
func isParamMap(v ssa.Value) bool {
	if IsValuesType(v.Type()) {
		return true
	}
	m, ok := v.Type().Underlying().(*types.Map)
	if !ok || !isString(m.Key()) {
		return false
	}
	switch el := m.Elem().Underlying().(type) {
	case *types.Basic:
		return el.Info()&types.IsString != 0
	case *types.Slice:
		return isString(el.Elem())
	case *types.Interface:
		return el.Empty()
	}
	return false
}

func paramSet(fn *ssa.Function, m ssa.Value, closed func(*types.Func, int) bool) *ParamSet {
	set := &ParamSet{Fn: fn, Value: m, closed: closed}
	set.scan(m, 0)
	return set
}

// maxFollow bounds how deep scan follows the map into helper functions.
const maxFollow = 3

// scan records the keys set on m and whether m escapes.
func (s *ParamSet) scan(m ssa.Value, depth int) {
	aliases := []ssa.Value{m}
	for i := 0; i < len(aliases); i++ {
		for _, ref := range *aliases[i].Referrers() {
			switch ref := ref.(type) {
			case *ssa.MapUpdate:
				if ref.Map != aliases[i] {
					s.Open = true
					continue
				}
				s.writes = true
				if key, ok := stringConst(ref.Key); ok {
					s.Entries = append(s.Entries, Entry{Key: key, Value: firstElem(ref.Value), Pos: ref.Pos(), Arg: -1})
				} else {
					s.dynamicKeys = true
				}
			case *ssa.Lookup, *ssa.Range, *ssa.DebugRef:
			case *ssa.ChangeType, *ssa.MakeInterface:
				// The same map under another type: follow it.
				aliases = append(aliases, ref.(ssa.Value))
			case ssa.CallInstruction:
				if !s.readOrSet(ref.Common(), aliases[i], ref.Pos()) && !s.follow(ref.Common(), aliases[i], depth) {
					s.Open = true
				}
			default:
				// Stored, returned, converted, merged by a phi:
				// others may add keys.
				s.Open = true
			}
		}
	}
}

// follow scans a helper of the same package that receives the map, so
// that a.post(ctx, url, form) does not hide what post does with form.
func (s *ParamSet) follow(c *ssa.CallCommon, m ssa.Value, depth int) bool {
	fn := c.StaticCallee()
	if fn == nil || depth >= maxFollow || len(fn.Blocks) == 0 || fn.Pkg == nil || s.Fn.Pkg == nil || fn.Pkg != s.Fn.Pkg {
		return false
	}
	args := c.Args
	for i, a := range args {
		if a == m && i < len(fn.Params) {
			s.scan(fn.Params[i], depth+1)
		}
	}
	return true
}

// readOrSet records a Set or Add call and reports whether the call only
// sets or reads the map (as opposed to handing it to code that may add
// keys).
func (s *ParamSet) readOrSet(c *ssa.CallCommon, m ssa.Value, pos token.Pos) bool {
	fn := c.StaticCallee()
	if fn == nil {
		if b, ok := c.Value.(*ssa.Builtin); ok {
			return b.Name() == "len"
		}
		if s.closedOption(c, m) {
			return true
		}
		// An interface with *http.Client's PostForm(url, form), as
		// libraries declare to let tests swap the client: it sends
		// the form. (A name test, the one place this file has one.)
		return c.IsInvoke() && c.Method.Name() == "PostForm" && len(c.Args) == 2 && c.Args[1] == m
	}
	if fn.Pkg != nil && fn.Pkg.Pkg.Path() == URLPath && len(c.Args) > 0 && c.Args[0] == m {
		switch fn.Name() {
		case "Set", "Add":
			s.writes = true
			if key, ok := stringConst(c.Args[1]); ok {
				s.Entries = append(s.Entries, Entry{Key: key, Value: c.Args[2], Pos: pos, Arg: 1})
			} else {
				s.dynamicKeys = true
			}
			return true
		case "Get", "Has", "Del", "Encode":
			return true
		}
	}
	if s.closed != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() != URLPath {
		// A function of another package whose summary says it only
		// reads or sends the map.
		if obj := CalleeFunc(c); obj != nil && (s.Fn.Pkg == nil || fn.Pkg != s.Fn.Pkg) {
			for i, a := range c.Args {
				if a == m && s.closed(obj, i) {
					return true
				}
			}
		}
	}
	if fn.Pkg != nil {
		switch fn.Pkg.Pkg.Path() {
		case "net/http":
			// http.PostForm and (*http.Client).PostForm send the form.
			return fn.Name() == "PostForm"
		case "fmt", "encoding/json", "log", "log/slog":
			return true
		}
	}
	return false
}

func stringConst(v ssa.Value) (string, bool) {
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(c.Value), true
}

// firstElem unwraps the []string{v} of a url.Values literal to v.
func firstElem(v ssa.Value) ssa.Value {
	if e := sliceElem(v, 0); e != nil {
		return e
	}
	return v
}

// sliceElem returns what is stored into element i of a slice built in
// place (a literal, or the array SSA makes for a variadic call), or nil.
func sliceElem(v ssa.Value, i int) ssa.Value {
	s, ok := v.(*ssa.Slice)
	if !ok {
		return nil
	}
	a, ok := s.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	for _, ref := range *a.Referrers() {
		ia, ok := ref.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		if c, ok := ia.Index.(*ssa.Const); !ok || c.Int64() != int64(i) {
			continue
		}
		for _, r2 := range *ia.Referrers() {
			if st, ok := r2.(*ssa.Store); ok && st.Addr == ia {
				return st.Val
			}
		}
	}
	return nil
}

// closedOption reports whether c calls a functional option of this
// package on the map (for _, o := range opts { o(v) }) whose option set is
// closed and adds no challenge: every function of the package with the
// option type's signature sets only constant keys, none of them
// code_challenge. One option that sets arbitrary parameters
// (WithParam(k, v)) keeps the set open: a caller may add the challenge.
func (s *ParamSet) closedOption(c *ssa.CallCommon, m ssa.Value) bool {
	if c.IsInvoke() || s.Fn == nil || s.Fn.Pkg == nil {
		return false
	}
	named, ok := types.Unalias(c.Value.Type()).(*types.Named)
	if !ok || named.Obj().Pkg() != s.Fn.Pkg.Pkg {
		return false
	}
	sig, ok := named.Underlying().(*types.Signature)
	if !ok {
		return false
	}
	arg := -1
	for i, a := range c.Args {
		if a == m {
			arg = i
		}
	}
	if arg < 0 {
		return false
	}
	options := 0
	for _, fn := range packageFuncs(s.Fn.Pkg) {
		if fn.Signature.Recv() != nil || !types.Identical(fn.Signature, sig) || arg >= len(fn.Params) {
			continue
		}
		opt := &ParamSet{Fn: fn, Value: fn.Params[arg], closed: s.closed}
		opt.scan(fn.Params[arg], maxFollow-1)
		if opt.Open || opt.dynamicKeys || opt.Has(ParamCodeChallenge) {
			return false
		}
		options++
	}
	if options == 0 {
		return false
	}
	s.Options = named.Obj().Name()
	return true
}

// packageFuncs returns the package's functions and methods, with the
// function literals nested in them.
func packageFuncs(pkg *ssa.Package) []*ssa.Function {
	var out []*ssa.Function
	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		out = append(out, fn)
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	for _, mem := range pkg.Members {
		if fn, ok := mem.(*ssa.Function); ok {
			add(fn)
		}
	}
	return out
}
