package driver

import (
	"cmp"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/pkcevet/pkcevet/rules"
)

// ForVet makes the rule analyzers that go vet mode runs end each message
// with its rule ID, "… (PKCE003)", as the binary's text output does: go
// vet prints only the message, and the ID is what a //pkcevet:ignore
// directive needs. The binary's JSON and SARIF, and the other drivers
// (golangci-lint, nogo), carry the ID in fields of their own and are not
// affected.
//
// The analyzers given must be Guard's copies: their Run is replaced in
// place (the package-level analyzers belong to other drivers too), so
// that the graph still has one analyzer per name. It returns them.
func ForVet(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	for _, a := range analyzers {
		id := a.Name
		if rule, ok := rules.Get(a.Name); ok {
			id = rule.ID
		}
		run := a.Run
		a.Run = func(pass *analysis.Pass) (any, error) {
			inner := *pass
			inner.Report = func(d analysis.Diagnostic) {
				d.Message = withRuleID(d.Message, cmp.Or(d.Category, id))
				pass.Report(d)
			}
			return run(&inner)
		}
	}
	return analyzers
}

// withRuleID appends " (id)" to a diagnostic message, once.
func withRuleID(msg, id string) string {
	suffix := " (" + id + ")"
	if strings.HasSuffix(msg, suffix) {
		return msg
	}
	return msg + suffix
}
