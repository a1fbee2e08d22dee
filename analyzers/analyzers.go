// Package analyzers is the list of the pkcevet rule analyzers: the one
// list that the pkcevet binary (standalone and go vet mode), the
// golangci-lint plugin, the robustness harness and the benchmarks run.
//
// Every analyzer applies the same policy to what it reports, whichever
// driver runs it: nothing in generated files, nothing in _test.go files
// unless its -test flag is set, and //pkcevet:ignore directives (a
// directive without a reason, or that suppresses nothing, is reported by
// the analyzer of the rule it names).
package analyzers

import (
	"flag"
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/pkcevet/pkcevet/analyzers/codereplay"
	"github.com/pkcevet/pkcevet/analyzers/flowreuse"
	"github.com/pkcevet/pkcevet/analyzers/globalverifier"
	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
	"github.com/pkcevet/pkcevet/analyzers/missingchallenge"
	"github.com/pkcevet/pkcevet/analyzers/missingstate"
	"github.com/pkcevet/pkcevet/analyzers/plainmethod"
	"github.com/pkcevet/pkcevet/analyzers/redirecturi"
	"github.com/pkcevet/pkcevet/analyzers/timingcompare"
	"github.com/pkcevet/pkcevet/analyzers/verifierexposed"
	"github.com/pkcevet/pkcevet/analyzers/weakverifier"
)

// All returns the rule analyzers in rule-ID order, in a new slice. Each is
// named after its rule (rules.Get(a.Name)).
func All() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		missingchallenge.Analyzer, // PKCE001
		plainmethod.Analyzer,      // PKCE002
		weakverifier.Analyzer,     // PKCE003
		missingstate.Analyzer,     // PKCE004
		timingcompare.Analyzer,    // PKCE005
		globalverifier.Analyzer,   // PKCE006
		verifierexposed.Analyzer,  // PKCE007
		flowreuse.Analyzer,        // PKCE008
		redirecturi.Analyzer,      // PKCE009
		codereplay.Analyzer,       // PKCE010
	}
}

// FlagTests is the name of each rule analyzer's bool flag that makes it
// report findings in _test.go files too (go vet: -weakverifier.test).
const FlagTests = pkce.FlagTests

// Options are a driver's policy settings for Configure.
type Options struct {
	// Tests reports findings in _test.go files too, for every analyzer
	// (Configure also keeps an analyzer's own -test).
	Tests bool
	// Mark keeps suppressed findings, marked (see SuppressedBy), and
	// reports malformed directives under CategoryBadDirective, instead of
	// dropping both. The pkcevet binary sets it: its SARIF carries
	// suppressed results.
	Mark bool
}

// CategoryBadDirective is the Category of a diagnostic, reported only
// under Options.Mark, for a //pkcevet:ignore directive that names no rule
// or a name that is no rule.
const CategoryBadDirective = pkce.CategoryBadDirective

// SplitCategory returns the rule ID of a diagnostic's Category and the
// finding's own level ("warning"), when an analyzer configured with
// Options.Mark reported it below its rule's default level; level is ""
// otherwise.
func SplitCategory(category string) (id, level string) {
	id, level, _ = strings.Cut(category, pkce.LevelSep)
	return id, level
}

// Tests reports whether a's -test flag (FlagTests) is set.
func Tests(a *analysis.Analyzer) bool {
	f := a.Flags.Lookup(pkce.FlagTests)
	return f != nil && f.Value.String() == "true"
}

