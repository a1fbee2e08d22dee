package driver

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"github.com/pkcevet/pkcevet/rules"
)

// directivePrefix starts a suppression comment:
//
//	//pkcevet:ignore PKCE003,PKCE004 reason the finding is safe
//
// Like //go: and //nolint: directives it has no space after the slashes.
const directivePrefix = "//pkcevet:ignore"

// A directive is one //pkcevet:ignore comment.
//
// It covers the line it ends when code precedes it on that line (a trailing
// comment), else the statement, declaration or other syntax node that starts
// on the line after its comment group (the node's whole extent: a directive
// above a function covers the function). A directive followed by a blank
// line, or by nothing, covers nothing.
//
// Problems with directives are reported as follows — the design rule is
// that a directive that names a rule answers to that rule, and one that
// names no rule is a configuration error:
//
//   - a directive with no reason suppresses nothing and is reported as a
//     finding of each rule it names, at the directive ("gives no reason");
//   - a directive with a reason that suppresses no finding of a rule it
//     names is reported as a finding of that rule ("unused"), but only when
//     that rule's analyzer ran on the file: not when it was turned off, or
//     the package did not type-check;
//   - a name that is no rule (PKCE009, a typo), or a directive that names
//     no rule at all, is a failure (exit status 2, like a bad flag): it can
//     be attached to no rule, and SARIF results must name one.
//
// These findings have the level of the rule they name and count for the
// exit status like any other, so a stale suppression fails CI until it is
// removed; they cannot themselves be suppressed.
type directive struct {
	tpos, tend token.Pos // of the comment
	pos, end   token.Position
	rules      []string // IDs of the rules named, in order
	unknown    []string // names that are no rule
	reason     string
	from, to   int             // lines covered; to == 0: none
	used       map[string]bool // rule ID → suppressed something
}

// covers reports whether the directive suppresses a finding of rule at line.
func (d *directive) covers(rule string, line int) bool {
	if d.reason == "" || d.to == 0 || line < d.from || line > d.to {
		return false
	}
	for _, r := range d.rules {
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
			d.rules = append(d.rules, r.ID)
		} else {
			d.unknown = append(d.unknown, name)
		}
	}
	d.reason = strings.Join(fields[n:], " ")
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
				d.tpos, d.tend = c.Pos(), c.End()
				d.pos, d.end = fset.Position(c.Pos()), fset.Position(c.End())
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
		if p, ok := code[d.pos.Line]; ok && p <= comments[i].Pos() {
			d.from, d.to = d.pos.Line, d.pos.Line
			continue
		}
		if s, ok := first[fset.Position(groups[i].End()).Line+1]; ok {
			d.from, d.to = fset.Position(s.pos).Line, fset.Position(s.end).Line
		}
	}
	return ds
}

// directives holds the directives of the files of a run and matches
// findings against them.
type directives struct {
	byFile map[string][]*directive
}

func newDirectives() *directives {
	return &directives{byFile: make(map[string][]*directive)}
}

// addFile adds the directives of f, once: with -test a file is part of
// two packages (p and p [p.test]).
func (s *directives) addFile(fset *token.FileSet, f *ast.File) {
	name := fset.File(f.FileStart).Name()
	if _, ok := s.byFile[name]; ok {
		return
	}
	s.byFile[name] = fileDirectives(fset, f)
}

// suppress returns the directive that covers a finding of rule at
// file:line, and marks it used; nil when none does.
func (s *directives) suppress(file string, line int, rule string) *directive {
	for _, d := range s.byFile[file] {
		if d.covers(rule, line) {
			d.used[rule] = true
			return d
		}
	}
	return nil
}

// A directiveProblem is a malformed or unused directive. Rule is the rule
// it is reported under; "" makes it a failure.
type directiveProblem struct {
	TPos, TEnd token.Pos
	Pos, End   token.Position
	Rule       string
	Message    string
}

// problems lists the directives' problems once every finding has been
// matched. analysed says whether a rule's analyzer ran on a file: if it did
// not, an unused directive of that rule cannot be told from a used one.
func (s *directives) problems(analysed func(file, rule string) bool) []directiveProblem {
	var out []directiveProblem
	for file, ds := range s.byFile {
		for _, d := range ds {
			add := func(rule, format string, args ...any) {
				out = append(out, directiveProblem{TPos: d.tpos, TEnd: d.tend, Pos: d.pos, End: d.end, Rule: rule, Message: fmt.Sprintf(format, args...)})
			}
			for _, name := range d.unknown {
				add("", "unknown rule %q in //pkcevet:ignore directive; name rules by ID, PKCE001 to PKCE%03d", name, len(rules.All()))
			}
			if len(d.rules) == 0 && len(d.unknown) == 0 {
				add("", "//pkcevet:ignore directive names no rule; write //pkcevet:ignore PKCE00N <why the finding is safe>")
			}
			for _, rule := range d.rules {
				switch {
				case d.reason == "":
					add(rule, "//pkcevet:ignore directive for %s gives no reason and suppresses nothing; write //pkcevet:ignore %s <why the finding is safe>", rule, rule)
				case !d.used[rule] && analysed(file, rule):
					add(rule, "unused //pkcevet:ignore directive for %s: no %s finding here; remove it", rule, rule)
				}
			}
		}
	}
	return out
}
