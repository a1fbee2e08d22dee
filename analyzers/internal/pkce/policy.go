package pkce

import (
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/pkcevet/pkcevet/rules"
)

// The policy is what every driver must apply the same way to what a rule
// analyzer reports: nothing in generated files, nothing in _test.go files
// unless the analyzer's -test flag is set, and //pkcevet:ignore directives.
// It lives in the analyzers, not in a driver, so that the pkcevet binary,
// go vet -vettool, go fix -fixtool, golangci-lint and Bazel nogo report the
// same set. UsePolicy installs it; it holds no state outside one pass.

// FlagTests is the name of the bool flag UsePolicy gives each rule
// analyzer: set, it reports findings in _test.go files too.
const FlagTests = "test"

// FlagMark is the name of a bool flag that only the pkcevet binary sets,
// on its own copies of the analyzers (it is not registered on the
// analyzers themselves). Set, the policy reports a suppressed finding
// instead of dropping it, with a last Related entry whose message starts
// with MarkSuppressed followed by the directive's reason, and reports a
// directive that names no rule, or a name that is no rule, as a diagnostic
// with Category CategoryBadDirective (the binary makes both exit status 2
// failures: such a directive can be attached to no rule). Without it those
// directives suppress nothing and are not reported: go vet and the other
// drivers have no channel for a problem that belongs to no rule.
const FlagMark = "pkcevet.mark"

// MarkSuppressed starts the message of the Related entry that marks a
// suppressed finding under FlagMark; the reason follows it.
const MarkSuppressed = "suppressed by //pkcevet:ignore: "

// CategoryBadDirective is the Category of a malformed directive reported
// under FlagMark.
const CategoryBadDirective = "pkcevet:directive"

// directivePrefix starts a suppression comment:
//
//	//pkcevet:ignore PKCE003,PKCE004 reason the finding is safe
//
// Like //go: and //nolint: directives it has no space after the slashes.
const directivePrefix = "//pkcevet:ignore"

// UsePolicy gives a rule analyzer the policy: it registers the -test flag
// (FlagTests) on a.Flags and wraps a.Run so that what the analyzer reports
// goes through the policy. Each rule analyzer calls it once, from its
// package's init; a must be named after its rule (rules.Get(a.Name)).
func UsePolicy(a *analysis.Analyzer) {
	rule := rules.MustGet(a.Name)
	a.Flags.Bool(FlagTests, false, "also report findings in _test.go files")
	run := a.Run
	a.Run = func(pass *analysis.Pass) (any, error) {
		return runPolicy(pass, rule.ID, run)
	}
}

// FlagSet reports whether the bool flag name of a is set. Rules read their
// flags this way, from the pass's analyzer, so that a driver that copies
// an analyzer with its own flag set (analyzers.Configure) is obeyed.
func FlagSet(a *analysis.Analyzer, name string) bool { return flagSet(a, name) }

// flagSet reports whether the bool flag name of a is set.
func flagSet(a *analysis.Analyzer, name string) bool {
	f := a.Flags.Lookup(name)
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	b, _ := g.Get().(bool)
	return b
}

