package missingchallenge

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
	"github.com/pkcevet/pkcevet/rules"
)

var rule = rules.MustGet("PKCE001")

// Analyzer reports authorization requests without code_challenge, token
// requests without code_verifier, and servers that make PKCE optional.
var Analyzer = &analysis.Analyzer{
	Name:      rule.Analyzer,
	Doc:       rule.Doc(),
	URL:       rule.URL(),
	Requires:  []*analysis.Analyzer{pkce.Analyzer, inspect.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(optInConstructor), new(pkceGate)},
}

// The shared policy: generated and _test.go files, //pkcevet:ignore.
// flagConfidential turns on the report of code redemptions by confidential
// clients whose authorization request is not in the package.
const flagConfidential = "confidential"

func init() {
	Analyzer.Flags.Bool(flagConfidential, false, "also report code redemptions by confidential clients (client_secret sent) whose authorization request is not built in the same package")
	pkce.UsePolicy(Analyzer)
}

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[pkce.Analyzer].(*pkce.Flow)
	ex := newExemption(pass, flow)
	ff := flowFindings{fset: pass.Fset}
	checkConfigCalls(pass, flow, ex, &ff)
	checkParamSets(pass, flow, ex, &ff)
	checkQueryTexts(pass, flow, &ff)
	ff.report(pass, ex)
	checkCodeIssuers(pass, flow)
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	checkServers(pass, insp)
	checkOptIn(pass, insp)
	return nil, nil
}

// checkConfigCalls reports AuthCodeURL without a challenge (or with the
// verifier) and Exchange without the verifier.
func checkConfigCalls(pass *analysis.Pass, flow *pkce.Flow, ex *exemption, ff *flowFindings) {
	for _, call := range flow.ConfigCalls("AuthCodeURL", "Exchange") {
		// A wrapper that forwards its caller's options leaves the
		// choice to each caller: its callers are judged instead. A
		// function that chooses its options itself was judged inside.
		if call.Open || call.Decided {
			continue
		}
		what := call.Method
		if call.Via != "" {
			what = fmt.Sprintf("%s (which calls %s)", call.Via, call.Method)
		}
		switch call.Method {
		case "AuthCodeURL":
			// VerifierOption here is one mistake, reported once: its
			// message says that no challenge goes out either.
			leaked := false
			for _, opt := range call.Options {
				if opt.Kind != pkce.OptVerifier {
					continue
				}
				leaked = true
				msg := fmt.Sprintf("oauth2.VerifierOption passed to %s sends the code verifier on the front channel and no code_challenge; pass oauth2.S256ChallengeOption(verifier) here and VerifierOption(verifier) to Exchange", what)
				if c, ok := opt.Range.(*ast.CallExpr); ok {
					if _, direct := pkce.CallTo(pass.TypesInfo, c, pkce.OAuth2Path, "VerifierOption"); !direct {
						// A helper that returns it on some path (dex's
						// getAuthCodeOptionForCodeChallenge for plain).
						msg = fmt.Sprintf("the option of %s can be oauth2.VerifierOption, which %s sends as code_verifier on the front channel, with no code_challenge; return oauth2.S256ChallengeOption(verifier) there and pass VerifierOption(verifier) to Exchange", types.ExprString(c.Fun), what)
					}
				}
				pkce.ReportFix(pass, opt.Range, rule.ID, msg, fixVerifierOption(pass, opt, call.HasParam(pkce.ParamCodeChallenge)))
			}
			if call.HasParam(pkce.ParamCodeChallenge) {
				ff.protect(configKey(call), call.Fn, call.Call.Pos())
			}
			if !leaked && !call.HasParam(pkce.ParamCodeChallenge) {
				ff.auth = append(ff.auth, finding{rng: call.Range, pos: call.Call.Pos(), client: configKey(call), fn: call.Fn,
					msg: fmt.Sprintf("%s builds an authorization request without code_challenge; pass oauth2.S256ChallengeOption(verifier) with a verifier from oauth2.GenerateVerifier()", what)})
			}
		case "Exchange":
			// SetAuthURLParam("grant_type", …) turns Exchange into
			// another grant (JWT bearer, token exchange) with no code.
			// A confidential client (the package gives its
			// oauth2.Config a ClientSecret) that does not build the
			// authorization request made no visible choice here.
			if ex.confidentialClient() && ex.requestElsewhere() {
				continue
			}
			if !call.HasParam(pkce.ParamCodeVerifier) && !call.HasParam(pkce.ParamGrantType) && !emptyCode(call) {
				ff.redeem = append(ff.redeem, finding{rng: call.Range, pos: call.Call.Pos(), client: configKey(call), fn: call.Fn,
					msg: fmt.Sprintf("%s redeems the authorization code without code_verifier; pass oauth2.VerifierOption(verifier) with the verifier whose challenge went into AuthCodeURL", what)})
			}
		}
	}
}

