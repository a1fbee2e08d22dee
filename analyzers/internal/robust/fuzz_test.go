package robust

import (
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/go/packages"
)

// maxSource bounds a fuzz input: larger sources are skipped, so that one
// input cannot take the time of thousands.
const maxSource = 64 << 10

// seedFiles returns the contents of every .go file under testdata/src
// (rule cases and API stubs alike) and the demo module, and for each
// directory with more than one, the files joined into one (see join).
func seedFiles(tb testing.TB) []string {
	tb.Helper()
	var srcs []string
	for _, dir := range []string{"src", "demo"} {
		byDir := make(map[string][]string)
		err := filepath.WalkDir(filepath.Join(testdata, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			b, err := os.ReadFile(path)
			srcs = append(srcs, string(b))
			byDir[filepath.Dir(path)] = append(byDir[filepath.Dir(path)], string(b))
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
		for _, dir := range slices.Sorted(maps.Keys(byDir)) {
			if files := byDir[dir]; len(files) > 1 {
				srcs = append(srcs, join(files))
			}
		}
	}
	if len(srcs) == 0 {
		tb.Fatal("no seed files under " + testdata)
	}
	return srcs
}

// join makes one source of the files of a package, so that a package
// split over files is a seed that type-checks: the first file's package
// clause, the union of the import declarations, and the rest of each file.
func join(files []string) string {
	var imports, rest []string
	pkg := ""
	for _, src := range files {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", src, parser.ImportsOnly)
		if err != nil {
			return files[0]
		}
		if pkg == "" {
			pkg = "package " + f.Name.Name + "\n\n"
		}
		end := fset.Position(f.Name.End()).Offset
		for _, spec := range f.Imports {
			text := src[fset.Position(spec.Pos()).Offset:fset.Position(spec.End()).Offset]
			if !slices.Contains(imports, text) {
				imports = append(imports, text)
			}
		}
		if n := len(f.Decls); n > 0 {
			end = fset.Position(f.Decls[n-1].End()).Offset
		}
		rest = append(rest, src[end:])
	}
	return pkg + "import (\n\t" + strings.Join(imports, "\n\t") + "\n)\n" + strings.Join(rest, "\n")
}

// imports returns the import paths of a Go source, as far as it parses.
func imports(src string) []string {
	f, _ := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if f == nil {
		return nil
	}
	var paths []string
	for _, spec := range f.Imports {
		if p, err := strconv.Unquote(spec.Path.Value); err == nil && !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	return paths
}

// hangLimit is how long one fuzz input may run before FuzzAnalyzers calls
// it a hang. It is a deadlock detector for fuzzing, where go test's
// -timeout does not reach the worker processes that run the inputs, not a
// speed limit: an input takes well under a second once its imports are
// loaded, and the first import of net/http from source, under the race
// detector on a loaded machine, some tens of seconds.
const hangLimit = 5 * time.Minute

// noHang runs f and fails the test if it has not returned after hangLimit,
// with the stacks of all goroutines: where it hangs. A panic in f is not
// recovered: it ends the test binary with its stack, which is what a
// fuzzing run records as a crasher.
//
// The goroutine that runs f is left running on a hang, and may hold the
// loader's import lock for good, so the loader starts a new world for the
// checks that come after (in a fuzzing worker, the next inputs).
func noHang(t testing.TB, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	timer := time.NewTimer(hangLimit)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		loader().Reset()
		t.Fatalf("%s has not returned after %v: a hang; goroutines:\n%s", what, hangLimit, buf)
	}
}

// pruneRounds bounds how often FuzzAnalyzers prunes an input that does
// not type-check (see Prune).
const pruneRounds = 8

// FuzzAnalyzers parses, type-checks and analyses mutated Go sources, seeded
// with every file of testdata. The analyzers need a well-typed package, and
// few mutations of a Go file are one, so a source with errors is pruned
// (Prune cuts the declarations that hold them) until it type-checks, and
// what is left is analysed: the parser and type checker see the mutation,
// the analyzers the code around it. For every source analysed it checks
// that the analyzers neither panic, nor hang (see noHang), nor fail, and
// that every diagnostic is well formed (see checkDiagnostics).
func FuzzAnalyzers(f *testing.F) {
	for _, src := range seedFiles(f) {
		f.Add(src)
	}
	preload(f)
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > maxSource {
			t.Skip("source over 64 KiB")
		}
		// Import first: the first import of a large package from source
		// is slow, but must end.
		noHang(t, "importing "+strings.Join(imports(src), ", "), func() {
			loader().Preload(imports(src)...) // errors are the check's to find
		})
		var (
			text = []byte(src)
			s    *Source
			res  *Result
			err  error
		)
		noHang(t, "checking and analysing the source", func() {
			for range pruneRounds {
				s = loader().CheckSource("input.go", text)
				if s.Package != nil {
					break
				}
				var ok bool
				if text, ok = Prune(text, s); !ok {
					break
				}
			}
			if s.Package != nil {
				res, err = Analyze([]*packages.Package{s.Package})
			}
		})
		if s.Package == nil {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range res.Errors {
			t.Errorf("analysis failed: %v", e)
		}
		checkDiagnostics(t, res.Diagnostics)
		if t.Failed() && string(text) != src {
			t.Logf("the source as analysed, after pruning:\n%s", text)
		}
	})
}
