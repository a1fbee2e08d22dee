package pkce

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// checkSnippet parses and type-checks one file of package p, with the
// standard library from export data.
func checkSnippet(t *testing.T, src string) (*types.Package, *types.Info, *ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types: make(map[ast.Expr]types.TypeAndValue),
		Defs:  make(map[*ast.Ident]types.Object),
		Uses:  make(map[*ast.Ident]types.Object),
	}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	return pkg, info, f
}

func TestMayHoldQuery(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		{`package p; var u = "https://as.example/authorize?response_type=code&client_id=" + id; var id string`, true},
		// A mention split between two literals is in their folded sum.
		{`package p; const q = "response_" + "type=code"; var u = "https://as.example/authorize?" + q`, true},
		{`package p; import "fmt"; var u = fmt.Sprintf("/token?code_challenge=%s", "x")`, true},
		{`package p; var s = "response_type" + ": code"; var n = 3`, false},
		{`package p; func f(x string) string { return x + "&state=" }`, false},
	} {
		_, info, _ := checkSnippet(t, c.src)
		if got := mayHoldQuery(info); got != c.want {
			t.Errorf("mayHoldQuery(%s) = %v, want %v", c.src, got, c.want)
		}
	}
}
