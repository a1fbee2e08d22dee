package pkce

import (
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
)

// Syntax-level recognition: request parameters read by servers, branches
// that reject a request, and hand-written query strings.

// RequestParam returns the name of the request parameter a call reads:
// r.FormValue("k"), r.PostFormValue("k"), r.URL.Query().Get("k"),
// r.Form.Get("k"), r.PostForm.Get("k") — any Get on a url.Values — and
// the parameter readers of gin, echo and fiber contexts (c.Query("k")).
func RequestParam(info *types.Info, call *ast.CallExpr) (string, bool) {
	fn := Callee(info, call)
	if p, ok := frameworkParam(info, call, fn); ok {
		return p, true
	}
	if fn == nil || len(call.Args) != 1 {
		return "", false
	}
	switch {
	case IsMethod(fn, "net/http", "Request", "FormValue"), IsMethod(fn, "net/http", "Request", "PostFormValue"),
		IsMethod(fn, URLPath, "Values", "Get"):
		return StringConst(info, call.Args[0])
	}
	return "", false
}

// ReadsParam reports whether e is (or directly wraps) a read of the request
// parameter name.
func ReadsParam(info *types.Info, e ast.Expr, name string) bool {
	call, ok := astutil.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	p, ok := RequestParam(info, call)
	return ok && p == name
}

// FirstRead returns the first call in n that reads the request parameter
// name, or nil.
func FirstRead(info *types.Info, n ast.Node, name string) *ast.CallExpr {
	var read *ast.CallExpr
	ast.Inspect(n, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && read == nil && ReadsParam(info, call, name) {
			read = call
		}
		return read == nil
	})
	return read
}

// ReadsParamIn reports whether n reads the request parameter name anywhere
// (r.FormValue(name), r.URL.Query().Get(name), …).
func ReadsParamIn(info *types.Info, n ast.Node, name string) bool {
	return FirstRead(info, n, name) != nil
}

// ExprName returns the name an identifier or selector expression ends in
// (x → "x", s.cfg.Method → "Method"), or "".
func ExprName(e ast.Expr) string {
	switch e := astutil.Unparen(e).(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

// Rejects reports whether a block refuses the request: it returns a
// non-nil error or false, writes an HTTP error, panics, or exits. A branch
// that does none of these lets the flow go on.
func Rejects(info *types.Info, body ast.Node) bool {
	rejects := false
	ast.Inspect(body, func(n ast.Node) bool {
		if rejects {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				r = astutil.Unparen(r)
				if id, ok := r.(*ast.Ident); ok && (id.Name == "nil" || id.Name == "true") {
					continue
				}
				tv := info.Types[r]
				if tv.Type != nil && (types.Implements(tv.Type, errorIface) || isFalse(tv)) || isOAuthErrorValue(info, r) {
					rejects = true
				}
			}
		case *ast.CallExpr:
			fn := Callee(info, n)
			if fn == nil {
				if id, ok := astutil.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "panic" {
					rejects = true
				}
				return true
			}
			switch {
			case IsFunc(fn, "net/http", "Error"), IsFunc(fn, "os", "Exit"),
				InPackage(fn, "log") && strings.HasPrefix(fn.Name(), "Fatal"),
				fn.Name() == "WriteHeader" && len(n.Args) == 1 && !isOKStatus(info, n.Args[0]):
				rejects = true
			case strings.Contains(strings.ToLower(fn.Name()), "error") || strings.Contains(strings.ToLower(fn.Name()), "reject") ||
				strings.Contains(strings.ToLower(fn.Name()), "deny"):
				// writeError(w, ...), s.reject(...): helpers named
				// for the refusal they send.
				rejects = true
			}
		}
		return true
	})
	return rejects
}

var errorIface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// isOAuthErrorValue reports whether a returned expression is an OAuth
// error response built as a struct, not as an error value: casdoor's
// `&TokenError{Error: InvalidClient, ErrorDescription: …}`. The literal's
// type is named for an error (TokenError, ErrorResponse), or one of its
// fields holds an RFC 6749 error code.
func isOAuthErrorValue(info *types.Info, e ast.Expr) bool {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = astutil.Unparen(u.X)
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return false
	}
	if named, ok := types.Unalias(info.TypeOf(lit)).(*types.Named); ok {
		for _, w := range Words(named.Obj().Name()) {
			if w == "error" {
				return true
			}
		}
	}
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			el = kv.Value
		}
		if s, ok := StringConst(info, el); ok && isOAuthErrorCode(s) {
			return true
		}
	}
	return false
}

