package plainmethod

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
	"github.com/pkcevet/pkcevet/rules"
)

var rule = rules.MustGet("PKCE002")

// Analyzer reports the plain code challenge method on clients and servers.
var Analyzer = &analysis.Analyzer{
	Name:     rule.Analyzer,
	Doc:      rule.Doc(),
	URL:      rule.URL(),
	Requires: []*analysis.Analyzer{pkce.Analyzer, inspect.Analyzer},
	Run:      run,
}

// The shared policy: generated and _test.go files, //pkcevet:ignore.
func init() { pkce.UsePolicy(Analyzer) }

const (
	msgSendsPlain = "code_challenge_method plain sends the verifier itself as the challenge; use S256 (oauth2.S256ChallengeOption)"
	msgNoMethod   = "code_challenge is sent without code_challenge_method, so the server treats it as plain; send code_challenge_method=S256 (oauth2.S256ChallengeOption does both)"
)

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[pkce.Analyzer].(*pkce.Flow)
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	checkOptions(pass, flow)
	checkParamSets(pass, flow)
	checkQueryTexts(pass, flow)
	checkServers(pass, insp)
	return nil, nil
}

// checkOptions reports SetAuthURLParam("code_challenge_method", "plain")
// and AuthCodeURL calls that set code_challenge without a method.
func checkOptions(pass *analysis.Pass, flow *pkce.Flow) {
	for _, call := range flow.ConfigCalls("AuthCodeURL") {
		if call.Decided {
			continue // judged inside the function that chose the options
		}
		var challenge *pkce.Option
		for i, opt := range call.Options {
			if opt.Kind == pkce.OptParam && opt.Key == pkce.ParamCodeChallenge {
				challenge = &call.Options[i]
			}
		}
		for _, opt := range call.Options {
			if opt.Kind != pkce.OptParam || opt.Key != pkce.ParamCodeChallengeMethod {
				continue
			}
			if v, ok := constString(opt); ok && strings.EqualFold(v, pkce.MethodPlain) && !operatorChoice(pass, opt.Range) {
				pkce.ReportFix(pass, opt.Range, rule.ID, msgSendsPlain, fixPlain(pass, opt, challenge))
			}
		}
		if challenge != nil && !call.Open && !call.HasParam(pkce.ParamCodeChallengeMethod) {
			pkce.ReportFix(pass, challenge.Range, rule.ID, msgNoMethod, fixNoMethod(pass, challenge))
		}
	}
}

const fixMessage = "Send the challenge with oauth2.S256ChallengeOption, which sets code_challenge_method=S256"

// s256Arg returns, for an option SetAuthURLParam("code_challenge",
// S256ChallengeFromVerifier(v)) passed directly to AuthCodeURL, the option's
// call, the AuthCodeURL call, and v. Only then is the verifier in sight, and
// S256ChallengeOption(v) sends the same challenge with the method; a
// challenge computed elsewhere may be a hash made by hand or the verifier
// itself (plain), and hashing it again would break the exchange: no fix.
func s256Arg(pass *analysis.Pass, opt *pkce.Option) (option, authCodeURL *ast.CallExpr, verifier ast.Expr, ok bool) {
	if opt == nil {
		return nil, nil, nil, false
	}
	option, ok = opt.Range.(*ast.CallExpr)
	if !ok || len(option.Args) != 2 {
		return nil, nil, nil, false
	}
	authCodeURL, _, _ = pkce.ArgOf(pass, option)
	if authCodeURL == nil || !pkce.IsConfigMethod(pkce.Callee(pass.TypesInfo, authCodeURL), "AuthCodeURL") {
		return nil, nil, nil, false
	}
	hash, ok := pkce.CallTo(pass.TypesInfo, option.Args[1], pkce.OAuth2Path, "S256ChallengeFromVerifier")
	if !ok || len(hash.Args) != 1 || hash.Ellipsis.IsValid() {
		return nil, nil, nil, false
	}
	return option, authCodeURL, hash.Args[0], true
}

// s256Option renders oauth2.S256ChallengeOption(v) with the qualifier the
// option's own call uses.
func s256Option(pass *analysis.Pass, option *ast.CallExpr, verifier ast.Expr) (string, bool) {
	q, ok := pkce.Qualifier(pass.TypesInfo, option)
	if !ok {
		return "", false
	}
	return q + "S256ChallengeOption(" + pkce.Render(pass.Fset, verifier) + ")", true
}