// checkParamSets reports hand-built requests, in url.Values or maps.
func checkParamSets(pass *analysis.Pass, flow *pkce.Flow, ex *exemption, ff *flowFindings) {
	for _, set := range flow.ParamSets {
		if set.Open {
			continue
		}
		if set.IsAuthorizationRequest() && set.Has(pkce.ParamCodeChallenge) {
			ff.protect(nil, set.Fn, set.Anchor().Pos)
		}
		switch {
		case set.IsAuthorizationRequest() && set.Has(pkce.ParamCodeChallenge):
			reportOffByDefault(pass, flow.ExprRange(set.Anchor().Pos, -1), set.Describe(), pkce.ParamCodeChallenge, set.Get(pkce.ParamCodeChallenge).Pos)
		case set.IsCodeTokenRequest() && set.Has(pkce.ParamCodeVerifier):
			reportOffByDefault(pass, flow.ExprRange(set.Anchor().Pos, -1), set.Describe(), pkce.ParamCodeVerifier, set.Get(pkce.ParamCodeVerifier).Pos)
		case set.IsAuthorizationRequest() && !set.Has(pkce.ParamCodeChallenge):
			en := set.Anchor()
			msg := set.Describe() + " has no code_challenge; add code_challenge=BASE64URL(SHA256(verifier)) and code_challenge_method=S256"
			if set.Options != "" {
				msg = fmt.Sprintf("%s has no code_challenge, and no %s of the package can add one, so no caller can use PKCE; add an option that sets code_challenge=BASE64URL(SHA256(verifier)) with code_challenge_method=S256", set.Describe(), set.Options)
			}
			ff.auth = append(ff.auth, finding{rng: flow.ExprRange(en.Pos, -1), pos: en.Pos, fn: set.Fn, msg: msg})
		case set.IsCodeTokenRequest() && !set.Has(pkce.ParamCodeVerifier):
			// A confidential client redeeming a code for a provider
			// that offers no PKCE (the authorization URL built
			// elsewhere, often in a frontend) made no visible choice
			// here: the missing challenge is reported where the
			// authorization request is built, when it is.
			if set.CarriesSecret() && ex.requestElsewhere() {
				continue
			}
			en := set.Anchor()
			ff.redeem = append(ff.redeem, finding{rng: flow.ExprRange(en.Pos, -1), pos: en.Pos, fn: set.Fn, secret: set.CarriesSecret(),
				msg: set.Describe() + " has no code_verifier; send the verifier whose challenge went into the authorization request"})
		}
	}
}

// emptyCode reports whether a direct Exchange call passes the constant ""
// as the code: a workload-identity or JWT exchange that borrows Exchange,
// not the redemption of an authorization code.
func emptyCode(call *pkce.ConfigCall) bool {
	args := call.Call.Common().Args
	if call.Via != "" || len(args) < 3 {
		return false
	}
	c, ok := args[2].(*ssa.Const)
	return ok && c.Value != nil && c.Value.Kind() == constant.String && constant.StringVal(c.Value) == ""
}

// reportOffByDefault reports a request that sends its PKCE parameter only
// under a boolean setting that nothing in the package turns on:
// `if h.config.PKCEEnabled { data.Set("code_verifier", v) }` with
// PKCEEnabled false unless every user remembers to set it.
func reportOffByDefault(pass *analysis.Pass, at analysis.Range, what, param string, pos token.Pos) {
	gate, field := settingGate(pass, pos)
	if gate == nil || setsTrue(pass, field) {
		return
	}
	pkce.Report(pass, at, rule.ID, fmt.Sprintf("%s sends %s only when %s is set, and nothing in this package turns it on: PKCE is off by default; send it always (OAuth 2.1 and the MCP authorization spec require PKCE)", what, param, types.ExprString(gate)))
}

// settingGate returns the boolean struct field that an if statement around
// pos tests as a positive conjunct (cfg.PKCEEnabled, o.usePKCE), if any.
func settingGate(pass *analysis.Pass, pos token.Pos) (ast.Expr, *types.Var) {
	for _, file := range pass.Files {
		if pos < file.Pos() || pos >= file.End() {
			continue
		}
		path, _ := pkce.EnclosingPath(file, pos, pos)
		for i, n := range path {
			ifs, ok := n.(*ast.IfStmt)
			if !ok || i == 0 || path[i-1] != ifs.Body {
				continue
			}
			for _, c := range pkce.Conjuncts(ifs.Cond) {
				sel, ok := astutil.Unparen(c).(*ast.SelectorExpr)
				if !ok {
					continue
				}
				if v, ok := pass.TypesInfo.Uses[sel.Sel].(*types.Var); ok && v.IsField() && pkce.IsGate(pass.TypesInfo, sel) {
					return sel, v
				}
			}
		}
	}
	return nil, nil
}

// setsTrue reports whether the package anywhere sets the field to true (a
// constructor's default, an option function).
func setsTrue(pass *analysis.Pass, field *types.Var) bool {
	return setsField(pass, func(v *types.Var) bool { return v == field }, func(e ast.Expr) bool {
		tv := pass.TypesInfo.Types[e]
		return tv.Value == nil || tv.Value.String() == "true" // a non-constant value may be true
	})
}

// setsClientSecret reports whether the package gives an oauth2.Config a
// non-empty ClientSecret.
func setsClientSecret(pass *analysis.Pass) bool {
	isSecret := func(v *types.Var) bool {
		return v.Name() == "ClientSecret" && v.Pkg() != nil && v.Pkg().Path() == pkce.OAuth2Path
	}
	return setsField(pass, isSecret, func(e ast.Expr) bool {
		s, ok := pkce.StringConst(pass.TypesInfo, e)
		return !ok || s != ""
	})
}

