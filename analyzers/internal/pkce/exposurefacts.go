package pkce

import (
	"fmt"
	"go/types"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// ExposureAnalyzer summarises, for every function of every package, which
// parameters reach a log, an HTTP response or the front channel, and which
// results they are returned in (ExposureFact), so that PKCE007 judges a
// call of a logging or response helper of another package — a package with
// no mark of OAuth code, which pkceflow does not examine — as it judges a
// call of the sink the helper wraps. Its result is the package's own
// summaries, for Flow.Exposures.
var ExposureAnalyzer = &analysis.Analyzer{
	Name:       "pkceexposure",
	Doc:        "pkceexposure summarises which parameters of each function reach a log, an HTTP response or the front channel, for the pkcevet rules (it reports nothing)",
	URL:        "https://github.com/pkcevet/pkcevet",
	Requires:   []*analysis.Analyzer{Analyzer},
	Run:        runExposure,
	FactTypes:  []analysis.Fact{new(ExposureFact)},
	ResultType: reflect.TypeOf(new(ExposureSummaries)),
}

// ExposureFact says what a function does with those of its parameters
// that reach an exposure sink or a result. Argument indices count a
// method's receiver as argument 0, as CallFact's do.
type ExposureFact struct {
	Params []ParamExposure
}

// AFact marks ExposureFact as an analysis.Fact.
func (*ExposureFact) AFact() {}

func (f *ExposureFact) String() string {
	var parts []string
	for _, p := range f.Params {
		for _, h := range p.Hits {
			parts = append(parts, fmt.Sprintf("arg%d→%s", p.Arg, h.API))
		}
		for _, r := range p.Results {
			parts = append(parts, fmt.Sprintf("arg%d→result%d", p.Arg, r.Index))
		}
	}
	return "exposes(" + strings.Join(parts, ", ") + ")"
}

// ExposureSummaries is ExposureAnalyzer's result: the summaries of the
// package's functions and those imported, read by Flow.Exposures.
type ExposureSummaries struct {
	walk *exposureWalk
}

func runExposure(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[Analyzer].(*Flow)
	imported := make(map[*types.Func]*ExposureFact)
	for _, f := range pass.AllObjectFacts() {
		if fn, ok := f.Object.(*types.Func); ok {
			if fact, ok := f.Fact.(*ExposureFact); ok {
				imported[fn] = fact
			}
		}
	}
	x := newExposureWalk(flow, imported)
	x.summarise()
	for _, fn := range flow.Funcs {
		obj := declaredFunc(fn)
		if obj == nil {
			continue
		}
		var fact ExposureFact
		for _, p := range x.params[fn] {
			if len(p.Hits) > 0 || len(p.Results) > 0 {
				fact.Params = append(fact.Params, *p)
			}
		}
		if len(fact.Params) > 0 {
			pass.ExportObjectFact(obj, &fact)
		}
	}
	return &ExposureSummaries{walk: x}, nil
}
