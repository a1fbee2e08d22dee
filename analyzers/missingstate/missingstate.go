package missingstate

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
	"github.com/pkcevet/pkcevet/rules"
)

var rule = rules.MustGet("PKCE004")

// Analyzer reports missing, constant or guessable state and callbacks that
// never check it.
var Analyzer = &analysis.Analyzer{
	Name:     rule.Analyzer,
	Doc:      rule.Doc(),
	URL:      rule.URL(),
	Requires: []*analysis.Analyzer{pkce.Analyzer, inspect.Analyzer},
	Run:      run,
}

// The shared policy: generated and _test.go files, //pkcevet:ignore.
func init() { pkce.UsePolicy(Analyzer) }

// minBits is the least randomness accepted for state: 16 random bytes.
// A version 4 UUID (122 bits) is accepted as well.
const minBits = 128

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[pkce.Analyzer].(*pkce.Flow)
	checkStateValues(pass, flow)
	checkMissing(pass, flow)
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	checkCallbacks(pass, flow, insp)
	checkStateFallbacks(pass, flow, insp)
	return nil, nil
}

// checkStateValues judges every value used as state.
func checkStateValues(pass *analysis.Pass, flow *pkce.Flow) {
	judge := func(o pkce.Origin) string { return weakness(pass, o) }
	flow.EachWeakUse([]pkce.SinkKind{pkce.StateSink}, nil, judge, func(sink pkce.Sink, origin pkce.Origin, msg string) {
		pkce.ReportFix(pass, sink.Range, rule.ID, fmt.Sprintf("state passed to %s %s", sink.API, msg), fixState(pass, sink, origin), origin.Related(pass, "the state's source")...)
	})
}

// fixState replaces a literal state, or one made in place by a weak call,
// passed directly as AuthCodeURL's first argument, with crypto/rand.Text().
// A state in a variable (or a named constant) is likely the one the
// callback compares, so changing it here alone would break the check: no
// fix; nor for a literal whose text appears elsewhere in the package (the
// callback's comparison). The fixed call still needs its state saved for
// the browser and checked in the callback, which the fix message says.
func fixState(pass *analysis.Pass, sink pkce.Sink, origin pkce.Origin) []analysis.SuggestedFix {
	if sink.API != "(*oauth2.Config).AuthCodeURL" {
		return nil
	}
	arg, ok := sink.Range.(ast.Expr)
	if !ok {
		return nil
	}
	call, i, file := pkce.ArgOf(pass, arg)
	if call == nil || i != 0 || !pkce.AtLeastGo(pass, file, "go1.24") { // crypto/rand.Text is new in Go 1.24
		return nil
	}
	switch e := astutil.Unparen(arg).(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING || origin.Kind != pkce.Constant {
			return nil
		}
		if v, _ := pkce.StringConst(pass.TypesInfo, e); v != "" && literalElsewhere(pass, e, v) || v == "" && emptyKept(file, e) {
			return nil
		}
	case *ast.CallExpr:
		p := origin.SourcePos
		if !pkce.MadeInPlace(pass, e) || !p.IsValid() || p < e.Pos() || p >= e.End() {
			return nil
		}
	default:
		return nil
	}
	name, edits := pkce.ImportName(pass, file, arg.Pos(), "crypto/rand", "rand", "crand")
	if name == "" {
		return nil
	}
	edits = append(edits, analysis.TextEdit{Pos: arg.Pos(), End: arg.End(), NewText: []byte(name + ".Text()")})
	edits = append(edits, pkce.DropImports(pass, file, arg)...)
	return pkce.Fix("Use a fresh state from crypto/rand.Text(); save it for this browser and compare it in the callback", edits...)
}