// fixNoMethod replaces SetAuthURLParam("code_challenge",
// S256ChallengeFromVerifier(v)) with S256ChallengeOption(v).
func fixNoMethod(pass *analysis.Pass, challenge *pkce.Option) []analysis.SuggestedFix {
	option, _, v, ok := s256Arg(pass, challenge)
	if !ok {
		return nil
	}
	text, ok := s256Option(pass, option, v)
	if !ok {
		return nil
	}
	return pkce.Fix(fixMessage, analysis.TextEdit{Pos: option.Pos(), End: option.End(), NewText: []byte(text)})
}

// fixPlain replaces SetAuthURLParam("code_challenge_method", "plain") and
// SetAuthURLParam("code_challenge", S256ChallengeFromVerifier(v)), both
// passed to the same AuthCodeURL call, with S256ChallengeOption(v). A
// challenge that is not visibly S256(v) gets no fix: under plain the
// challenge is the verifier, but a value named a challenge may just as well
// be a hash made by hand that a lenient server checks as S256.
func fixPlain(pass *analysis.Pass, method pkce.Option, challenge *pkce.Option) []analysis.SuggestedFix {
	option, authCodeURL, v, ok := s256Arg(pass, challenge)
	if !ok {
		return nil
	}
	m, ok := method.Range.(*ast.CallExpr)
	if !ok {
		return nil
	}
	call, i, _ := pkce.ArgOf(pass, m)
	if call != authCodeURL || i == 0 {
		return nil
	}
	text, ok := s256Option(pass, option, v)
	if !ok {
		return nil
	}
	return pkce.Fix(fixMessage,
		analysis.TextEdit{Pos: option.Pos(), End: option.End(), NewText: []byte(text)},
		pkce.DeleteArg(call, i))
}

func constString(opt pkce.Option) (string, bool) {
	en := pkce.Entry{Value: opt.Value}
	return en.ConstValue()
}

// checkParamSets reports hand-built requests in url.Values and maps.
func checkParamSets(pass *analysis.Pass, flow *pkce.Flow) {
	for _, set := range flow.ParamSets {
		if en := set.Get(pkce.ParamCodeChallengeMethod); en != nil {
			if v, ok := en.ConstValue(); ok && strings.EqualFold(v, pkce.MethodPlain) {
				pkce.Report(pass, flow.ExprRange(en.Pos, en.Arg), rule.ID, msgSendsPlain)
			}
			continue
		}
		if en := set.Get(pkce.ParamCodeChallenge); en != nil && !set.Open {
			pkce.Report(pass, flow.ExprRange(en.Pos, -1), rule.ID, msgNoMethod)
		}
	}
}

// checkQueryTexts reports URL strings that send plain or omit the method.
func checkQueryTexts(pass *analysis.Pass, flow *pkce.Flow) {
	for _, file := range pass.Files {
		for _, q := range flow.QueryTexts(file, pkce.ParamCodeChallenge, pkce.ParamCodeChallengeMethod) {
			params := q.Params()
			method, hasMethod := params[pkce.ParamCodeChallengeMethod]
			switch {
			case hasMethod && strings.EqualFold(method, pkce.MethodPlain):
				pkce.Report(pass, q.Expr, rule.ID, msgSendsPlain)
			case !hasMethod && q.Has(pkce.ParamCodeChallenge):
				path, _ := pkce.EnclosingPath(file, q.Expr.Pos(), q.Expr.End())
				if fn := pkce.EnclosingFunc(path); fn != nil && pkce.Mentions(pass.TypesInfo, fn, pkce.ParamCodeChallengeMethod, "") {
					continue
				}
				pkce.Report(pass, q.Expr, rule.ID, msgNoMethod)
			}
		}
	}
}