// Configure returns copies of the analyzers with their own flag sets, so
// that the options of one run do not change the package-level analyzers
// that other runs and drivers share. Other flags (timingcompare's -state)
// keep their values: the copies share them with the originals.
func Configure(as []*analysis.Analyzer, o Options) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(as))
	for i, a := range as {
		c := new(analysis.Analyzer)
		*c = *a
		c.Flags = *flag.NewFlagSet(a.Name, flag.ContinueOnError)
		a.Flags.VisitAll(func(f *flag.Flag) {
			if f.Name != pkce.FlagTests && f.Name != pkce.FlagMark {
				c.Flags.Var(f.Value, f.Name, f.Usage)
			}
		})
		c.Flags.Bool(pkce.FlagTests, o.Tests || Tests(a), "also report findings in _test.go files")
		if o.Mark {
			c.Flags.Bool(pkce.FlagMark, true, "keep suppressed findings, marked")
		}
		out[i] = c
	}
	return out
}

// SuppressedBy returns the reason of the //pkcevet:ignore directive that
// suppresses d, and d's other related locations, when d is a finding that
// an analyzer configured with Options.Mark kept and marked as suppressed.
func SuppressedBy(d analysis.Diagnostic) (reason string, related []analysis.RelatedInformation, ok bool) {
	n := len(d.Related)
	if n == 0 {
		return "", d.Related, false
	}
	reason, ok = strings.CutPrefix(d.Related[n-1].Message, pkce.MarkSuppressed)
	if !ok {
		return "", d.Related, false
	}
	return reason, d.Related[:n-1], true
}

// UsePolicy installs the policy on an analyzer named after a rule, as the
// rule analyzers do for themselves: it registers the -test flag and wraps
// a.Run. It is for drivers' tests that run stand-in analyzers.
func UsePolicy(a *analysis.Analyzer) { pkce.UsePolicy(a) }

// Relevant reports whether a package has a mark of OAuth or PKCE code: an
// import of golang.org/x/oauth2 or of a relevant package (importRelevant
// says which imports are), a name that speaks of a verifier, a challenge
// or PKCE, or a string that names a parameter of the code flow. Only
// such packages can hold a finding of a Gated analyzer; the others are
// still summarised for the relevant packages that import them. A driver
// that sees the whole import graph may leave out the packages that are
// neither relevant nor imported by one: their summaries reach no rule.
func Relevant(pkg *types.Package, info *types.Info, importRelevant func(*types.Package) bool) bool {
	return pkce.Marked(pkg, info, importRelevant)
}

// RelevantSyntax is Relevant read from syntax, before type-checking: it
// reports true whenever Relevant would on the type-checked package, and
// may where Relevant would not. importRelevant says whether the package
// an import path of the files names is relevant; constValues gives the
// values an expression may have when it is a constant that refers to
// other constants (nil when it cannot say). See pkce.MarkedSyntax.
func RelevantSyntax(files []*ast.File, importRelevant func(path string) bool, constValues func(ast.Expr) []string) bool {
	return pkce.MarkedSyntax(files, importRelevant, constValues)
}

// HasDirective reports whether a comment of f is a //pkcevet:ignore
// directive, which the gated analyzers check (one that suppresses
// nothing is a finding) wherever they run.
func HasDirective(f *ast.File) bool { return pkce.HasDirective(f) }

// OAuth2Path is the import path of golang.org/x/oauth2, whose importers
// are relevant and whose API the rules know.
const OAuth2Path = pkce.OAuth2Path

// Gated reports whether a reports findings only in Relevant packages, so
// that a driver may leave the others out: the analyzers that read the
// shared PKCE flow (it says whether the package is relevant, and they
// skip the others), and PKCE005's unless its -state flag is set. PKCE005
// runs everywhere, but without -state every comparison it reports has a
// mark of a relevant package on one side: a verifier or challenge name,
// a code_verifier or code_challenge parameter read, x/oauth2's
// S256ChallengeFromVerifier, or a function named for PKCE; state names
// and "state" parameters are no marks.
func Gated(a *analysis.Analyzer) bool {
	if a.Name == timingcompare.Analyzer.Name {
		f := a.Flags.Lookup("state")
		return f == nil || f.Value.String() != "true"
	}
	return slices.ContainsFunc(a.Requires, func(r *analysis.Analyzer) bool { return r.Name == pkce.Analyzer.Name })
}