func isFalse(tv types.TypeAndValue) bool {
	return tv.Value != nil && tv.Value.String() == "false"
}

func isOKStatus(info *types.Info, e ast.Expr) bool {
	tv := info.Types[e]
	if tv.Value == nil {
		return false
	}
	s := tv.Value.String()
	return len(s) == 3 && (s[0] == '2' || s[0] == '3')
}

// A QueryText is a hand-written query string: a string constant, a
// concatenation or an fmt format whose constant text has name=value
// parameters, such as "...?response_type=code&client_id=" + id.
type QueryText struct {
	Expr ast.Expr // the whole concatenation or Sprintf call
	Text string   // its constant parts joined
}

var queryParam = regexp.MustCompile(`(?:^|[?&])([a-z_]+)=([^&#%]*)`)

// Params returns the parameter names and constant values the text holds.
func (q QueryText) Params() map[string]string {
	m := make(map[string]string)
	for _, sub := range queryParam.FindAllStringSubmatch(q.Text, -1) {
		if _, seen := m[sub[1]]; !seen {
			m[sub[1]] = sub[2]
		}
	}
	return m
}

// Has reports whether the text sets the parameter.
func (q QueryText) Has(name string) bool {
	_, ok := q.Params()[name]
	return ok
}

// queryParams returns the parameter names a query text of interest to
// some rule mentions; Flow.QueryTexts walks each file once for all of them.
func queryParams() []string {
	return []string{ParamResponseType, ParamCodeChallenge, ParamCodeChallengeMethod, ParamCode}
}

// QueryTexts returns the query texts of file that mention one of names,
// from one walk of the file shared by every rule (names must be among
// queryParams()).
func (f *Flow) QueryTexts(file *ast.File, names ...string) []QueryText {
	f.queryOnce.Do(func() {
		f.queries = make(map[*ast.File][]QueryText, len(f.files))
		for _, file := range f.files {
			inTest := InTestFile(f.Fset, file.Pos())
			f.queries[file] = queryTexts(f.info, file, inTest, queryParams())
		}
	})
	var out []QueryText
	for _, q := range f.queries[file] {
		if mentionsAny(q.Text, names) {
			out = append(out, q)
		}
	}
	return out
}

// queryTexts returns the hand-written query strings in a file that mention
// one of the OAuth parameters names. Texts used only in a comparison (a test
// asserting a URL) are left out: they build no request. So are, in a test
// file (inTest), records of a request in the code under test's own types
// (see isFixtureRecord).
func queryTexts(info *types.Info, file *ast.File, inTest bool, names []string) []QueryText {
	var out []QueryText
	var stack []ast.Node
	ast.Inspect(file, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		parent := ast.Node(nil)
		if len(stack) > 0 {
			parent = stack[len(stack)-1]
		}
		stack = append(stack, n)
		e, ok := n.(ast.Expr)
		if !ok || isPartOfText(info, parent, e) {
			return true
		}
		switch e.(type) {
		case *ast.Ident, *ast.SelectorExpr:
			// A named constant is judged at its declaration, not at
			// every use (t.Errorf("…%q", want) builds no request).
			return true
		}
		text, ok := constantText(info, e)
		if !ok || !mentionsAny(text, names) {
			return true
		}
		if b, ok := parent.(*ast.BinaryExpr); ok && (b.Op == token.EQL || b.Op == token.NEQ) {
			return false
		}
		if isExpectation(parent, e) || isNeedle(info, parent, e) || inTest && isFixtureRecord(info, file, stack, e) {
			return false
		}
		out = append(out, QueryText{Expr: e, Text: text})
		return false
	})
	return out
}

