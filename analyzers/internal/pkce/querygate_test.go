package pkce

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

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
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "p.go", c.src, 0)
		if err != nil {
			t.Fatal(err)
		}
		info := &types.Info{Types: make(map[ast.Expr]types.TypeAndValue)}
		conf := types.Config{Importer: importer.Default()}
		if _, err := conf.Check("p", fset, []*ast.File{f}, info); err != nil {
			t.Fatal(err)
		}
		if got := mayHoldQuery(info); got != c.want {
			t.Errorf("mayHoldQuery(%s) = %v, want %v", c.src, got, c.want)
		}
	}
}