// setsField reports whether a non-test file of the package stores into a
// field that match accepts, in a composite literal or an assignment, a
// value that value accepts. Tests that set a field say nothing of what the
// code itself does.
func setsField(pass *analysis.Pass, match func(*types.Var) bool, value func(ast.Expr) bool) bool {
	field := func(id *ast.Ident) bool {
		v, ok := pass.TypesInfo.ObjectOf(id).(*types.Var)
		return ok && v.IsField() && match(v)
	}
	found := false
	for _, file := range pass.Files {
		if pkce.InTestFile(pass.Fset, file.FileStart) {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && field(id) && value(n.Value) {
					found = true
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && field(sel.Sel) && i < len(n.Rhs) && value(n.Rhs[i]) {
						found = true
					}
				}
			}
			return !found
		})
	}
	return found
}

// exemption decides, once per package, whether a confidential client's
// code redemption is left to where its authorization request is built:
// each answer walks the whole package, and a package may redeem codes in
// many places.
type exemption struct {
	requestElsewhere   func() bool // no authorization request here, and -confidential is off
	confidentialClient func() bool // an oauth2.Config here has a ClientSecret
}

func newExemption(pass *analysis.Pass, flow *pkce.Flow) *exemption {
	return &exemption{
		requestElsewhere: sync.OnceValue(func() bool {
			return !pkce.FlagSet(pass.Analyzer, flagConfidential) && !buildsAuthRequest(pass, flow)
		}),
		confidentialClient: sync.OnceValue(func() bool { return setsClientSecret(pass) }),
	}
}

// buildsAuthRequest reports whether the package builds an authorization
// request: an AuthCodeURL call (direct or wrapped), a parameter set or a
// URL text with response_type=code, in a file that is not a test's. A
// test that builds one says nothing of what the code itself does (and
// with -test would change what is reported about it).
func buildsAuthRequest(pass *analysis.Pass, flow *pkce.Flow) bool {
	inTest := func(pos token.Pos) bool { return pkce.InTestFile(pass.Fset, pos) }
	for _, call := range flow.ConfigCalls("AuthCodeURL") {
		if !inTest(call.Call.Pos()) {
			return true
		}
	}
	for _, set := range flow.ParamSets {
		if set.IsAuthorizationRequest() && !inTest(set.Anchor().Pos) {
			return true
		}
	}
	for _, file := range pass.Files {
		if inTest(file.FileStart) {
			continue
		}
		for _, q := range flow.QueryTexts(file, pkce.ParamResponseType) {
			if rt, ok := q.Params()[pkce.ParamResponseType]; ok && pkce.IsCodeResponseType(rt) {
				return true
			}
		}
	}
	return false
}

// checkQueryTexts reports authorization URLs written out as strings.
func checkQueryTexts(pass *analysis.Pass, flow *pkce.Flow, ff *flowFindings) {
	for _, file := range pass.Files {
		for _, q := range flow.QueryTexts(file, pkce.ParamResponseType) {
			params := q.Params()
			rt, ok := params[pkce.ParamResponseType]
			if !ok || !pkce.IsCodeResponseType(rt) || q.Has(pkce.ParamCodeChallenge) {
				continue
			}
			// The challenge may be appended by a later statement:
			// stay quiet if the function mentions it anywhere.
			path, _ := pkce.EnclosingPath(file, q.Expr.Pos(), q.Expr.End())
			if fn := pkce.EnclosingFunc(path); fn != nil && pkce.Mentions(pass.TypesInfo, fn, pkce.ParamCodeChallenge, "") {
				continue
			}
			ff.auth = append(ff.auth, finding{rng: q.Expr, pos: q.Expr.Pos(),
				msg: "authorization URL with response_type=code has no code_challenge; add code_challenge=BASE64URL(SHA256(verifier))&code_challenge_method=S256"})
		}
	}
}

// checkServers reports `if challenge != "" { ... }` with no rejection of
// the empty case: the server verifies PKCE when the client offers it and
// lets the flow go on without it otherwise.
func checkServers(pass *analysis.Pass, insp *inspector.Inspector) {
	info := pass.TypesInfo
	for cur := range insp.Root().Preorder((*ast.SwitchStmt)(nil)) {
		sw := cur.Node().(*ast.SwitchStmt)
		checkMethodSwitch(pass, sw)
		if fn := enclosingFunc(cur); fn != nil && sw.Tag == nil {
			for _, st := range sw.Body.List {
				cc := st.(*ast.CaseClause)
				for _, e := range cc.List {
					checkGuardedRejection(pass, fn, e, cc.Body)
				}
			}
		}
	}
	for cur := range insp.Root().Preorder((*ast.IfStmt)(nil)) {
		ifs := cur.Node().(*ast.IfStmt)
		fn := enclosingFunc(cur)
		if fn == nil {
			continue
		}
		checkGuardedRejection(pass, fn, ifs.Cond, ifs.Body.List)
		if test, verifier, ok := verifierPresence(info, ifs); ok {
			// if public || verifier != "" { verify } — a client that
			// leaves out code_verifier skips the check.
			if !rejectsEmptyElsewhere(info, fn, verifier) {
				pkce.Report(pass, test, rule.ID, "PKCE is verified only when the token request carries a code_verifier; a client that leaves it out skips the check (a downgrade): require the verifier whenever the authorization request had a code_challenge")
			}
			continue
		}
		if challenge, ok := presenceTest(info, ifs.Cond); ok {
			// if challenge != "" { verify } — and nothing when absent.
			if (ifs.Else == nil || !pkce.Rejects(info, ifs.Else)) &&
				serverSide(info, fn, challenge, ifs) && !rejectsEmptyElsewhere(info, fn, challenge) {
				pkce.Report(pass, ifs.Cond, rule.ID, "the code flow proceeds when the request has no code_challenge; reject authorization requests without code_challenge (OAuth 2.1 requires PKCE)")
			}
			continue
		}
		checkAbsenceTest(pass, fn, ifs)
		checkPublicOnly(pass, cur, fn, ifs)
	}
}