// isNeedle reports whether e is an argument of a call that searches or
// compares text rather than sending it: a strings, bytes or regexp
// search (strings.Contains(u, "response_type=code") asks whether u is a
// code-flow request), or an assertion of testify, gotest.tools, quicktest
// or gomega (assert.Contains(t, authURL, "response_type=code")).
func isNeedle(info *types.Info, parent ast.Node, e ast.Expr) bool {
	call, ok := parent.(*ast.CallExpr)
	if !ok || !slices.Contains(call.Args, e) {
		return false
	}
	fn := Callee(info, call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch path := fn.Pkg().Path(); path {
	case "strings", "bytes":
		switch fn.Name() {
		case "Contains", "ContainsAny", "HasPrefix", "HasSuffix", "Index", "IndexAny", "LastIndex",
			"Count", "EqualFold", "Compare", "Cut", "CutPrefix", "CutSuffix", "Equal":
			return true
		}
	case "regexp":
		return true // a pattern, or text matched against one
	default:
		for _, assertions := range []string{"github.com/stretchr/testify/", "gotest.tools/", "github.com/frankban/quicktest", "github.com/onsi/gomega"} {
			if strings.HasPrefix(path, assertions) {
				return true
			}
		}
	}
	return false
}

// isExpectation reports whether e is the value of a variable or constant
// named as an expected result (want, expected, golden): a test's
// assertion, not a request.
func isExpectation(parent ast.Node, e ast.Expr) bool {
	var names []string
	switch p := parent.(type) {
	case *ast.ValueSpec:
		for i, v := range p.Values {
			if v == e && i < len(p.Names) {
				names = append(names, p.Names[i].Name)
			}
		}
	case *ast.AssignStmt:
		for i, r := range p.Rhs {
			if r == e && i < len(p.Lhs) {
				names = append(names, ExprName(p.Lhs[i]))
			}
		}
	case *ast.KeyValueExpr:
		if p.Value == e {
			names = append(names, ExprName(p.Key))
		}
	}
	for _, n := range names {
		for _, w := range Words(n) {
			switch w {
			case "want", "wanted", "expected", "expect", "exp", "golden":
				return true
			}
		}
	}
	return false
}

// isFixtureRecord reports whether e, at the top of stack, is a field
// value in a struct literal of a type another package declares, where the
// literal is not an entry of a test table: hydra's
// flow.Flow{RequestURL: "https://…/oauth2/auth?response_type=code&…"}, a
// request the code under test is told it once received, built for an
// encoding test. Table entries are the cases a test sends, and stay.
func isFixtureRecord(info *types.Info, file *ast.File, stack []ast.Node, e ast.Expr) bool {
	n := len(stack)
	if n < 3 {
		return false
	}
	kv, ok := stack[n-2].(*ast.KeyValueExpr)
	if !ok || kv.Value != e {
		return false
	}
	lit, ok := stack[n-3].(*ast.CompositeLit)
	if !ok {
		return false
	}
	named, ok := types.Unalias(deref(info.TypeOf(lit))).(*types.Named)
	if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg().Name() == file.Name.Name {
		return false
	}
	if isStdPath(named.Obj().Pkg().Path()) {
		return false // the standard library's: http.Request and the like are requests
	}
	if _, ok := named.Underlying().(*types.Struct); !ok {
		return false
	}
	path := make([]ast.Node, 0, n-2)
	for i := n - 3; i >= 0; i-- {
		path = append(path, stack[i])
	}
	return !isTableEntry(path, lit)
}

func mentionsAny(text string, names []string) bool {
	for _, n := range names {
		if strings.Contains(text, n+"=") {
			return true
		}
	}
	return false
}

// isPartOfText reports whether e is an operand of an enclosing
// concatenation or the format of an enclosing Sprintf, which is examined
// as a whole instead.
func isPartOfText(info *types.Info, parent ast.Node, e ast.Expr) bool {
	switch p := parent.(type) {
	case *ast.BinaryExpr:
		return p.Op == token.ADD && isStringType(info.TypeOf(p))
	case *ast.ParenExpr:
		return true
	case *ast.CallExpr:
		return isFormatCall(info, p) && len(p.Args) > 0 && p.Args[0] == e
	}
	return false
}

// constantText joins the constant parts of a string expression: a
// constant, a + concatenation, or an fmt.Sprintf format.
func constantText(info *types.Info, e ast.Expr) (string, bool) {
	e = astutil.Unparen(e)
	if s, ok := StringConst(info, e); ok {
		return s, true
	}
	switch e := e.(type) {
	case *ast.BinaryExpr:
		if e.Op != token.ADD || !isStringType(info.TypeOf(e)) {
			return "", false
		}
		x, okx := constantText(info, e.X)
		y, oky := constantText(info, e.Y)
		if !okx && !oky {
			return "", false
		}
		return x + "\x00" + y, true
	case *ast.CallExpr:
		if isFormatCall(info, e) && len(e.Args) > 0 {
			return StringConst(info, e.Args[0])
		}
	}
	return "", false
}

func isFormatCall(info *types.Info, call *ast.CallExpr) bool {
	fn := Callee(info, call)
	return IsFunc(fn, "fmt", "Sprintf")
}

func isStringType(t types.Type) bool {
	return t != nil && isString(t)
}

// Mentions reports whether the node's source mentions an OAuth parameter
// name in a string constant, or an identifier whose words include word.
// Rules use it to stay quiet when a request is completed somewhere they
// cannot follow.
func Mentions(info *types.Info, n ast.Node, param, word string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.BasicLit:
			if n.Kind == token.STRING && param != "" && strings.Contains(n.Value, param) {
				found = true
			}
		case *ast.Ident:
			if word != "" {
				for _, w := range Words(n.Name) {
					if w == word {
						found = true
					}
				}
			}
		}
		return true
	})
	return found
}

