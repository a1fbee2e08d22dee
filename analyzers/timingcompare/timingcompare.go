package timingcompare

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
	"github.com/pkcevet/pkcevet/rules"
)

var rule = rules.MustGet("PKCE005")

// Analyzer reports verifiers and challenges compared in non-constant time.
var Analyzer = &analysis.Analyzer{
	Name:     rule.Analyzer,
	Doc:      rule.Doc(),
	URL:      rule.URL(),
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// checkState is the -timingcompare.state flag. It is read once per run and
// never written by the analyzer.
var checkState bool

func init() {
	Analyzer.Flags.BoolVar(&checkState, "state", false, "also report state values compared in non-constant time")
	pkce.UsePolicy(Analyzer) // generated and _test.go files, //pkcevet:ignore
}

func run(pass *analysis.Pass) (any, error) {
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	insp.WithStack([]ast.Node{(*ast.BinaryExpr)(nil), (*ast.CallExpr)(nil)}, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push || testAssertion(pass, stack) {
			return true
		}
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op != token.EQL && n.Op != token.NEQ {
				return true
			}
			what, ok := secretComparison(info, pkce.InnermostFunc(stack), n.X, n.Y)
			if !ok && inPKCEFunc(stack) && localStrings(info, n.X, n.Y) {
				what, ok = "code verifier or challenge", true
			}
			if ok {
				report(pass, n, what, n.Op.String(), fixBinary(pass, stack, n))
			}
		case *ast.CallExpr:
			fn := pkce.Callee(info, n)
			if len(n.Args) != 2 {
				return true
			}
			switch {
			case pkce.IsFunc(fn, "bytes", "Equal"), pkce.IsFunc(fn, "strings", "EqualFold"), pkce.IsFunc(fn, "strings", "Compare"):
				if what, ok := secretComparison(info, pkce.InnermostFunc(stack), n.Args[0], n.Args[1]); ok {
					var fix []analysis.SuggestedFix
					if fn.Name() == "Equal" {
						fix = fixBytesEqual(pass, stack, n)
					}
					report(pass, n, what, fn.Pkg().Name()+"."+fn.Name(), fix)
				}
			}
		}
		return true
	})
	return nil, nil
}

func report(pass *analysis.Pass, n ast.Node, what, op string, fixes []analysis.SuggestedFix) {
	msg := fmt.Sprintf("%s compared with %s, which leaks through timing how much of a guess matched; use subtle.ConstantTimeCompare", what, op)
	if what == derivedChallenge {
		// What is compared is public (the challenge went out on the
		// front channel): the timing reveals nothing secret, but the
		// check is the one that gates the code, and RFC 7636's
		// verification should not depend on where a guess differs.
		msg = fmt.Sprintf("%s compared with %s: the stored challenge is public, so the timing gives little away, but a constant-time check keeps the PKCE verification free of timing side channels; use subtle.ConstantTimeCompare", what, op)
	}
	pass.Report(analysis.Diagnostic{
		Pos:            n.Pos(),
		End:            n.End(),
		Category:       rule.ID,
		Message:        msg,
		SuggestedFixes: fixes,
	})
}

// derivedChallenge names a challenge computed from a verifier in place.
const derivedChallenge = "code challenge computed from the code verifier"

// secretComparison reports whether comparing x and y compares a PKCE
// secret with a non-constant value, and names the secret.
func secretComparison(info *types.Info, fn ast.Node, x, y ast.Expr) (string, bool) {
	if isConstant(info, x) || isConstant(info, y) {
		return "", false
	}
	if !pkce.IsStringLike(info.TypeOf(x)) || !pkce.IsStringLike(info.TypeOf(y)) {
		return "", false
	}
	// A hash of the verifier against the stored challenge is named for
	// what it is, whatever the other side is called.
	dx, dy := derived(info, fn, x, 0), derived(info, fn, y, 0)
	if dx == derivedChallenge || dy == derivedChallenge {
		return derivedChallenge, true
	}
	for _, e := range []ast.Expr{x, y} {
		if what := secret(info, e); what != "" {
			return what, true
		}
	}
	if what := cmp.Or(dx, dy); what != "" {
		return what, true
	}
	return "", false
}

// derived names the secret a value is computed from by hashing, encoding,
// decoding or slicing, in place or through the one assignment of a local
// variable: sha256.Sum256([]byte(verifier)), base64url(sum[:]),
// base64.RawURLEncoding.DecodeString(challenge).
func derived(info *types.Info, fn ast.Node, e ast.Expr, depth int) string {
	if depth > 4 {
		return ""
	}
	switch x := astutil.Unparen(e).(type) {
	case *ast.SliceExpr:
		return derived(info, fn, x.X, depth+1)
	case *ast.Ident:
		if fn == nil {
			return ""
		}
		if v, ok := info.ObjectOf(x).(*types.Var); !ok || v.IsField() || v.Parent() == v.Pkg().Scope() {
			return ""
		}
		if rhs := pkce.AssignedValue(info, fn, x); rhs != nil {
			if what := secret(info, rhs); what != "" {
				return what
			}
			return derived(info, fn, rhs, depth+1)
		}
	case *ast.CallExpr:
		if pkce.IsFunc(pkce.Callee(info, x), pkce.OAuth2Path, "S256ChallengeFromVerifier") {
			return derivedChallenge
		}
		if !isTransform(pkce.Callee(info, x)) {
			return ""
		}
		for _, a := range x.Args {
			what := secret(info, a)
			if what == "" {
				what = derived(info, fn, a, depth+1)
			}
			switch what {
			case "code verifier", derivedChallenge:
				if isHash(pkce.Callee(info, x)) || what == derivedChallenge {
					return derivedChallenge
				}
				return what
			case "code challenge":
				return what
			}
		}
	}
	return ""
}

