package verifierexposed

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
	"github.com/pkcevet/pkcevet/rules"
)

var rule = rules.MustGet("PKCE007")

// Analyzer reports code verifiers written to logs, HTTP responses and the
// front channel.
var Analyzer = &analysis.Analyzer{
	Name:     rule.Analyzer,
	Doc:      rule.Doc(),
	URL:      rule.URL(),
	Requires: []*analysis.Analyzer{pkce.Analyzer, pkce.ExposureAnalyzer},
	Run:      run,
}

// The shared policy: generated and _test.go files, //pkcevet:ignore.
func init() { pkce.UsePolicy(Analyzer) }

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[pkce.Analyzer].(*pkce.Flow)
	sums := pass.ResultOf[pkce.ExposureAnalyzer].(*pkce.ExposureSummaries)
	for _, e := range flow.Exposures(sums) {
		var related []analysis.RelatedInformation
		if e.ErrorAt.IsValid() {
			related = append(related, analysis.RelatedInformation{Pos: e.ErrorAt, Message: "the error made from the verifier"})
		}
		if e.SourcePos.IsValid() && e.SourcePos != e.Range.Pos() {
			related = append(related, analysis.RelatedInformation{Pos: e.SourcePos, Message: "the verifier: " + e.Source})
		}
		pkce.ReportFix(pass, e.Range, rule.ID, message(e), slogFix(pass, e), related...)
	}
	return nil, nil
}

// message says what is exposed, where, and what to do instead.
func message(e pkce.Exposure) string {
	what := "code verifier"
	switch {
	case e.Field != "":
		what = "struct holding the code verifier (field " + e.Field + ")"
	case e.ErrorAt.IsValid():
		what = "error carrying the code verifier"
	case e.How != "":
		what = "code verifier, made into text by " + e.How + ","
	}
	switch e.Kind {
	case pkce.ExposedLog:
		return fmt.Sprintf("%s written to a log by %s; log that it is set, its length or a hash, never the verifier itself", what, e.API)
	case pkce.ExposedResponse:
		return fmt.Sprintf("%s written to an HTTP response by %s; keep the verifier out of responses and error messages", what, e.API)
	default:
		return fmt.Sprintf("%s sent on the front channel as %s; send only its S256 challenge to the authorization endpoint, and the verifier only in the token request", what, e.API)
	}
}

// slogFix removes the key-value pair or attribute of a log/slog call that
// carries the verifier itself. The rest of the log line is kept.
func slogFix(pass *analysis.Pass, e pkce.Exposure) []analysis.SuggestedFix {
	from, to, ok := e.SlogArgs(pass.TypesInfo)
	if !ok {
		return nil
	}
	args := e.Call.Args
	edit := analysis.TextEdit{Pos: args[from].Pos(), End: args[to].End()}
	switch {
	case from > 0:
		edit.Pos = args[from-1].End()
	case to+1 < len(args):
		edit.End = args[to+1].Pos()
	}
	return pkce.Fix("Remove the code verifier from the log call", edit)
}