// InnermostFunc is EnclosingFunc for a stack, outermost node first (an
// inspector's WithStack): the innermost function declaration or literal,
// nil at package level.
func InnermostFunc(stack []ast.Node) ast.Node {
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i].(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return stack[i]
		}
	}
	return nil
}

// EnclosingFunc returns the innermost function declaration or literal in
// the path.
func EnclosingFunc(path []ast.Node) ast.Node {
	for _, n := range path {
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return n
		}
	}
	return nil
}

// RejectsOutright reports whether a list of statements refuses the request
// on every path through it: a top-level return of an error (or false), an
// http.Error, a panic — or the same under an operator gate such as
// `if !cfg.AllowPlain { return err }`. A refusal nested in some other
// condition (a failed verifier check) does not count: the branch accepts
// whatever passes that check.
func RejectsOutright(info *types.Info, stmts []ast.Stmt) bool {
	for _, st := range stmts {
		switch st := st.(type) {
		case *ast.ReturnStmt, *ast.ExprStmt:
			if Rejects(info, st) {
				return true
			}
		case *ast.IfStmt:
			if IsGate(info, st.Cond) && Rejects(info, st.Body) {
				return true
			}
		}
	}
	return false
}

// IsGate reports whether a condition is a boolean setting (cfg.AllowPlain,
// !s.enforcePKCE), as opposed to a check of request data.
func IsGate(info *types.Info, cond ast.Expr) bool {
	cond = astutil.Unparen(cond)
	if u, ok := cond.(*ast.UnaryExpr); ok && u.Op == token.NOT {
		cond = astutil.Unparen(u.X)
	}
	b, ok := info.TypeOf(cond).Underlying().(*types.Basic)
	if !ok || b.Kind() != types.Bool {
		return false
	}
	switch c := cond.(type) {
	case *ast.Ident, *ast.SelectorExpr:
		return true
	case *ast.CallExpr:
		// A configuration getter: c.Config.GetEnablePKCEPlainChallengeMethod(ctx).
		for _, w := range Words(ExprName(c.Fun)) {
			switch w {
			case "enable", "enabled", "allow", "allowed", "enforce", "permit", "support", "supports":
				return true
			}
		}
	}
	return false
}