// isTransform reports whether fn hashes, encodes or decodes its argument
// without adding a secret of its own.
func isTransform(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "crypto/sha256", "crypto/sha512":
		return strings.HasPrefix(fn.Name(), "Sum")
	case "encoding/base64", "encoding/hex", "encoding/base32":
		return strings.HasPrefix(fn.Name(), "Encode") || strings.HasPrefix(fn.Name(), "Decode")
	case "strings":
		return fn.Name() == "TrimRight" || fn.Name() == "TrimSpace"
	}
	return false
}

func isHash(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && (fn.Pkg().Path() == "crypto/sha256" || fn.Pkg().Path() == "crypto/sha512")
}

// secret names the PKCE secret an expression holds, or returns "".
func secret(info *types.Info, e ast.Expr) string {
	e = astutil.Unparen(e)
	if conv, ok := e.(*ast.CallExpr); ok && len(conv.Args) == 1 {
		if tv := info.Types[conv.Fun]; tv.IsType() {
			return secret(info, conv.Args[0]) // []byte(verifier)
		}
		switch {
		case pkce.ReadsParam(info, conv, pkce.ParamCodeVerifier):
			return "code verifier"
		case pkce.ReadsParam(info, conv, pkce.ParamCodeChallenge):
			return "code challenge"
		case checkState && pkce.ReadsParam(info, conv, pkce.ParamState):
			return "state"
		case pkce.IsFunc(pkce.Callee(info, conv), pkce.OAuth2Path, "S256ChallengeFromVerifier"):
			return "code challenge"
		}
	}
	name := pkce.ExprName(e)
	switch {
	case name == "":
		return ""
	case pkce.IsVerifierName(name):
		return "code verifier"
	case pkce.IsChallengeName(name):
		return "code challenge"
	case checkState && pkce.IsStateName(name):
		return "state"
	}
	return ""
}

// inPKCEFunc reports whether the innermost function declaration is about
// PKCE verification: its name or its receiver's type name has the word
// pkce, or the words code and challenge or code and verifier
// (CodeChallengeMethod.Validate, verifyPKCE, checkCodeVerifier). Inside such a function two local strings compared are the
// verifier and the challenge, whatever they are called (cc == ver).
func inPKCEFunc(stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		fd, ok := stack[i].(*ast.FuncDecl)
		if !ok {
			continue
		}
		if isTestFunc(fd.Name.Name) {
			return false // a test of PKCE code compares expected values
		}
		names := []string{fd.Name.Name}
		if fd.Recv != nil && len(fd.Recv.List) == 1 {
			t := fd.Recv.List[0].Type
			if star, ok := t.(*ast.StarExpr); ok {
				t = star.X
			}
			if id, ok := t.(*ast.Ident); ok {
				names = append(names, id.Name)
			}
		}
		for _, n := range names {
			// "verifier" alone is too common (ID token and claim
			// verifiers), and so is "challenge" (a login's, a signed
			// machine challenge's, ACME's): with "code" they are PKCE.
			code, challenge, verifier := false, false, false
			for _, w := range pkce.Words(n) {
				switch w {
				case "pkce":
					return true
				case "code":
					code = true
				case "challenge":
					challenge = true
				case "verifier":
					verifier = true
				}
			}
			if code && (challenge || verifier) {
				return true
			}
		}
		return false
	}
	return false
}

// testAssertion reports whether the comparison is a test's own: in a
// test, a benchmark, a fuzz test or an example of a _test.go file, or in a
// function literal inside one (a goroutine, a t.Run case) that does not
// answer a request. Such comparisons are the test's assertions on values
// it made (two generated verifiers differ, a verifier gives the same
// challenge twice), not verifications of something an attacker sends and
// can time. A fake server's handler inside a test is still checked.
func testAssertion(pass *analysis.Pass, stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch fn := stack[i].(type) {
		case *ast.FuncLit:
			if pkce.TakesParam(pass.TypesInfo, fn.Type, pkce.IsHTTPRequest) {
				return false
			}
		case *ast.FuncDecl:
			if !isTestFunc(fn.Name.Name) {
				return false
			}
			return pkce.InTestFile(pass.Fset, fn.Pos())
		}
	}
	return false
}

