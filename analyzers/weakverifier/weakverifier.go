package weakverifier

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
	"github.com/pkcevet/pkcevet/rules"
)

var rule = rules.MustGet("PKCE003")

// Analyzer reports code verifiers that are constant, predictable, UUIDs or
// too short.
var Analyzer = &analysis.Analyzer{
	Name:     rule.Analyzer,
	Doc:      rule.Doc(),
	URL:      rule.URL(),
	Requires: []*analysis.Analyzer{pkce.Analyzer},
	Run:      run,
}

// The shared policy: generated and _test.go files, //pkcevet:ignore.
func init() { pkce.UsePolicy(Analyzer) }

// minBits is the randomness RFC 7636 §7.1 asks of a verifier: 32 octets.
const minBits = 256

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[pkce.Analyzer].(*pkce.Flow)
	kinds := []pkce.SinkKind{pkce.VerifierSink, pkce.ChallengeSink}
	// A verifier read back from a verifier field was judged where it was
	// stored into that field.
	// So was one made by a verifier API of this package.
	readBack := func(sink pkce.Sink) bool {
		f := pkce.FieldLoad(sink.Value)
		return f != nil && pkce.IsVerifierField(f, "") || flow.FromVerifierAPI(sink.Value)
	}
	judge := func(o pkce.Origin) string { return weakness(pass, o) }
	flow.EachWeakUse(kinds, readBack, judge, func(sink pkce.Sink, origin pkce.Origin, msg string) {
		format := "code verifier used in %s %s"
		if sink.Kind == pkce.ChallengeSink {
			// A challenge is a hash of its verifier: exactly as
			// guessable.
			format = "code challenge sent in %s is made from a verifier that %s"
		}
		pkce.ReportFix(pass, sink.Range, rule.ID, fmt.Sprintf(format, sink.API, msg), fixInPlace(pass, flow, sink, origin), origin.Related(pass, "the verifier's source")...)
	})
	if flow.Relevant {
		checkServerLength(pass, flow.Server())
	}
	return nil, nil
}

// fixInPlace replaces a verifier made in place by math/rand, time, the pid
// or a UUID, as the direct argument of oauth2.S256ChallengeOption or
// VerifierOption, with oauth2.GenerateVerifier(). A verifier held in a
// variable is also sent at the other end of the flow (the challenge here,
// the exchange there): both must change together, which is not one edit,
// so it gets no fix; nor does a constant, or an expression that another
// verifier use repeats (time.Now().Format(…) twice gives the same value).
func fixInPlace(pass *analysis.Pass, flow *pkce.Flow, sink pkce.Sink, origin pkce.Origin) []analysis.SuggestedFix {
	if origin.Kind != pkce.Predictable && origin.Kind != pkce.UUID {
		return nil
	}
	if sink.API != "oauth2.S256ChallengeOption" && sink.API != "oauth2.VerifierOption" {
		return nil
	}
	arg, ok := sink.Range.(ast.Expr)
	if !ok {
		return nil
	}
	if _, ok := astutil.Unparen(arg).(*ast.CallExpr); !ok || !pkce.MadeInPlace(pass, arg) {
		return nil
	}
	if p := origin.SourcePos; !p.IsValid() || p < arg.Pos() || p >= arg.End() {
		return nil
	}
	call, _, file := pkce.ArgOf(pass, arg)
	if call == nil {
		return nil
	}
	q, ok := pkce.Qualifier(pass.TypesInfo, call)
	if !ok {
		return nil
	}
	text := types.ExprString(arg)
	for _, other := range flow.Sinks {
		if e, ok := other.Range.(ast.Expr); ok && e != arg && (other.Kind == pkce.VerifierSink || other.Kind == pkce.ChallengeSink) && types.ExprString(e) == text {
			return nil
		}
	}
	edits := []analysis.TextEdit{{Pos: arg.Pos(), End: arg.End(), NewText: []byte(q + "GenerateVerifier()")}}
	edits = append(edits, pkce.DropImports(pass, file, arg)...)
	return pkce.Fix("Generate the verifier with oauth2.GenerateVerifier()", edits...)
}

// weakness describes what is wrong with a verifier of this origin and how
// to fix it, or returns "" when nothing is.
func weakness(pass *analysis.Pass, o pkce.Origin) string {
	const fix = "generate it with oauth2.GenerateVerifier()"
	where := o.Where(pass)
	if where != "" {
		where = " (" + where + ")"
	}
	switch o.Kind {
	case pkce.Constant:
		if o.Empty {
			return "is empty; " + fix
		}
		if o.Fallback {
			return "is " + o.Source + " whenever no other verifier is given, the same for every flow that falls back to it; " + fix + ", or refuse to go on without one"
		}
		return "is " + o.Source + ", the same for every flow; " + fix
	case pkce.Predictable:
		return "comes from " + o.Source + where + ", which an attacker can predict; " + fix
	case pkce.UUID:
		return "is a UUID from " + o.Source + where + ": 122 random bits in a fixed format, not the 32 random bytes RFC 7636 asks for; " + fix
	case pkce.Random:
		if o.Vetted != "" {
			return ""
		}
		bits, ok := o.FixedBits()
		if !ok || bits >= minBits-1 { // -1: 43 characters of a 62-letter alphabet are 255.9 bits
			return ""
		}
		return fmt.Sprintf("carries only %.0f bits of randomness (%s%s), less than the 256 RFC 7636 asks for; %s", bits, o.Source, where, fix)
	}
	return ""
}