// checkPublicOnly reports a server that requires code_challenge only from
// public clients:
//
//	if client.AuthMethod() == oidc.AuthMethodNone {
//		if codeChallenge == nil { return ErrInvalidRequest("PKCE required") }
//	}
//
// A confidential client's code flow then proceeds without PKCE, and its
// codes can be injected (OAuth 2.1 requires PKCE from every client).
func checkPublicOnly(pass *analysis.Pass, cur inspector.Cursor, fn ast.Node, ifs *ast.IfStmt) {
	info := pass.TypesInfo
	var challenge ast.Expr
	for _, op := range pkce.Conjuncts(ifs.Cond) {
		if x, ok := absenceTest(info, fn, op); ok {
			challenge = x
		}
	}
	if challenge == nil || !pkce.Rejects(info, ifs.Body) {
		return
	}
	for c := range cur.Parent().Enclosing((*ast.IfStmt)(nil), (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		outer, ok := c.Node().(*ast.IfStmt)
		if !ok {
			return
		}
		if ifs.Pos() < outer.Body.Pos() || ifs.End() > outer.Body.End() {
			continue
		}
		who, ok := publicClientTest(info, outer.Cond)
		if !ok {
			continue
		}
		if rejectsEmptyBefore(info, fn, challenge, outer.Pos()) {
			return // every client was already refused without one
		}
		pkce.Report(pass, outer.Cond, rule.ID, fmt.Sprintf("code_challenge is required only when %s (%s); a confidential client's code flow proceeds without PKCE and its codes can be injected: require code_challenge from every client (OAuth 2.1)", types.ExprString(outer.Cond), who))
		return
	}
}

// publicClientTest reports whether cond tells a public client from a
// confidential one: client authentication method "none"
// (oidc.AuthMethodNone), a public flag or method (c.IsPublic()), an
// empty client secret, or a client secret that does not match (casdoor's
// `application.ClientSecret != clientSecret`: a client that authenticates
// goes on without the nested check). who says which clients pass it.
func publicClientTest(info *types.Info, cond ast.Expr) (who string, found bool) {
	who = "public clients"
	ast.Inspect(cond, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if n.Name == "AuthMethodNone" {
				found = true
			}
			for _, w := range pkce.Words(n.Name) {
				if w == "public" {
					found = true
				}
			}
		case *ast.BinaryExpr:
			if n.Op == token.EQL && (isEmptyString(info, n.Y) && pkce.Mentions(info, n.X, "", "secret") || isEmptyString(info, n.X) && pkce.Mentions(info, n.Y, "", "secret")) {
				found = true
			}
			if n.Op == token.NEQ && pkce.Mentions(info, n.X, "", "secret") && pkce.Mentions(info, n.Y, "", "secret") {
				found, who = true, "clients that fail the secret check"
			}
		}
		return !found
	})
	return who, found
}

// enclosingFunc returns the innermost function declaration or literal
// around cur, or nil.
func enclosingFunc(cur inspector.Cursor) ast.Node {
	for c := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return c.Node()
	}
	return nil
}

// checkMethodSwitch reports a verification that passes when nothing was
// stored: switch storedMethod { case "S256": …; case "": return true }.
// A code whose authorization request carried no challenge is then
// redeemed with no verifier at all.
func checkMethodSwitch(pass *analysis.Pass, sw *ast.SwitchStmt) {
	info := pass.TypesInfo
	if sw.Tag == nil || !pkce.IsStringLike(info.TypeOf(sw.Tag)) {
		return
	}
	// A case "S256" makes the switch one over a challenge method,
	// whatever the tag is called.
	hasS256 := false
	var empty *ast.CaseClause
	for _, st := range sw.Body.List {
		cc := st.(*ast.CaseClause)
		for _, e := range cc.List {
			if v, ok := pkce.StringConst(info, e); ok {
				switch {
				case v == pkce.MethodS256:
					hasS256 = true
				case v == "":
					empty = cc
				}
			}
		}
	}
	if !hasS256 || empty == nil || pkce.Rejects(info, &ast.BlockStmt{List: empty.Body}) || len(empty.Body) == 0 {
		return
	}
	// The empty case passes the check: it returns true or a nil error.
	ret, ok := empty.Body[len(empty.Body)-1].(*ast.ReturnStmt)
	if !ok || len(ret.Results) == 0 {
		return
	}
	for _, r := range ret.Results {
		if id, ok := astutil.Unparen(r).(*ast.Ident); !ok || id.Name != "true" && id.Name != "nil" {
			return
		}
	}
	pkce.Report(pass, empty, rule.ID, "the PKCE check passes when no code_challenge was stored, so a code whose authorization request had no challenge is redeemed without a verifier; reject authorization requests without code_challenge, and treat a missing stored challenge as a failure")
}