// checkServers reports servers that accept, default to or advertise plain.
func checkServers(pass *analysis.Pass, insp *inspector.Inspector) {
	info := pass.TypesInfo
	nodes := []ast.Node{(*ast.IfStmt)(nil), (*ast.SwitchStmt)(nil), (*ast.CompositeLit)(nil)}
	insp.WithStack(nodes, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		fn := pkce.EnclosingFunc(reversed(stack))
		switch n := n.(type) {
		case *ast.IfStmt:
			checkIf(pass, fn, n)
			checkMissingAccepted(pass, fn, n)
		case *ast.SwitchStmt:
			checkSwitch(pass, fn, n)
		case *ast.CompositeLit:
			if len(stack) >= 2 && advertises(info, stack[len(stack)-2], n) {
				for _, elt := range n.Elts {
					if kv, ok := elt.(*ast.KeyValueExpr); ok {
						elt = kv.Key
					}
					if isPlain(info, elt) {
						pkce.Report(pass, elt, rule.ID, "plain is listed among the supported code challenge methods; list only S256 (offer plain, if at all, behind a default-off setting)")
					}
				}
			}
		}
		return true
	})
}

// checkIf handles `if method == "plain" { accept }`,
// `if method != "S256" && method != "plain" { reject }` and
// `if method == "" { method = "plain" }`.
func checkIf(pass *analysis.Pass, fn ast.Node, ifs *ast.IfStmt) {
	info := pass.TypesInfo
	operands := pkce.Conjuncts(ifs.Cond)
	gated := false
	for _, op := range operands {
		if b, ok := op.(*ast.BinaryExpr); !ok || (b.Op != token.EQL && b.Op != token.NEQ) {
			gated = true // an operator setting such as s.AllowPlain
		}
	}
	for _, op := range operands {
		b, ok := op.(*ast.BinaryExpr)
		if !ok {
			continue
		}
		x, isPlainCmp := plainComparison(info, b)
		if !isPlainCmp || !methodLike(info, fn, x) {
			if x, ok := emptyComparison(info, b); ok && b.Op == token.EQL && methodLike(info, fn, x) {
				checkDefault(pass, ifs.Body, x)
			}
			continue
		}
		switch {
		case b.Op == token.EQL && !gated && !pkce.RejectsOutright(info, ifs.Body.List) && !clientDerivation(pass, fn, x):
			pkce.Report(pass, b, rule.ID, "the server accepts code_challenge_method plain; accept only S256 and reject plain with invalid_request")
		case b.Op == token.NEQ && !gated && pkce.Rejects(info, ifs.Body):
			pkce.Report(pass, b, rule.ID, "the server lets code_challenge_method plain past this check; reject every method but S256")
		}
	}
}

// checkMissingAccepted reports `if method == "" || … { return nil }`: a
// validator that lets a request without code_challenge_method through,
// which RFC 7636 §4.3 reads as plain.
func checkMissingAccepted(pass *analysis.Pass, fn ast.Node, ifs *ast.IfStmt) {
	info := pass.TypesInfo
	if !pkce.ReturnsEarly(ifs.Body) || pkce.Rejects(info, ifs.Body) {
		return
	}
	for _, op := range pkce.Disjuncts(ifs.Cond) {
		b, ok := op.(*ast.BinaryExpr)
		if !ok || b.Op != token.EQL {
			continue
		}
		if x, ok := emptyComparison(info, b); ok && methodLike(info, fn, x) && validates(fn) {
			pkce.Report(pass, b, rule.ID, "a request without code_challenge_method is accepted, and a missing method means plain; require code_challenge_method=S256")
		}
	}
}

// validates reports whether fn is a validation function (its name has
// validate, verify or check), where an early successful return accepts the
// request.
func validates(fn ast.Node) bool {
	fd, ok := fn.(*ast.FuncDecl)
	if !ok {
		return false
	}
	for _, w := range pkce.Words(fd.Name.Name) {
		switch w {
		case "validate", "verify", "check":
			return true
		}
	}
	return false
}

// checkDefault reports `method = "plain"` in the body of `if method == ""`.
func checkDefault(pass *analysis.Pass, body *ast.BlockStmt, x ast.Expr) {
	want := types.ExprString(x)
	for _, st := range body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			continue
		}
		for i, lhs := range as.Lhs {
			if types.ExprString(lhs) == want && isPlain(pass.TypesInfo, as.Rhs[i]) {
				pkce.Report(pass, as.Rhs[i], rule.ID, "a missing code_challenge_method defaults to plain; treat a missing method as an error (or as S256 only if the challenge is checked as S256)")
			}
		}
	}
}