func isTestFunc(name string) bool {
	for _, prefix := range []string{"Test", "Benchmark", "Example", "Fuzz"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// localStrings reports whether x and y are local variables or parameters
// of a plain string or byte-slice type (not a method, not a field, not a
// package variable).
func localStrings(info *types.Info, x, y ast.Expr) bool {
	for _, e := range []ast.Expr{x, y} {
		id, ok := astutil.Unparen(e).(*ast.Ident)
		if !ok {
			return false
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || v.IsField() || v.Parent() == v.Pkg().Scope() {
			return false
		}
		if _, named := types.Unalias(v.Type()).(*types.Named); named || !pkce.IsStringLike(v.Type()) {
			return false
		}
		if pkce.IsChallengeMethodName(v.Name()) || pkce.IsStateName(v.Name()) {
			return false
		}
	}
	return true
}

func isConstant(info *types.Info, e ast.Expr) bool {
	tv := info.Types[e]
	return tv.Value != nil || tv.IsNil()
}

// fixBinary rewrites a == b to subtle.ConstantTimeCompare([]byte(a),
// []byte(b)) == 1 (and != to != 1).
func fixBinary(pass *analysis.Pass, stack []ast.Node, b *ast.BinaryExpr) []analysis.SuggestedFix {
	subtle, edits := subtleName(pass, stack)
	if subtle == "" {
		return nil
	}
	text := fmt.Sprintf("%s.ConstantTimeCompare(%s, %s) %s 1", subtle, asBytes(pass, b.X), asBytes(pass, b.Y), b.Op)
	edits = append(edits, analysis.TextEdit{Pos: b.Pos(), End: b.End(), NewText: []byte(text)})
	return []analysis.SuggestedFix{{Message: "Compare in constant time with subtle.ConstantTimeCompare", TextEdits: edits}}
}

// fixBytesEqual rewrites bytes.Equal(a, b) to
// subtle.ConstantTimeCompare(a, b) == 1.
func fixBytesEqual(pass *analysis.Pass, stack []ast.Node, call *ast.CallExpr) []analysis.SuggestedFix {
	subtle, edits := subtleName(pass, stack)
	if subtle == "" {
		return nil
	}
	text := fmt.Sprintf("%s.ConstantTimeCompare(%s, %s) == 1", subtle, render(pass, call.Args[0]), render(pass, call.Args[1]))
	edits = append(edits, analysis.TextEdit{Pos: call.Pos(), End: call.End(), NewText: []byte(text)})
	if file, ok := stack[0].(*ast.File); ok {
		// bytes.Equal may have been the file's last use of bytes.
		edits = append(edits, pkce.DropImports(pass, file, call.Fun)...)
	}
	return []analysis.SuggestedFix{{Message: "Compare in constant time with subtle.ConstantTimeCompare", TextEdits: edits}}
}

// subtleName returns the name crypto/subtle goes by in the file, adding
// the import when it is missing. It returns "" when the name is taken by
// something else.
func subtleName(pass *analysis.Pass, stack []ast.Node) (string, []analysis.TextEdit) {
	file, ok := stack[0].(*ast.File)
	if !ok {
		return "", nil
	}
	for _, imp := range file.Imports {
		if path, _ := strconv.Unquote(imp.Path.Value); path == "crypto/subtle" {
			if imp.Name != nil {
				if imp.Name.Name == "_" || imp.Name.Name == "." {
					return "", nil
				}
				return imp.Name.Name, nil
			}
			return "subtle", nil
		}
	}
	if pass.Pkg.Scope().Lookup("subtle") != nil {
		return "", nil
	}
	for _, imp := range file.Imports {
		if imp.Name != nil && imp.Name.Name == "subtle" {
			return "", nil
		}
	}
	// Add the import at the start of the first import declaration, or
	// as a new declaration after the package clause.
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT {
			continue
		}
		if gen.Lparen.IsValid() {
			return "subtle", []analysis.TextEdit{{Pos: gen.Lparen + 1, End: gen.Lparen + 1, NewText: []byte("\n\t\"crypto/subtle\"")}}
		}
		return "subtle", []analysis.TextEdit{{Pos: gen.Pos(), End: gen.Pos(), NewText: []byte("import \"crypto/subtle\"\n")}}
	}
	return "subtle", []analysis.TextEdit{{Pos: file.Name.End(), End: file.Name.End(), NewText: []byte("\n\nimport \"crypto/subtle\"")}}
}

// asBytes renders e as a byte slice: []byte(e) for strings.
func asBytes(pass *analysis.Pass, e ast.Expr) string {
	if t, ok := pass.TypesInfo.TypeOf(e).Underlying().(*types.Basic); ok && t.Info()&types.IsString != 0 {
		return "[]byte(" + render(pass, e) + ")"
	}
	return render(pass, e)
}

func render(pass *analysis.Pass, e ast.Expr) string {
	var buf bytes.Buffer
	if err := format.Node(&buf, pass.Fset, e); err != nil {
		return types.ExprString(e)
	}
	return buf.String()
}
