package driver

import (
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/pkcevet/pkcevet/rules"
)

// ForVet returns copies of the rule analyzers for go vet (unitchecker)
// whose diagnostics go through the standalone driver's filters, as far as
// one package at a time allows: nothing is reported in generated files, a
// //pkcevet:ignore directive drops the findings it covers (go vet has no
// place for a suppressed finding), and a directive without a reason, or
// that suppresses nothing, is reported under the rule it names. Unknown
// rule names in directives are not reported: vet has no failure channel
// but the package's error, and they suppress nothing anyway. _test.go files
// are analysed when go vet includes them, which it does by default.
//
// The analyzers given should be Guard's copies; their Requires are kept.
func ForVet(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(analyzers))
	for i, a := range analyzers {
		c := new(analysis.Analyzer)
		*c = *a
		c.Run = vetRun(a)
		out[i] = c
	}
	return out
}

func vetRun(a *analysis.Analyzer) func(*analysis.Pass) (any, error) {
	run := a.Run
	return func(pass *analysis.Pass) (any, error) {
		rule, ok := rules.Get(a.Name)
		if !ok {
			return run(pass)
		}
		var diags []analysis.Diagnostic
		inner := *pass
		inner.Report = func(d analysis.Diagnostic) { diags = append(diags, d) }
		result, err := run(&inner)
		if err != nil {
			return result, err
		}

		generated := make(map[string]bool)
		dirs := newDirectives()
		for _, f := range pass.Files {
			if ast.IsGenerated(f) {
				generated[pass.Fset.File(f.FileStart).Name()] = true
				continue
			}
			dirs.addFile(pass.Fset, f)
		}
		for _, d := range diags {
			pos := pass.Fset.Position(d.Pos)
			if generated[pos.Filename] {
				continue
			}
			id := d.Category
			if id == "" {
				id = rule.ID
			}
			if dirs.suppress(pos.Filename, pos.Line, id) != nil {
				continue
			}
			pass.Report(d)
		}
		for _, p := range dirs.problems(func(_, r string) bool { return r == rule.ID }) {
			if p.Rule == rule.ID {
				pass.Report(analysis.Diagnostic{Pos: p.TPos, End: p.TEnd, Category: rule.ID, Message: p.Message})
			}
		}
		return result, nil
	}
}