// validatedBefore reports whether fn, before pos, calls a function of this
// package that refuses plain unless a setting allows it (case "plain": if
// !cfg.AllowPlain { return err }): a token-side comparison after that call
// only sees plain when the operator turned it on, the default-off setting
// the SPEC does not flag (fosite's validate, then its switch on the stored
// method).
func validatedBefore(pass *analysis.Pass, fn ast.Node, pos token.Pos) bool {
	if fn == nil {
		return false
	}
	info := pass.TypesInfo
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if found || !ok || call.Pos() >= pos {
			return !found
		}
		callee := pkce.Callee(info, call)
		if callee == nil || callee.Pkg() != pass.Pkg {
			return true
		}
		if decl := pkce.DeclOf(pass.Files, callee); decl != nil && refusesPlainByDefault(info, decl.Body) {
			found = true
		}
		return !found
	})
	return found
}

// refusesPlainByDefault reports whether body has a case "plain" whose body
// refuses the request unless a setting allows it.
func refusesPlainByDefault(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		sw, ok := n.(*ast.SwitchStmt)
		if found || !ok {
			return !found
		}
		for i, st := range sw.Body.List {
			for _, e := range st.(*ast.CaseClause).List {
				if isPlain(info, e) && pkce.RejectsOutright(info, caseBody(sw.Body.List, i)) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// checkSwitch handles `switch method { case "plain": accept }`.
func checkSwitch(pass *analysis.Pass, fn ast.Node, sw *ast.SwitchStmt) {
	info := pass.TypesInfo
	if sw.Tag == nil || !methodLike(info, fn, sw.Tag) {
		return
	}
	clauses := sw.Body.List
	for i, st := range clauses {
		cc := st.(*ast.CaseClause)
		for _, e := range cc.List {
			// A case that builds a client's request (SetAuthURLParam, a
			// challenge or verifier option) is a client choosing what to
			// send, not a server accepting it.
			if isPlain(info, e) && !pkce.RejectsOutright(info, caseBody(clauses, i)) && !validatedBefore(pass, fn, sw.Pos()) && !clientDerivation(pass, fn, sw.Tag) &&
				!pkce.CallsOAuth2(info, caseBody(clauses, i), "SetAuthURLParam", "S256ChallengeOption", "VerifierOption") {
				pkce.Report(pass, e, rule.ID, "the server accepts code_challenge_method plain; accept only S256 and reject plain with invalid_request")
			}
		}
	}
}

// operatorChoice reports whether the option at rng is sent only when a
// setting says plain: it sits in `case "plain":` of a switch on a value
// that is not read from a request (headscale's a.cfg.PKCE.Method), or under
// `if setting == "plain"`. A client configured by its operator for an
// identity provider without S256 is the opt-in PKCE002 leaves alone
// (issue 20, item 6).
func operatorChoice(pass *analysis.Pass, rng analysis.Range) bool {
	info := pass.TypesInfo
	for _, file := range pass.Files {
		if rng.Pos() < file.FileStart || rng.Pos() >= file.FileEnd {
			continue
		}
		path, _ := pkce.EnclosingPath(file, rng.Pos(), rng.End())
		for i, n := range path {
			switch n := n.(type) {
			case *ast.CaseClause:
				if i+2 < len(path) {
					if sw, ok := path[i+2].(*ast.SwitchStmt); ok && sw.Tag != nil && !pkce.ReadsParamIn(info, sw.Tag, pkce.ParamCodeChallengeMethod) &&
						slices.ContainsFunc(n.List, func(e ast.Expr) bool { return isPlain(info, e) }) {
						return true
					}
				}
			case *ast.IfStmt:
				if b, ok := n.Cond.(*ast.BinaryExpr); ok && b.Op == token.EQL && (isPlain(info, b.X) || isPlain(info, b.Y)) &&
					!pkce.ReadsParamIn(info, b, pkce.ParamCodeChallengeMethod) {
					return true
				}
			case *ast.FuncDecl, *ast.FuncLit:
				return false
			}
		}
	}
	return false
}

// clientDerivation reports whether fn, branching on the method x, only
// derives a challenge: it returns a string or bytes (and perhaps an
// error), the method is not read from a request, and no call of fn in the
// package is on a server's path — in a function that reads the request's
// code_verifier or code_challenge_method, or compared with something.
// Such a function accepts nothing from anyone: a client calls it to make
// the challenge it sends for the method its operator chose (issue 20,
// item 6). The same switch under a token endpoint is the server's
// acceptance of plain, and stays reported.
func clientDerivation(pass *analysis.Pass, fn ast.Node, x ast.Expr) bool {
	info := pass.TypesInfo
	if pkce.ReadsParam(info, x, pkce.ParamCodeChallengeMethod) || !derivesValue(info, fn) {
		return false
	}
	decl, ok := fn.(*ast.FuncDecl)
	if !ok {
		return true // a func literal: no call of it to follow
	}
	callee, _ := info.Defs[decl.Name].(*types.Func)
	if callee == nil {
		return false
	}
	onServer := false
	for _, f := range pass.Files {
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			if call, ok := n.(*ast.CallExpr); ok && !onServer && pkce.Callee(info, call) == callee {
				onServer = comparedAt(info, stack)
			}
			return !onServer
		})
	}
	if onServer {
		return false
	}
	// A caller that reads the token request's verifier or the
	// authorization request's method is a server.
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if ast.Node(d) == fn {
				continue
			}
			if callsIn(info, d, callee) && (pkce.ReadsParamIn(info, d, pkce.ParamCodeVerifier) || pkce.ReadsParamIn(info, d, pkce.ParamCodeChallengeMethod)) {
				return false
			}
		}
	}
	return true
}