// checkAbsenceTest handles conditions that test for a missing challenge:
// `if challenge == "" { return nil }` skips PKCE for requests without one,
// and `if challenge == "" && cfg.ForcePKCE { reject }` requires it only
// when an operator turns that on.
func checkAbsenceTest(pass *analysis.Pass, fn ast.Node, ifs *ast.IfStmt) {
	info := pass.TypesInfo
	var challenge, gate, offGate ast.Expr
	for _, op := range pkce.Conjuncts(ifs.Cond) {
		if x, ok := absenceTest(info, fn, op); ok && challenge == nil {
			challenge = x
		} else if pkce.IsGate(info, op) {
			if u, neg := astutil.Unparen(op).(*ast.UnaryExpr); !neg || u.Op != token.NOT {
				gate = op
			} else {
				offGate = u.X // the library's own switch: !cfg.EnforcePKCE
			}
		}
	}
	// if challenge == "" || method == "" { return true }: any disjunct
	// that finds the challenge absent skips the check.
	if challenge == nil && !pkce.Rejects(info, ifs.Body) {
		for _, op := range pkce.Disjuncts(ifs.Cond) {
			if x, ok := absenceTest(info, fn, op); ok {
				challenge = x
				break
			}
		}
	}
	// A function that handles both a challenge and a verifier is a
	// server verifying PKCE.
	if challenge == nil || !serverSide(info, fn, challenge, ifs) && !pkce.Mentions(info, fn, pkce.ParamCodeVerifier, "verifier") {
		return
	}
	rejects := pkce.Rejects(info, ifs.Body)
	switch {
	case gate != nil && rejects:
		pkce.Report(pass, gate, rule.ID, fmt.Sprintf("code_challenge is required only when %s is set; by default the code flow proceeds without PKCE: require code_challenge always (OAuth 2.1)", types.ExprString(gate)))
	case !rejects && pkce.ReturnsEarly(ifs.Body) && !rejectsEmptyBefore(info, fn, challenge, ifs.Pos()) && offGate != nil:
		pkce.Report(pass, ifs.Cond, rule.ID, fmt.Sprintf("PKCE is skipped when the request has no code_challenge unless %s is set; make that setting the default, or reject code flows without code_challenge (OAuth 2.1 requires PKCE)", types.ExprString(offGate)))
	case !rejects && pkce.ReturnsEarly(ifs.Body) && !rejectsEmptyBefore(info, fn, challenge, ifs.Pos()):
		pkce.Report(pass, ifs.Cond, rule.ID, "PKCE is skipped when the request has no code_challenge; reject code flows without code_challenge (OAuth 2.1 requires PKCE)")
	}
}

// absenceTest matches `x == ""`, `len(x) == 0` and `n == 0` where n is
// len(x), for a challenge x, and returns x.
func absenceTest(info *types.Info, fn ast.Node, e ast.Expr) (ast.Expr, bool) {
	b, ok := astutil.Unparen(e).(*ast.BinaryExpr)
	if !ok || b.Op != token.EQL {
		return nil, false
	}
	x, y := b.X, b.Y
	if isZero(info, x) || isEmptyString(info, x) || info.Types[x].IsNil() {
		x, y = y, x
	}
	if info.Types[y].IsNil() {
		// codeChallenge == nil, for a *CodeChallenge named as one or
		// returned by a getter named as one.
		if isChallengeObject(info, fn, x) {
			return x, true
		}
		return nil, false
	}
	if !isZero(info, y) && !isEmptyString(info, y) {
		return nil, false
	}
	if call, ok := astutil.Unparen(x).(*ast.CallExpr); ok && isBuiltinLen(info, call) {
		x = call.Args[0]
	} else if id, ok := astutil.Unparen(x).(*ast.Ident); ok && isZero(info, y) {
		if arg := lenOf(info, fn, id); arg != nil {
			x = arg
		}
	}
	if isChallenge(info, fn, x) {
		return x, true
	}
	return nil, false
}

// isChallenge reports whether x holds a code challenge: a read of the
// code_challenge parameter, a string named as a challenge, or a variable
// assigned one of those or a challenge getter (ti.GetCodeChallenge()).
func isChallenge(info *types.Info, fn ast.Node, x ast.Expr) bool {
	if pkce.ReadsParam(info, x, pkce.ParamCodeChallenge) {
		return true
	}
	if pkce.IsChallengeName(pkce.ExprName(x)) && pkce.IsStringLike(info.TypeOf(x)) {
		return true
	}
	id, ok := astutil.Unparen(x).(*ast.Ident)
	if !ok {
		return false
	}
	rhs := pkce.AssignedValue(info, fn, id)
	if rhs == nil {
		return false
	}
	if call, ok := astutil.Unparen(rhs).(*ast.CallExpr); ok && pkce.IsStringLike(info.TypeOf(rhs)) {
		return pkce.ReadsParam(info, call, pkce.ParamCodeChallenge) || pkce.IsChallengeName(pkce.ExprName(call.Fun))
	}
	return false
}

