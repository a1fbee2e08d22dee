package driver

import (
	"fmt"
	"go/types"
	"reflect"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// Guard returns copies of the analyzers, and of every analyzer they
// require, whose Run turns a panic into an error for that package:
//
//	analyzer weakverifier panicked on package example.com/app: <value>
//
// with a short stack appended when stack is set (see panicStack). The scan goes on
// with the other packages (nilaway's analysishelper.WrapRun does the same).
// The package-level analyzers are not modified: they belong to the
// analyzer packages, which other drivers (golangci-lint, nogo) also load.
//
// The copies' Requires point at the copies, so the graph has one analyzer
// per name as analysis.Validate wants. An analyzer looks up the results of
// its requirements by the original pointers (pass.ResultOf[pkce.Analyzer]),
// so the wrapped Run also files each result under the original.
//
// A result with a Release method (pkce.Flow: the SSA form of the package)
// is released once every analyzer of the graph that requires it has run on
// that package. The checker keeps every result until the whole run ends,
// and it starts every action whose prerequisites are done at once, so
// without this every package's SSA would be alive at the end, and dozens
// of packages would build theirs at the same time. GOMAXPROCS results
// with a Release method are held at once: the run of an analyzer that
// makes one waits until another is released. (The analyzers that require
// such a result run as soon as it is made, and the checker skips them only
// when a prerequisite fails; a failed run of the analyzer itself releases
// its place.)
func Guard(analyzers []*analysis.Analyzer, stack bool) []*analysis.Analyzer {
	g := &guard{
		stack:      stack,
		copies:     make(map[*analysis.Analyzer]*analysis.Analyzer),
		dependents: make(map[*analysis.Analyzer]int),
		left:       make(map[resultKey]int),
		held:       make(chan struct{}, runtime.GOMAXPROCS(0)),
	}
	out := make([]*analysis.Analyzer, len(analyzers))
	for i, a := range analyzers {
		out[i] = g.wrap(a)
	}
	for _, c := range g.copies {
		for _, req := range c.Requires {
			g.dependents[req]++
		}
	}
	return out
}

type guard struct {
	stack  bool
	copies map[*analysis.Analyzer]*analysis.Analyzer // original → copy
	// dependents counts the analyzers of the graph that require each copy;
	// it is fixed when Guard returns.
	dependents map[*analysis.Analyzer]int

	mu   sync.Mutex
	left map[resultKey]int // runs still to come of the analyzers that require a result
	held chan struct{}     // one element per result with a Release method alive
}

// resultKey identifies the result of one analyzer on one package.
type resultKey struct {
	pkg *types.Package
	a   *analysis.Analyzer // a copy
}

// releaser is a result that can drop what it holds when no analyzer will
// read it again.
type releaser interface{ Release() }

var releaserType = reflect.TypeFor[releaser]()

// ran records that an analyzer requiring req has run on pkg, and releases
// req's result there after the last of them.
func (g *guard) ran(pkg *types.Package, req *analysis.Analyzer, result any) {
	r, ok := result.(releaser)
	if !ok {
		return
	}
	k := resultKey{pkg, req}
	g.mu.Lock()
	n, seen := g.left[k]
	if !seen {
		n = g.dependents[req]
	}
	n--
	if n > 0 {
		g.left[k] = n
	} else {
		delete(g.left, k)
	}
	g.mu.Unlock()
	if n == 0 {
		r.Release()
		<-g.held
	}
}

func (g *guard) wrap(orig *analysis.Analyzer) *analysis.Analyzer {
	if c, ok := g.copies[orig]; ok {
		return c
	}
	c := new(analysis.Analyzer)
	*c = *orig
	g.copies[orig] = c // before recursing: Validate reports cycles, not us
	c.Requires = make([]*analysis.Analyzer, len(orig.Requires))
	for i, req := range orig.Requires {
		c.Requires[i] = g.wrap(req)
	}
	c.Run = g.run(c, orig)
	return c
}

func (g *guard) run(c, orig *analysis.Analyzer) func(*analysis.Pass) (any, error) {
	run := orig.Run
	requires := orig.Requires
	reqCopies := c.Requires
	stack := g.stack
	releasable := orig.ResultType != nil && orig.ResultType.Implements(releaserType)
	return func(pass *analysis.Pass) (result any, err error) {
		if releasable {
			g.held <- struct{}{}
			defer func() {
				if err != nil || result == nil || g.dependents[c] == 0 {
					<-g.held // nothing will release it
				}
			}()
		}
		for i, req := range requires {
			if r, ok := pass.ResultOf[reqCopies[i]]; ok {
				pass.ResultOf[req] = r
			}
		}
		defer func() {
			for _, req := range reqCopies {
				g.ran(pass.Pkg, req, pass.ResultOf[req])
			}
		}()
		defer func() {
			if v := recover(); v != nil {
				msg := fmt.Sprintf("analyzer %s panicked on package %s: %s", orig.Name, pass.Pkg.Path(), oneLine(fmt.Sprint(v)))
				if stack {
					msg += "\n" + panicStack()
				}
				result, err = nil, fmt.Errorf("%s", msg)
			}
		}()
		return run(pass)
	}
}

// maxFrames bounds the stack of a panic.
const maxFrames = 20

// guardPrefix starts the names of the guard's functions.
var guardPrefix = reflect.TypeFor[guard]().PkgPath() + ".(*guard)"

// panicStack is the stack of the panicking goroutine, called in the
// guard's deferred function, from where the panic happened up to the
// analyzer's Run: one line per call, innermost first,
//
//	at example.com/analyzer.helper (/src/analyzer/helper.go:42)
//
// without the runtime's panic machinery above it or the checker's frames
// below, which are the same for every panic.
func panicStack() string {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(3, pcs) // runtime.Callers, panicStack, the deferred function
	frames := runtime.CallersFrames(pcs[:n])
	var b strings.Builder
	top, count := true, 0
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, guardPrefix) {
			break
		}
		// gopanic, and sigpanic and panicmem for a nil dereference.
		if top && strings.HasPrefix(f.Function, "runtime.") {
			if more {
				continue
			}
			break
		}
		top = false
		if count == maxFrames {
			b.WriteString("\t…\n")
			break
		}
		fmt.Fprintf(&b, "\tat %s (%s:%d)\n", f.Function, f.File, f.Line)
		count++
		if !more {
			break
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}
