package robust

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/pkcevet/pkcevet/analyzers"
)

// allowedState names each package-level variable of the analyzer packages
// that TestNoPackageState would reject for its type or for its address
// being taken, with the reason it is safe when the analyzers run
// concurrently. It cannot excuse a write after init.
var allowedState = map[string]string{
	"timingcompare.checkState": "the -timingcompare.state flag (the x/tools idiom for analyzer flags): " +
		"init binds it to Analyzer.Flags, the driver's flag parsing writes it before any pass starts, and run only reads it",
	"pkce.nonSecretWords": "a word table, a map literal only read after init (no write to it in the package)",
	"pkce.uuidPaths":      "a list of import paths, a slice literal only read after init (no write to it in the package)",
}

// immutablePointers are the pointer types a package-level variable may
// have: the analyzer itself, its rule, a compiled regexp and a types
// interface, none of which an analyzer changes after init.
var immutablePointers = []string{
	"*golang.org/x/tools/go/analysis.Analyzer",
	"*github.com/pkcevet/pkcevet/rules.Rule",
	"*regexp.Regexp",
	"*go/types.Interface",
}

// TestNoPackageState looks for mutable package-level state in the analyzer
// packages (analyzers/*, analyzers/internal/pkce; not test files): state
// that passes running at the same time, under go vet, nogo or the checker,
// would share. It is conservative: a package-level variable is rejected,
// unless allowedState names it, when
//
//   - its type can refer to shared memory: a map, slice, channel, function,
//     pointer (other than immutablePointers), interface (other than error),
//     or a sync or sync/atomic type, alone or inside a struct or array;
//   - its address is taken, even in init (what binding a flag does); or
//   - it is written outside init and the variable initialisers: assigned,
//     incremented, ranged into, deleted from, appended to, or given to a
//     pointer method, directly or through its fields and elements.
//
// It logs every package-level variable it finds, with its verdict.
func TestNoPackageState(t *testing.T) {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo,
		Dir:  "../..",
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]bool)
	checked := 0
	for _, pkg := range pkgs {
		if strings.HasSuffix(pkg.PkgPath, "/internal/robust") || strings.HasSuffix(pkg.PkgPath, "/internal/pkcetest") {
			continue // test harnesses, not analyzers: no driver runs them
		}
		if len(pkg.Errors) > 0 {
			t.Fatalf("%s: %v", pkg.PkgPath, pkg.Errors[0])
		}
		checked++
		for _, v := range packageState(pkg) {
			key := pkg.Name + "." + v.obj.Name()
			seen[key] = true
			problems := v.problems()
			why, allowed := allowedState[key]
			switch {
			case allowed && len(v.writes) > 0:
				t.Errorf("%s: %s is allowed as read-only state but written at %s", pkg.Fset.Position(v.obj.Pos()), key, strings.Join(v.writes, ", "))
			case len(problems) == 0:
				t.Logf("%s %s: ok", key, v.obj.Type())
			case allowed:
				t.Logf("%s %s: allowed (%s): %s", key, v.obj.Type(), strings.Join(problems, "; "), why)
			default:
				t.Errorf("%s: package-level variable %s %s is mutable state: %s",
					pkg.Fset.Position(v.obj.Pos()), key, v.obj.Type(), strings.Join(problems, "; "))
			}
		}
	}
	if want := len(analyzers.All()) + 1; checked < want {
		t.Errorf("checked %d analyzer packages, want the %d rule analyzers and pkce", checked, want-1)
	}
	for key := range allowedState {
		if !seen[key] {
			t.Errorf("allowedState names %s, which no longer exists: remove it", key)
		}
	}
}

// stateVar is a package-level variable and what the package does with it.
type stateVar struct {
	obj      *types.Var
	typeKind string   // why the type is mutable, or ""
	escapes  []string // where its address is taken
	writes   []string // where it is written after init
}