// isChallengeObject reports whether x, of any type, is named as a code
// challenge or assigned from a call named as one (GetCodeChallenge()).
func isChallengeObject(info *types.Info, fn ast.Node, x ast.Expr) bool {
	if pkce.IsChallengeName(pkce.ExprName(x)) {
		return true
	}
	id, ok := astutil.Unparen(x).(*ast.Ident)
	if !ok {
		return false
	}
	call, ok := astutil.Unparen(pkce.AssignedValue(info, fn, id)).(*ast.CallExpr)
	return ok && pkce.IsChallengeName(strings.TrimPrefix(pkce.ExprName(call.Fun), "Get"))
}

// lenOf returns x when id is assigned len(x) in fn.
func lenOf(info *types.Info, fn ast.Node, id *ast.Ident) ast.Expr {
	if call, ok := astutil.Unparen(pkce.AssignedValue(info, fn, id)).(*ast.CallExpr); ok && isBuiltinLen(info, call) {
		return call.Args[0]
	}
	return nil
}

// verifierPresence matches a condition with a disjunct `verifier != ""`
// (or len(verifier) > 0) whose branch checks the verifier against a
// challenge, and returns the test and the verifier expression.
func verifierPresence(info *types.Info, ifs *ast.IfStmt) (test, verifier ast.Expr, ok bool) {
	if !pkce.Mentions(info, ifs.Body, pkce.ParamCodeChallenge, "challenge") {
		return nil, nil, false
	}
	for _, d := range pkce.Disjuncts(ifs.Cond) {
		if x, ok := verifierPresent(info, d); ok {
			return d, x, true
		}
	}
	return nil, nil, false
}

// presenceTest matches `x != ""`, `"" != x`, `len(x) > 0` and `len(x) != 0`
// where x is a code challenge, and returns x.
func presenceTest(info *types.Info, cond ast.Expr) (ast.Expr, bool) {
	b, ok := astutil.Unparen(cond).(*ast.BinaryExpr)
	if !ok {
		return nil, false
	}
	x, y := b.X, b.Y
	if isZero(info, x) {
		x, y = y, x
	}
	if call, ok := astutil.Unparen(x).(*ast.CallExpr); ok && isBuiltinLen(info, call) {
		if b.Op != token.NEQ && b.Op != token.GTR {
			return nil, false
		}
		x = call.Args[0]
	} else if b.Op != token.NEQ || !isEmptyString(info, y) {
		return nil, false
	}
	if !isZero(info, y) && !isEmptyString(info, y) {
		return nil, false
	}
	if pkce.ReadsParam(info, x, pkce.ParamCodeChallenge) || pkce.IsChallengeName(pkce.ExprName(x)) && pkce.IsStringLike(info.TypeOf(x)) {
		return x, true
	}
	return nil, false
}

// serverSide tells a server's optional check from a client's optional
// challenge: the challenge is read from a request, or the branch verifies
// a verifier against it.
func serverSide(info *types.Info, fn ast.Node, challenge ast.Expr, ifs *ast.IfStmt) bool {
	if pkce.ReadsParam(info, challenge, pkce.ParamCodeChallenge) {
		return true
	}
	if id, ok := astutil.Unparen(challenge).(*ast.Ident); ok && (assignedFromRequest(info, fn, id) || isChallenge(info, fn, id) && !pkce.IsChallengeName(id.Name)) {
		return true
	}
	// A branch that makes or sends PKCE options is a client's (dex's
	// `if c.pkceChallenge != "" { v := oauth2.GenerateVerifier() … }`,
	// the connector's setting, not a request): its default-off PKCE is
	// checkOptIn's to judge.
	return pkce.Mentions(info, ifs.Body, pkce.ParamCodeVerifier, "verifier") && !pkce.CallsOAuth2(info, ifs.Body.List, "GenerateVerifier", "S256ChallengeOption", "VerifierOption")
}

// assignedFromRequest reports whether the identifier is assigned a read of
// the code_challenge request parameter in fn.
func assignedFromRequest(info *types.Info, fn ast.Node, id *ast.Ident) bool {
	obj := info.ObjectOf(id)
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found {
			return !found
		}
		for i, lhs := range as.Lhs {
			if l, ok := lhs.(*ast.Ident); ok && info.ObjectOf(l) == obj && i < len(as.Rhs) &&
				pkce.ReadsParam(info, as.Rhs[i], pkce.ParamCodeChallenge) {
				found = true
			}
		}
		return true
	})
	return found
}

// rejectsEmptyElsewhere reports whether fn also has `if x == "" { reject }`
// for the same challenge expression, which makes the presence test a mere
// refinement.
func rejectsEmptyElsewhere(info *types.Info, fn ast.Node, challenge ast.Expr) bool {
	return rejectsEmptyBefore(info, fn, challenge, token.NoPos)
}

