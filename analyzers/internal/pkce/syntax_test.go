package pkce

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"golang.org/x/tools/go/ast/astutil"
)

// TestEnclosingPath checks EnclosingPath against
// astutil.PathEnclosingInterval for the interval of every node, every
// comment and every gap between declarations of a few standard library
// files, and for the empty interval at each of their positions.
func TestEnclosingPath(t *testing.T) {
	dir := filepath.Join(runtime.GOROOT(), "src", "net", "url")
	for _, name := range []string{"url.go", "url_test.go"} {
		fset := token.NewFileSet()
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		check := func(start, end token.Pos) {
			wantPath, wantExact := astutil.PathEnclosingInterval(file, start, end)
			gotPath, gotExact := EnclosingPath(file, start, end)
			if gotExact != wantExact || !slices.Equal(gotPath, wantPath) {
				t.Fatalf("%s [%v, %v): EnclosingPath gives %d nodes (exact %v), PathEnclosingInterval %d (exact %v)",
					name, fset.Position(start), fset.Position(end), len(gotPath), gotExact, len(wantPath), wantExact)
			}
		}
		n := 0
		ast.Inspect(file, func(node ast.Node) bool {
			if node != nil {
				check(node.Pos(), node.End())
				check(node.Pos(), node.Pos())
				n++
			}
			return true
		})
		for _, g := range file.Comments {
			check(g.Pos(), g.End())
		}
		for i := 1; i < len(file.Decls); i++ {
			check(file.Decls[i-1].End(), file.Decls[i].Pos())
			check(file.Decls[i-1].Pos(), file.Decls[i].End()) // across two
		}
		if n < 1000 {
			t.Fatalf("%s: only %d nodes checked", name, n)
		}
	}
}