// literalElsewhere reports whether another string literal of the package
// has the value v.
func literalElsewhere(pass *analysis.Pass, lit *ast.BasicLit, v string) bool {
	found := false
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if b, ok := n.(*ast.BasicLit); ok && b != lit && b.Kind == token.STRING {
				if w, _ := pkce.StringConst(pass.TypesInfo, b); w == v {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// emptyKept reports whether the empty state lit may also be kept or
// compared elsewhere, so that replacing it alone would break the flow: the
// request is built inside a composite literal (the flow record, whose
// state field holds "" too, given or left out: &Flow{"", v,
// cfg.AuthCodeURL("", …)}), or the enclosing function has another ""
// literal. "" is too common to look for in the whole package, as
// literalElsewhere does for other constants.
func emptyKept(file *ast.File, lit *ast.BasicLit) bool {
	path, _ := astutil.PathEnclosingInterval(file, lit.Pos(), lit.End())
	var body ast.Node
	for _, n := range path {
		switch n := n.(type) {
		case *ast.CompositeLit:
			return true
		case *ast.FuncDecl:
			body = n.Body
		case *ast.FuncLit:
			body = n.Body
		}
		if body != nil {
			break
		}
	}
	if body == nil {
		return true // a package-level initialiser: keep it simple
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if b, ok := n.(*ast.BasicLit); ok && b != lit && b.Kind == token.STRING && (b.Value == `""` || b.Value == "``") {
			found = true
		}
		return !found
	})
	return found
}

func weakness(pass *analysis.Pass, o pkce.Origin) string {
	const fix = "use a fresh value per flow from crypto/rand (rand.Text()) and check it in the callback"
	where := o.Where(pass)
	if where != "" {
		where = " (" + where + ")"
	}
	switch o.Kind {
	case pkce.Constant:
		if o.Empty {
			return "is empty, so the callback cannot tell its own flow from a forged one; " + fix
		}
		if o.Fallback {
			return "is " + o.Source + " whenever no other state is given, the same for every flow that falls back to it; " + fix
		}
		return "is " + o.Source + ", the same for every flow; " + fix
	case pkce.Predictable:
		return "comes from " + o.Source + where + ", which an attacker can guess; " + fix
	case pkce.Random:
		bits, ok := o.FixedBits()
		if o.Vetted != "" || !ok || bits >= minBits {
			return ""
		}
		return fmt.Sprintf("carries only %.0f bits of randomness (%s%s), less than 128; %s", bits, o.Source, where, fix)
	}
	return ""
}

// checkMissing reports hand-built authorization requests with no state.
func checkMissing(pass *analysis.Pass, flow *pkce.Flow) {
	for _, set := range flow.ParamSets {
		if !set.Open && set.IsAuthorizationRequest() && !set.Has(pkce.ParamState) {
			en := set.Anchor()
			pkce.Report(pass, flow.ExprRange(en.Pos, -1), rule.ID, "authorization request has no state parameter; add a fresh crypto/rand state and check it in the callback")
		}
	}
	for _, file := range pass.Files {
		for _, q := range flow.QueryTexts(file, pkce.ParamResponseType) {
			params := q.Params()
			if rt, ok := params[pkce.ParamResponseType]; !ok || !pkce.IsCodeResponseType(rt) || q.Has(pkce.ParamState) {
				continue
			}
			path, _ := pkce.EnclosingPath(file, q.Expr.Pos(), q.Expr.End())
			if fn := pkce.EnclosingFunc(path); fn != nil && pkce.Mentions(pass.TypesInfo, fn, "state=", "") {
				continue
			}
			pkce.Report(pass, q.Expr, rule.ID, "authorization URL has no state parameter; add a fresh crypto/rand state and check it in the callback")
		}
	}
}

// checkCallbacks reports HTTP handlers that take the code from the
// redirect and exchange it without any look at state. Checking is judged
// generously — any mention of state or CSRF in the handler counts — so
// that only handlers that ignore state entirely are reported.
func checkCallbacks(pass *analysis.Pass, flow *pkce.Flow, insp *inspector.Inspector) {
	info := pass.TypesInfo
	var index *callers // made when a helper needs it (see callers.go)
	checkedByCallers := func(n ast.Node) bool {
		fd, ok := n.(*ast.FuncDecl)
		if !ok || pkce.TakesParam(info, fd.Type, pkce.IsHTTPResponseWriter) {
			return false
		}
		if index == nil {
			index = indexCallers(pass, insp)
		}
		fn, _ := info.Defs[fd.Name].(*types.Func)
		return index.helperChecked(fn, 0)
	}
	insp.Preorder([]ast.Node{(*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)}, func(n ast.Node) {
		ftype, body := funcParts(n)
		if body == nil || !pkce.TakesParam(info, ftype, pkce.IsHTTPRequest) {
			return
		}
		exchange := findExchange(info, flow, body)
		if exchange == nil {
			checkHandoff(pass, flow, body)
			return
		}
		if !pkce.ReadsParamIn(info, body, pkce.ParamCode) {
			return
		}
		read, checked := stateUse(info, body)
		if read != nil && !checked {
			// The state is read but only passed on (used as the
			// redirect target, logged): never compared.
			pkce.Report(pass, exchange, rule.ID, "callback exchanges the authorization code without checking state: it reads state but never compares it with the value saved for this browser; compare them before calling Exchange")
			return
		}
		if read != nil {
			checkUnboundState(pass, n)
		}
		if pkce.Mentions(info, body, pkce.ParamState, "state") || pkce.Mentions(info, body, "", "csrf") || checkedByCallers(n) {
			return
		}
		pkce.Report(pass, exchange, rule.ID, "callback exchanges the authorization code without checking state; compare the state query parameter with the value saved for this browser before calling Exchange")
	})
}

// stateUse finds where body reads the state request parameter into a
// local variable, and whether that value is ever checked: compared, or
// handed to a function whose name says it checks (verifyState,
// validateState, checkCSRF). ok is false when the state is read some other
// way; the caller then judges generously.
func stateUse(info *types.Info, body ast.Node) (read ast.Node, checked bool) {
	var obj types.Object
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, rhs := range as.Rhs {
			if call, ok := astutil.Unparen(rhs).(*ast.CallExpr); ok {
				if p, ok := pkce.RequestParam(info, call); ok && p == pkce.ParamState {
					if id, ok := as.Lhs[i].(*ast.Ident); ok && info.ObjectOf(id) != nil {
						obj, read = info.ObjectOf(id), as
					}
				}
			}
		}
		return true
	})
	if obj == nil {
		return nil, false
	}
	uses := func(e ast.Node) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && info.ObjectOf(id) == obj {
				found = true
			}
			return !found
		})
		return found
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if (n.Op == token.EQL || n.Op == token.NEQ) && (uses(n.X) || uses(n.Y)) {
				checked = true
			}
		case *ast.IndexExpr:
			// A lookup in a store keyed by state (saved[state]).
			if _, ok := info.TypeOf(n.X).Underlying().(*types.Map); ok && uses(n.Index) {
				checked = true
			}
		case *ast.CallExpr:
			// Handed to code that may check it counts as checked;
			// only redirects, parsing, formatting and logging are
			// known not to.
			if slices.ContainsFunc(n.Args, func(a ast.Expr) bool { return uses(a) }) && !passesOn(pkce.Callee(info, n)) {
				checked = true
			}
		case *ast.SwitchStmt:
			if n.Tag != nil && uses(n.Tag) {
				checked = true
			}
		}
		return !checked
	})
	return read, checked
}

// passesOn reports whether fn uses a value without checking it: a
// redirect, URL parsing, string handling, formatting or logging.
func passesOn(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "net/url", "fmt", "log", "log/slog", "strings":
		return true
	case "net/http":
		return fn.Name() == "Redirect"
	}
	return false
}

// findExchange returns the first call in body that redeems a code:
// (*oauth2.Config).Exchange or a function that wraps it.
func findExchange(info *types.Info, flow *pkce.Flow, body ast.Node) *ast.CallExpr {
	var found *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && found == nil &&
			(pkce.IsConfigMethod(pkce.Callee(info, call), "Exchange") || flow.IsRedemption(call.Lparen)) {
			found = call
		}
		return found == nil
	})
	return found
}