// Conjuncts splits a && b && c.
func Conjuncts(e ast.Expr) []ast.Expr {
	e = astutil.Unparen(e)
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.LAND {
		return append(Conjuncts(b.X), Conjuncts(b.Y)...)
	}
	return []ast.Expr{e}
}

// Disjuncts splits a || b || c.
func Disjuncts(e ast.Expr) []ast.Expr {
	e = astutil.Unparen(e)
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.LOR {
		return append(Disjuncts(b.X), Disjuncts(b.Y)...)
	}
	return []ast.Expr{e}
}

// ReturnsEarly reports whether a block ends the function: its last
// statement is a return.
func ReturnsEarly(body *ast.BlockStmt) bool {
	if len(body.List) == 0 {
		return false
	}
	_, ok := body.List[len(body.List)-1].(*ast.ReturnStmt)
	return ok
}

// AssignedValue returns the expression a local variable is assigned in fn
// (by := or =), when there is exactly one such assignment.
func AssignedValue(info *types.Info, fn ast.Node, id *ast.Ident) ast.Expr {
	obj := info.ObjectOf(id)
	if obj == nil {
		return nil
	}
	var found ast.Expr
	count := 0
	ast.Inspect(fn, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, lhs := range as.Lhs {
			if l, ok := lhs.(*ast.Ident); ok && info.ObjectOf(l) == obj {
				found = as.Rhs[i]
				count++
			}
		}
		return true
	})
	if count != 1 {
		return nil
	}
	return found
}

// DeclOf returns the declaration of fn among files (a function of the
// package being analysed), or nil.
func DeclOf(files []*ast.File, fn *types.Func) *ast.FuncDecl {
	for _, f := range files {
		if fn.Pos() < f.FileStart || fn.Pos() >= f.FileEnd {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Pos() == fn.Pos() && fd.Body != nil {
				return fd
			}
		}
	}
	return nil
}

// EnclosingPath is astutil.PathEnclosingInterval(file, start, end), in
// time that does not grow with the number of declarations in the file.
// PathEnclosingInterval sorts the file's declarations to find the one
// holding the interval, on every call: a rule that asks once per finding
// took quadratic time on a generated file of 8,000 functions. Here the
// declaration is found by binary search (Decls are in source order), the
// path is computed within it, and the file ends the path, as it would. An
// interval that lies outside every declaration's extent (a doc comment,
// the package clause) goes to PathEnclosingInterval unchanged.
func EnclosingPath(file *ast.File, start, end token.Pos) (path []ast.Node, exact bool) {
	i := sort.Search(len(file.Decls), func(i int) bool { return file.Decls[i].End() > start })
	if i == len(file.Decls) || start < file.Decls[i].Pos() || end > file.Decls[i].End() {
		return astutil.PathEnclosingInterval(file, start, end)
	}
	one := &ast.File{Package: file.Package, Name: file.Name, Decls: file.Decls[i : i+1], FileStart: file.FileStart, FileEnd: file.FileEnd}
	path, exact = astutil.PathEnclosingInterval(one, start, end)
	if len(path) > 0 && path[len(path)-1] == one {
		path[len(path)-1] = file
	}
	return path, exact
}