// runPolicy runs the analyzer with a Report that applies the policy, then
// reports the directives of ruleID that have no reason or suppressed
// nothing. The flags are read from pass.Analyzer, so a driver's copy of
// an analyzer with its own FlagSet has its own settings.
func runPolicy(pass *analysis.Pass, ruleID string, run func(*analysis.Pass) (any, error)) (any, error) {
	tests := flagSet(pass.Analyzer, FlagTests)
	mark := flagSet(pass.Analyzer, FlagMark)

	skip := make(map[*token.File]bool)
	var dirs []*directive
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.FileStart)
		if tf == nil {
			continue
		}
		if ast.IsGenerated(f) && !cgoOutput(f) || !tests && strings.HasSuffix(tf.Name(), "_test.go") {
			skip[tf] = true
			continue
		}
		dirs = append(dirs, fileDirectives(pass.Fset, f)...)
	}

	fileOf := func(pos token.Pos) *ast.File {
		for _, f := range pass.Files {
			if f.FileStart <= pos && pos < f.FileEnd {
				return f
			}
		}
		return nil
	}

	inner := *pass
	inner.Report = func(d analysis.Diagnostic) {
		tf := pass.Fset.File(d.Pos)
		if tf != nil && skip[tf] {
			return
		}
		if tests && tf != nil && strings.HasSuffix(tf.Name(), "_test.go") {
			if f := fileOf(d.Pos); f != nil && refusalFixture(pass.TypesInfo, f, d.Pos) {
				return // a case that expects the request to be refused
			}
		}
		id, _, hasLevel := strings.Cut(d.Category, LevelSep)
		if id == "" {
			id = ruleID
		}
		// The binary reads a finding's own level from the category;
		// other drivers see the rule ID alone.
		if hasLevel && !mark {
			d.Category = id
		}
		// Every driver prints the message; the ID is what a directive
		// names, so the message carries it (rules.WithID).
		d.Message = rules.WithID(d.Message, id)
		if tf != nil {
			line := tf.Line(d.Pos)
			for _, dir := range dirs {
				if dir.file == tf && dir.Covers(id, line) {
					dir.used[id] = true
					if mark {
						d.Related = append(d.Related[:len(d.Related):len(d.Related)], analysis.RelatedInformation{
							Pos: dir.Pos, End: dir.End, Message: MarkSuppressed + dir.Reason,
						})
						pass.Report(d)
					}
					return
				}
			}
		}
		pass.Report(d)
	}
	var result any
	var err error
	if flow, ok := pass.ResultOf[Analyzer].(*Flow); !ok || flow.Relevant {
		result, err = run(&inner)
	}
	if err != nil {
		return result, err
	}

	for _, dir := range dirs {
		if mark {
			for _, name := range dir.Unknown {
				pass.Report(analysis.Diagnostic{Pos: dir.Pos, End: dir.End, Category: CategoryBadDirective,
					Message: fmt.Sprintf("unknown rule %q in //pkcevet:ignore directive; name rules by ID, %s to %s", name, rules.All()[0].ID, rules.All()[len(rules.All())-1].ID)})
			}
			if len(dir.Rules) == 0 && len(dir.Unknown) == 0 {
				pass.Report(analysis.Diagnostic{Pos: dir.Pos, End: dir.End, Category: CategoryBadDirective,
					Message: "//pkcevet:ignore directive names no rule; write //pkcevet:ignore PKCE00N <why the finding is safe>"})
			}
		}
		for _, r := range dir.Rules {
			if r != ruleID {
				continue
			}
			switch {
			case dir.Reason == "":
				pass.Report(analysis.Diagnostic{Pos: dir.Pos, End: dir.End, Category: ruleID,
					Message: rules.WithID(fmt.Sprintf("//pkcevet:ignore directive for %s gives no reason and suppresses nothing; write //pkcevet:ignore %s <why the finding is safe>", r, r), ruleID)})
			case !dir.used[r]:
				pass.Report(analysis.Diagnostic{Pos: dir.Pos, End: dir.End, Category: ruleID,
					Message: rules.WithID(fmt.Sprintf("unused //pkcevet:ignore directive for %s: no %s finding here; remove it", r, r), ruleID)})
			}
		}
	}
	return result, nil
}

// A directive is one //pkcevet:ignore comment.
//
// It covers the line it ends when code precedes it on that line (a trailing
// comment), else the statement, declaration or other syntax node that starts
// on the line after its comment group (the node's whole extent: a directive
// above a function covers the function). A directive followed by a blank
// line, or by nothing, covers nothing.
//
// A directive with no reason suppresses nothing and is reported by the
// analyzer of each rule it names ("gives no reason"); one with a reason
// that suppresses no finding of a rule it names is reported by that rule's
// analyzer ("unused"), so only when that analyzer ran on the package. These
// reports count like any finding of the rule, so a stale suppression fails
// CI until it is removed; they cannot themselves be suppressed.
type directive struct {
	Pos, End token.Pos // of the comment
	Rules    []string  // IDs of the rules named, in order
	Unknown  []string  // names that are no rule
	Reason   string
	From, To int // lines covered; To == 0: none

	file *token.File
	used map[string]bool // rule ID → suppressed something
}