// comparedAt reports whether the last node of stack, a call, is compared
// with something, directly or through conversions and parentheses.
func comparedAt(info *types.Info, stack []ast.Node) bool {
	for i := len(stack) - 2; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ParenExpr:
			continue
		case *ast.CallExpr:
			if tv, ok := info.Types[p.Fun]; ok && tv.IsType() {
				continue // a conversion such as []byte(…)
			}
		}
		return isComparison(info, stack[i])
	}
	return false
}

// derivesValue reports whether fn's results are a string or a byte slice,
// optionally followed by an error: the shape of a challenge derivation,
// not of a verdict (a bool or an error alone).
func derivesValue(info *types.Info, fn ast.Node) bool {
	var sig *types.Signature
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		if obj, ok := info.Defs[fn.Name].(*types.Func); ok {
			sig = obj.Signature()
		}
	case *ast.FuncLit:
		sig, _ = info.TypeOf(fn).(*types.Signature)
	}
	ok := sig != nil
	if !ok || sig.Results().Len() == 0 || sig.Results().Len() > 2 {
		return false
	}
	if !pkce.IsStringLike(sig.Results().At(0).Type()) {
		return false
	}
	if sig.Results().Len() == 2 {
		return types.Identical(sig.Results().At(1).Type(), types.Universe.Lookup("error").Type())
	}
	return true
}

// isComparison reports whether n compares values: ==, != or a call of
// crypto/subtle.ConstantTimeCompare, hmac.Equal, bytes.Equal or
// strings.EqualFold.
func isComparison(info *types.Info, n ast.Node) bool {
	switch n := n.(type) {
	case *ast.BinaryExpr:
		return n.Op == token.EQL || n.Op == token.NEQ
	case *ast.CallExpr:
		fn := pkce.Callee(info, n)
		return pkce.IsFunc(fn, "crypto/subtle", "ConstantTimeCompare") || pkce.IsFunc(fn, "crypto/hmac", "Equal") ||
			pkce.IsFunc(fn, "bytes", "Equal") || pkce.IsFunc(fn, "strings", "EqualFold")
	}
	return false
}

// callsIn reports whether n calls fn.
func callsIn(info *types.Info, n ast.Node, fn *types.Func) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && pkce.Callee(info, call) == fn {
			found = true
		}
		return !found
	})
	return found
}