func (v *stateVar) problems() []string {
	var p []string
	if v.typeKind != "" {
		p = append(p, v.typeKind)
	}
	if len(v.escapes) > 0 {
		p = append(p, "address taken at "+strings.Join(v.escapes, ", "))
	}
	if len(v.writes) > 0 {
		p = append(p, "written at "+strings.Join(v.writes, ", "))
	}
	return p
}

// packageState returns the package-level variables of pkg, in declaration
// order, with their uses classified.
func packageState(pkg *packages.Package) []*stateVar {
	vars := make(map[*types.Var]*stateVar)
	var order []*stateVar
	scope := pkg.Types.Scope()
	for _, name := range scope.Names() {
		if v, ok := scope.Lookup(name).(*types.Var); ok {
			sv := &stateVar{obj: v, typeKind: mutableType(v.Type())}
			vars[v] = sv
			order = append(order, sv)
		}
	}
	slices.SortFunc(order, func(a, b *stateVar) int { return int(a.obj.Pos() - b.obj.Pos()) })

	for _, f := range pkg.Syntax {
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			sv := vars[asVar(pkg.TypesInfo.Uses[id])]
			if sv == nil {
				return true
			}
			at := pkg.Fset.Position(id.Pos()).String()
			escape, write := access(pkg.TypesInfo, stack)
			if escape {
				sv.escapes = append(sv.escapes, at)
			}
			if write && !inInit(stack) {
				sv.writes = append(sv.writes, at)
			}
			return true
		})
	}
	return order
}

func asVar(obj types.Object) *types.Var {
	v, _ := obj.(*types.Var)
	return v
}

// mutableType says why a package-level variable of type t could hold state
// that passes share, or returns "" for the types that cannot: basic types,
// error, the immutablePointers, and structs and arrays made of those.
func mutableType(t types.Type) string {
	if slices.Contains(immutablePointers, t.String()) {
		return ""
	}
	if what := referenceIn(t, 0); what != "" {
		return "its type holds " + what
	}
	return ""
}

// referenceIn names the first part of t that refers to shared memory, or
// is a synchronisation type, or returns "".
func referenceIn(t types.Type, depth int) string {
	if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil {
		if p := n.Obj().Pkg().Path(); p == "sync" || p == "sync/atomic" {
			return "a " + n.String()
		}
	}
	if depth > 8 {
		return "a deeply nested type"
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return ""
	case *types.Interface:
		if types.Identical(t, types.Universe.Lookup("error").Type()) {
			return ""
		}
		return "an interface"
	case *types.Array:
		return referenceIn(u.Elem(), depth+1)
	case *types.Struct:
		for i := range u.NumFields() {
			if what := referenceIn(u.Field(i).Type(), depth+1); what != "" {
				return what
			}
		}
		return ""
	case *types.Map:
		return "a map"
	case *types.Slice:
		return "a slice"
	case *types.Chan:
		return "a channel"
	case *types.Signature:
		return "a function"
	case *types.Pointer:
		return "a pointer"
	}
	return "a " + t.Underlying().String()
}