// Covers reports whether the directive suppresses a finding of rule at
// line of its file.
func (d *directive) Covers(rule string, line int) bool {
	if d.Reason == "" || d.To == 0 || line < d.From || line > d.To {
		return false
	}
	for _, r := range d.Rules {
		if r == rule {
			return true
		}
	}
	return false
}

// parseDirective parses the text of a comment; ok is false when it is no
// pkcevet:ignore directive.
func parseDirective(text string) (d *directive, ok bool) {
	rest, ok := strings.CutPrefix(text, directivePrefix)
	if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return nil, false
	}
	d = &directive{used: make(map[string]bool)}
	fields := strings.Fields(rest)
	// The rule list ends at the first field that does not end with a
	// comma, so "PKCE003, PKCE004 reason" names two rules.
	n := 0
	for n < len(fields) {
		n++
		if !strings.HasSuffix(fields[n-1], ",") {
			break
		}
	}
	for _, name := range strings.Split(strings.Join(fields[:n], ""), ",") {
		if name == "" {
			continue
		}
		if r, ok := rules.Get(name); ok {
			d.Rules = append(d.Rules, r.ID)
		} else {
			d.Unknown = append(d.Unknown, name)
		}
	}
	d.Reason = strings.Join(fields[n:], " ")
	return d, true
}

// fileDirectives returns the directives of one parsed file (which must have
// been parsed with comments), with the lines each covers.
func fileDirectives(fset *token.FileSet, f *ast.File) []*directive {
	var ds []*directive
	var comments []*ast.Comment    // the comment of each directive
	var groups []*ast.CommentGroup // and its group
	for _, g := range f.Comments {
		for _, c := range g.List {
			if d, ok := parseDirective(c.Text); ok {
				d.Pos, d.End = c.Pos(), c.End()
				d.file = fset.File(c.Pos())
				ds = append(ds, d)
				comments = append(comments, c)
				groups = append(groups, g)
			}
		}
	}
	if len(ds) == 0 {
		return nil
	}

	// For each line: the first node starting on it (and of the nodes
	// starting there, the one that ends last: the outermost), and the
	// earliest position at which a node starts or ends on it, which
	// tells a trailing comment from one on a line of its own.
	type span struct{ pos, end token.Pos }
	first := make(map[int]span)
	code := make(map[int]token.Pos)
	mark := func(line int, p token.Pos) {
		if q, ok := code[line]; !ok || p < q {
			code[line] = p
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n.(type) {
		case nil, *ast.File, *ast.CommentGroup, *ast.Comment:
			return n != nil
		}
		pos, end := n.Pos(), n.End()
		if !pos.IsValid() || !end.IsValid() {
			return true
		}
		line := fset.Position(pos).Line
		if s, ok := first[line]; !ok || pos < s.pos || pos == s.pos && end > s.end {
			first[line] = span{pos, end}
		}
		mark(line, pos)
		mark(fset.Position(end).Line, end)
		return true
	})
	// The package clause is no node of its own.
	mark(fset.Position(f.Package).Line, f.Package)

	for i, d := range ds {
		line := fset.Position(d.Pos).Line
		if p, ok := code[line]; ok && p <= comments[i].Pos() {
			d.From, d.To = line, line
			continue
		}
		if s, ok := first[fset.Position(groups[i].End()).Line+1]; ok {
			d.From, d.To = fset.Position(s.pos).Line, fset.Position(s.end).Line
		}
	}
	return ds
}

// cgoOutput reports whether f is cgo's translation of a user's file: it
// says "Code generated by cmd/cgo", but its //line directives put every
// finding in the user's own source, which is not generated.
func cgoOutput(f *ast.File) bool {
	for _, c := range f.Comments {
		if c.Pos() >= f.Package {
			break
		}
		if strings.Contains(c.Text(), "Code generated by cmd/cgo") {
			return true
		}
	}
	return false
}

// HasDirective reports whether a comment of f is a //pkcevet:ignore
// directive, as the policy reads them (well-formed or not).
func HasDirective(f *ast.File) bool {
	for _, g := range f.Comments {
		for _, c := range g.List {
			if _, ok := parseDirective(c.Text); ok {
				return true
			}
		}
	}
	return false
}