// rejectsEmptyBefore is rejectsEmptyElsewhere for rejections that come
// before pos (anywhere when pos is NoPos).
func rejectsEmptyBefore(info *types.Info, fn ast.Node, challenge ast.Expr, pos token.Pos) bool {
	want := types.ExprString(challenge)
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if found || n == nil || pos.IsValid() && n.Pos() >= pos {
			return false
		}
		switch n := n.(type) {
		case *ast.IfStmt:
			found = mentionsEmptyTest(info, n.Cond, want) && pkce.Rejects(info, n.Body)
		case *ast.CaseClause: // of a tagless switch: case v == "": reject
			for _, e := range n.List {
				if mentionsEmptyTest(info, e, want) && pkce.Rejects(info, &ast.BlockStmt{List: n.Body}) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

func mentionsEmptyTest(info *types.Info, cond ast.Expr, want string) bool {
	found := false
	ast.Inspect(cond, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok {
			return true
		}
		x, y := b.X, b.Y
		if isZero(info, x) || isEmptyString(info, x) {
			x, y = y, x
		}
		if call, ok := astutil.Unparen(x).(*ast.CallExpr); ok && isBuiltinLen(info, call) {
			x = call.Args[0]
		}
		if info.Types[x].IsNil() {
			x, y = y, x
		}
		if (b.Op == token.EQL || b.Op == token.LSS || b.Op == token.LEQ) && (isEmptyString(info, y) || isZero(info, y) || info.Types[y].IsNil()) &&
			types.ExprString(x) == want {
			found = true
		}
		return true
	})
	return found
}

func isBuiltinLen(info *types.Info, call *ast.CallExpr) bool {
	id, ok := astutil.Unparen(call.Fun).(*ast.Ident)
	if !ok || len(call.Args) != 1 {
		return false
	}
	_, isBuiltin := info.Uses[id].(*types.Builtin)
	return isBuiltin && id.Name == "len"
}

func isEmptyString(info *types.Info, e ast.Expr) bool {
	s, ok := pkce.StringConst(info, e)
	return ok && s == ""
}

func isZero(info *types.Info, e ast.Expr) bool {
	tv := info.Types[e]
	return tv.Value != nil && tv.Value.ExactString() == "0"
}

// fixVerifierOption turns oauth2.VerifierOption(v), passed directly to
// AuthCodeURL, into oauth2.S256ChallengeOption(v), or deletes it when the
// call already sends a challenge. An option made elsewhere (a variable, a
// slice, a wrapper's parameter) may also go to Exchange, where it belongs:
// no fix.
func fixVerifierOption(pass *analysis.Pass, opt pkce.Option, hasChallenge bool) []analysis.SuggestedFix {
	option, ok := opt.Range.(*ast.CallExpr)
	if !ok {
		return nil
	}
	if _, ok := pkce.CallTo(pass.TypesInfo, option, pkce.OAuth2Path, "VerifierOption"); !ok {
		return nil
	}
	call, i, _ := pkce.ArgOf(pass, option)
	if call == nil || i == 0 || !pkce.IsConfigMethod(pkce.Callee(pass.TypesInfo, call), "AuthCodeURL") {
		return nil
	}
	if hasChallenge {
		return pkce.Fix("Remove oauth2.VerifierOption: the verifier belongs in Exchange only", pkce.DeleteArg(call, i))
	}
	fun := astutil.Unparen(option.Fun)
	name := fun
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		name = sel.Sel
	}
	return pkce.Fix("Send oauth2.S256ChallengeOption instead of the verifier",
		analysis.TextEdit{Pos: name.Pos(), End: name.End(), NewText: []byte("S256ChallengeOption")})
}

// flowFindings holds a package's code flows without PKCE until they are
// reported: one finding per flow (issue 20, item 8). A flow that sends no
// challenge also redeems its code without a verifier; reporting both
// doubles every alert. When the package builds an authorization request
// without code_challenge, each redemption without code_verifier becomes a
// related location of the request it most likely belongs to, and is not
// reported on its own. A redemption is reported alone only when no such
// authorization request is visible: then it is the only place to act, or
// the package's requests do send a challenge and the verifier is what is
// missing.
//
// A redemption in a package's own files is paired only with requests in
// its own files, and one in a _test.go file only with requests in test
// files: with -test (and under go vet, which analyses a package with its
// tests) a test that builds a URL must not change what is reported about
// the package's code, nor how, or the same flow is reported twice, once
// per variant of the package.
type flowFindings struct {
	fset         *token.FileSet
	auth, redeem []finding
	// protected are the oauth2.Configs and functions with an
	// authorization request that does send a challenge, by file class
	// (test or not): a redemption there without a verifier may be that
	// flow's, and is its own mistake.
	protected map[classed]bool
}

// classed is a key of one file class: test files or the others.
type classed struct {
	test bool
	key  any
}

// inTest reports whether pos is in a _test.go file.
func (ff *flowFindings) inTest(pos token.Pos) bool { return pkce.InTestFile(ff.fset, pos) }

func (ff *flowFindings) protect(client any, fn *ssa.Function, at token.Pos) {
	if ff.protected == nil {
		ff.protected = make(map[classed]bool)
	}
	test := ff.inTest(at)
	if client != nil {
		ff.protected[classed{test, client}] = true
	}
	if fn != nil {
		ff.protected[classed{test, outermost(fn)}] = true
	}
}

type finding struct {
	rng    analysis.Range
	pos    token.Pos
	msg    string
	secret bool          // a token request that sends client_secret: a confidential client's
	client any           // the oauth2.Config the call is made on (configKey), or nil
	fn     *ssa.Function // the function the request is built in, or nil
	redeem []analysis.RelatedInformation
}

func (ff *flowFindings) report(pass *analysis.Pass, ex *exemption) {
	// A redemption reported alone is a confidential client's, at
	// warning like its requests, when it sends client_secret or the
	// package's oauth2.Config has one.
	alone := func(r finding) {
		if r.secret || ex.confidentialClient() {
			pkce.ReportWarning(pass, r.rng, rule.ID, r.msg)
			return
		}
		pkce.Report(pass, r.rng, rule.ID, r.msg)
	}
	for _, r := range ff.redeem {
		a := ff.pair(r)
		if a == nil {
			alone(r)
			continue
		}
		a.redeem = append(a.redeem, analysis.RelatedInformation{Pos: r.rng.Pos(), End: r.rng.End(), Message: "the code is redeemed here without code_verifier"})
	}
	for _, a := range ff.auth {
		msg := a.msg
		if len(a.redeem) > 0 {
			// Text output prints no related locations: name them.
			var at []string
			for _, r := range a.redeem {
				p := pass.Fset.Position(r.Pos)
				at = append(at, fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line))
			}
			msg += fmt.Sprintf(" (the flow's code is redeemed without code_verifier at %s)", strings.Join(at, ", "))
		}
		if ex.confidentialClient() {
			msg += " (a client secret does not replace PKCE: OAuth 2.1 and RFC 9700 require it of confidential clients too)"
			pkce.ReportWarning(pass, a.rng, rule.ID, msg, a.redeem...)
			continue
		}
		pkce.Report(pass, a.rng, rule.ID, msg, a.redeem...)
	}
}