// caseBody returns the statements a case clause runs: its own, and those
// of the clauses it falls through to.
func caseBody(clauses []ast.Stmt, i int) []ast.Stmt {
	var body []ast.Stmt
	for ; i < len(clauses); i++ {
		list := clauses[i].(*ast.CaseClause).Body
		if n := len(list); n > 0 {
			if br, ok := list[n-1].(*ast.BranchStmt); ok && br.Tok == token.FALLTHROUGH {
				body = append(body, list[:n-1]...)
				continue
			}
		}
		return append(body, list...)
	}
	return body
}

// advertises reports whether a composite literal is the list of supported
// or allowed challenge methods: the value of a field or key named so, or
// assigned to a variable named so.
func advertises(info *types.Info, parent ast.Node, lit *ast.CompositeLit) bool {
	switch p := parent.(type) {
	case *ast.KeyValueExpr:
		if p.Value != lit {
			return false
		}
		if s, ok := pkce.StringConst(info, p.Key); ok {
			return strings.Contains(s, "code_challenge_method")
		}
		return pkce.IsChallengeMethodName(pkce.ExprName(p.Key))
	case *ast.AssignStmt:
		for i, r := range p.Rhs {
			if r == lit && i < len(p.Lhs) {
				return pkce.IsChallengeMethodName(pkce.ExprName(p.Lhs[i]))
			}
		}
	case *ast.ValueSpec:
		for i, v := range p.Values {
			if v == lit && i < len(p.Names) {
				return pkce.IsChallengeMethodName(p.Names[i].Name)
			}
		}
	}
	return false
}

// methodLike reports whether x holds a code challenge method: it is read
// from the code_challenge_method parameter, is named like a challenge
// method, or is named "method" in a function that deals with challenges.
// The last case keeps `if format == "plain"` (text output) out.
func methodLike(info *types.Info, fn ast.Node, x ast.Expr) bool {
	// strings.ToLower(method) and the like are the method, case-folded
	// or trimmed (supabase's switch strings.ToLower(codeChallengeMethod)).
	if call, ok := astutil.Unparen(x).(*ast.CallExpr); ok && len(call.Args) == 1 {
		if callee := pkce.Callee(info, call); pkce.IsFunc(callee, "strings", "ToLower") || pkce.IsFunc(callee, "strings", "ToUpper") || pkce.IsFunc(callee, "strings", "TrimSpace") {
			return methodLike(info, fn, call.Args[0])
		}
	}
	if pkce.ReadsParam(info, x, pkce.ParamCodeChallengeMethod) {
		return true
	}
	name := pkce.ExprName(x)
	if pkce.IsChallengeMethodName(name) {
		return true
	}
	// A value of a type such as oidc.CodeChallengeMethod.
	if named, ok := types.Unalias(info.TypeOf(x)).(*types.Named); ok && pkce.IsChallengeMethodName(named.Obj().Name()) {
		return true
	}
	hasMethod := false
	for _, w := range pkce.Words(name) {
		hasMethod = hasMethod || w == "method"
	}
	return hasMethod && fn != nil && pkce.Mentions(info, fn, "code_challenge", "challenge")
}

// plainComparison matches x == "plain" and x != "plain".
func plainComparison(info *types.Info, b *ast.BinaryExpr) (ast.Expr, bool) {
	if b.Op != token.EQL && b.Op != token.NEQ {
		return nil, false
	}
	switch {
	case isPlain(info, b.Y):
		return b.X, true
	case isPlain(info, b.X):
		return b.Y, true
	}
	return nil, false
}

// emptyComparison matches x == "" and x.String() == "", and returns x.
func emptyComparison(info *types.Info, b *ast.BinaryExpr) (ast.Expr, bool) {
	x := b.X
	if s, ok := pkce.StringConst(info, b.X); ok && s == "" {
		x = b.Y
	} else if s, ok := pkce.StringConst(info, b.Y); !ok || s != "" {
		return nil, false
	}
	if call, ok := astutil.Unparen(x).(*ast.CallExpr); ok && len(call.Args) == 0 {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "String" {
			x = sel.X
		}
	}
	return x, true
}

func isPlain(info *types.Info, e ast.Expr) bool {
	s, ok := pkce.StringConst(info, e)
	return ok && strings.EqualFold(s, pkce.MethodPlain)
}

func reversed(stack []ast.Node) []ast.Node {
	out := make([]ast.Node, len(stack))
	for i, n := range stack {
		out[len(stack)-1-i] = n
	}
	return out
}