// access classifies the use of a variable whose identifier ends stack:
// whether it takes the address of the variable's own storage (escape),
// and whether it writes to the variable or to memory it refers to.
func access(info *types.Info, stack []ast.Node) (escape, write bool) {
	i := len(stack) - 1
	e := stack[i].(ast.Expr)
	direct := true // e still denotes the variable's own storage
	// Climb through the expressions that select part of e.
climb:
	for i > 0 {
		switch p := stack[i-1].(type) {
		case *ast.ParenExpr:
		case *ast.SelectorExpr:
			if p.X != e {
				break climb
			}
			if sel := info.Selections[p]; sel != nil && sel.Kind() != types.FieldVal {
				// A method value or call: a pointer method on an
				// addressable value takes its address.
				if isPointerMethod(sel) && !isPointer(info.TypeOf(e)) {
					return direct, true
				}
				return false, false
			}
			if isPointer(info.TypeOf(e)) {
				direct = false
			}
		case *ast.IndexExpr:
			if p.X != e {
				break climb
			}
			if _, isArray := info.TypeOf(e).Underlying().(*types.Array); !isArray {
				direct = false
			}
		case *ast.SliceExpr:
			if p.X != e {
				break climb
			}
			if _, isArray := info.TypeOf(e).Underlying().(*types.Array); isArray {
				return direct, true // a slice of the array aliases it
			}
			direct = false
		case *ast.StarExpr:
			direct = false
		default:
			break climb
		}
		i--
		e = stack[i].(ast.Expr)
	}
	if i == 0 {
		return false, false
	}
	switch p := stack[i-1].(type) {
	case *ast.AssignStmt:
		return false, slices.Contains(p.Lhs, e)
	case *ast.IncDecStmt:
		return false, true
	case *ast.RangeStmt:
		return false, p.Tok.String() == "=" && (p.Key == e || p.Value == e)
	case *ast.UnaryExpr:
		if p.Op.String() == "&" {
			return direct, true
		}
	case *ast.CallExpr:
		if len(p.Args) > 0 && p.Args[0] == e {
			if b, ok := info.Uses[calleeIdent(p.Fun)].(*types.Builtin); ok {
				switch b.Name() {
				case "delete", "clear", "append", "copy":
					return false, true
				}
			}
		}
	}
	return false, false
}

func calleeIdent(fun ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(fun).(*ast.Ident)
	return id
}

func isPointer(t types.Type) bool {
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

func isPointerMethod(sel *types.Selection) bool {
	fn, ok := sel.Obj().(*types.Func)
	return ok && isPointer(fn.Signature().Recv().Type())
}

// inInit reports whether the innermost function around stack is an init
// function, or there is none (a variable's initialiser).
func inInit(stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.FuncLit:
			return false // may run at any time
		case *ast.FuncDecl:
			return n.Recv == nil && n.Name.Name == "init"
		}
	}
	return true
}

// TestStateCheck checks TestNoPackageState's classification on a small
// package, so that a check that finds nothing is known to be able to.
func TestStateCheck(t *testing.T) {
	const src = `package p

import (
	"errors"
	"flag"
	"regexp"
	"sync"
)

type pair struct{ a, b int }

var (
	table    = [...]string{"a", "b"}
	errNope  = errors.New("nope")
	re       = regexp.MustCompile("x")
	words    = map[string]bool{"a": true}
	counter  int
	mu       sync.Mutex
	origin   = pair{1, 2}
	flagged  bool
	aliased  [4]byte
	readOnly = pair{3, 4}
	list     []string
)

func init() {
	flag.BoolVar(&flagged, "f", false, "")
	counter = 1
}

func (p *pair) set() { p.a = 0 }

func use() {
	counter++
	origin.b = 3
	_ = aliased[:]
	_ = readOnly.a + len(table) + len(words)
	_ = re.MatchString("x") && errNope != nil
	readOnly.set()
	list = append(list, "x")
}
`
	s := loader().CheckSource("state.go", []byte(src))
	if s.Package == nil {
		t.Fatalf("%v %v", s.ParseError, s.TypeErrors)
	}
	got := make(map[string]string)
	for _, v := range packageState(s.Package) {
		var kinds []string
		if v.typeKind != "" {
			kinds = append(kinds, "type")
		}
		if len(v.escapes) > 0 {
			kinds = append(kinds, "escapes")
		}
		if len(v.writes) > 0 {
			kinds = append(kinds, "written")
		}
		got[v.obj.Name()] = strings.Join(kinds, " ")
	}
	want := map[string]string{
		"table": "", "errNope": "", "re": "",
		"words": "type", "mu": "type",
		"counter": "written", "origin": "written",
		"flagged": "escapes", "aliased": "escapes written",
		"readOnly": "escapes written", // set has a pointer receiver
		"list":     "type written",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("classification:\n got %v\nwant %v", got, want)
	}
}