// pair returns the authorization request a redemption belongs to: one on
// the same oauth2.Config, else one built in the same function, else the
// package's only one; or nil when none is known to be its flow, or when a
// request on the same Config or in the same function sends a challenge.
func (ff *flowFindings) pair(r finding) *finding {
	test := ff.inTest(r.pos)
	if r.client != nil && ff.protected[classed{test, r.client}] || r.fn != nil && ff.protected[classed{test, outermost(r.fn)}] {
		return nil
	}
	var auth []*finding // the requests of r's file class
	for i := range ff.auth {
		if ff.inTest(ff.auth[i].pos) == test {
			auth = append(auth, &ff.auth[i])
		}
	}
	for _, a := range auth {
		if r.client != nil && a.client == r.client {
			return a
		}
	}
	for _, a := range auth {
		if r.fn != nil && outermost(a.fn) == outermost(r.fn) {
			return a
		}
	}
	// Methods of one type: a provider's login and callback (go-pkgz/auth's
	// AppleHandler.prepareLoginURL and exchange).
	if t := receiverType(r.fn); t != nil {
		var same []*finding
		for _, a := range auth {
			if receiverType(a.fn) == t {
				same = append(same, a)
			}
		}
		if len(same) == 1 {
			return same[0]
		}
	}
	protected := false
	for k := range ff.protected {
		protected = protected || k.test == test
	}
	if len(auth) == 1 && !protected {
		return auth[0]
	}
	return nil
}

// receiverType is the named type whose method fn (or the function a
// closure fn is in) is, nil for a function.
func receiverType(fn *ssa.Function) *types.TypeName {
	fn = outermost(fn)
	if fn == nil || fn.Signature.Recv() == nil {
		return nil
	}
	t := fn.Signature.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if named, ok := types.Unalias(t).(*types.Named); ok {
		return named.Origin().Obj()
	}
	return nil
}

// outermost is the declared function a closure is in.
func outermost(fn *ssa.Function) *ssa.Function {
	for fn != nil && fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

// configKey identifies the oauth2.Config a call is made on, when it is a
// field (p.config) or a package-level variable: two calls with the same
// key belong to one provider's flow.
func configKey(call *pkce.ConfigCall) any {
	if call.Via != "" {
		return nil
	}
	args := call.Call.Common().Args
	if len(args) == 0 {
		return nil
	}
	if fv := pkce.FieldLoad(args[0]); fv != nil {
		return fv
	}
	// p.conf.AuthCodeURL(…) on a field of type oauth2.Config (not a
	// pointer): the receiver is the field's address (go-pkgz/auth's
	// login and callback handlers share p.conf so).
	if fa, ok := args[0].(*ssa.FieldAddr); ok {
		if ptr, ok := fa.X.Type().Underlying().(*types.Pointer); ok {
			if st, ok := ptr.Elem().Underlying().(*types.Struct); ok && fa.Field < st.NumFields() {
				return st.Field(fa.Field)
			}
		}
	}
	v := args[0]
	if u, ok := v.(*ssa.UnOp); ok {
		v = u.X
	}
	if g, ok := v.(*ssa.Global); ok {
		return g
	}
	return nil
}
