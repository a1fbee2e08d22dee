// Package driver runs the pkcevet analyzers over packages named by go
// patterns and turns what they report into a report.Report: it loads,
// runs golang.org/x/tools/go/analysis/checker, filters and de-duplicates
// diagnostics. It holds no analysis logic, nor the policy on generated
// files, _test.go files and //pkcevet:ignore directives: the analyzers
// apply that themselves (see package analyzers), and Run configures them
// to keep suppressed findings, marked, for the report.
package driver

import (
	"context"
	"fmt"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/pkcevet/pkcevet/analyzers"
	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/report"
	"github.com/pkcevet/pkcevet/rules"
)

// Config says what to analyse and how.
type Config struct {
	// Analyzers are the rule analyzers to run, each named after its rule
	// (rules.Get(a.Name)). Run guards them against panics itself.
	Analyzers []*analysis.Analyzer
	Patterns  []string // go package patterns; none means ./...
	Dir       string   // directory to run in; "" is the current one
	Tests     bool     // analyse _test.go files too
	Stacks    bool     // add the stack to the error of an analyzer that panicked
	Version   string   // pkcevet version, for the report
	// Progress, if not nil, is told what the run is doing (see Progress).
	Progress *Progress
	// All type-checks every package the patterns match, as go vet does.
	// Without it, Run lists the packages and reads their syntax first,
	// and type-checks only the ones that can hold a finding or feed one
	// (see selectRelevant): the findings are the same, but the type
	// errors of the packages left out are not reported. An analyzer that
	// is not gated (analyzers.Gated: -timingcompare.state) implies All.
	All bool
	// Cache is the directory of the result cache (see cache.go); ""
	// turns it off.
	Cache string
}

// Run analyses the packages and returns the report. Problems that make the
// scan incomplete — a package that does not load or type-check, a pattern
// that matches nothing, an analyzer error — are report failures; the other
// packages are still analysed. The error is for a run that could not
// start at all (go list failing, no go.mod).
func Run(ctx context.Context, cfg Config) (*report.Report, error) {
	dir := cfg.Dir
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		dir = wd
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	patterns := cfg.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	r := &report.Report{Version: cfg.Version, Root: dir, WorkDir: dir}

	if err := checkGoVersion(dir); err != nil {
		return nil, err
	}
	// -weakverifier.test and the like need the test files loaded too.
	tests := cfg.Tests || slices.ContainsFunc(cfg.Analyzers, analyzers.Tests)
	defer cfg.Progress.Stop()
	all := cfg.All || len(ungated(cfg.Analyzers)) > 0
	var ls *listing
	var cache *resultCache
	if cfg.Cache != "" && !all {
		if ls, err = listPackages(ctx, dir, patterns, tests, cfg.Progress); err != nil {
			return nil, err
		}
		if ls != nil {
			var why string
			if cache, why = openCache(ctx, dir, cfg, patterns, tests, ls); cache == nil {
				cfg.Progress.Note("result cache not used: " + why)
			} else if e, ok := cache.get(); ok {
				e.Summary.Cached = true
				cfg.Progress.Finish(e.Summary)
				return e.Report, nil
			}
		}
	}
	l, err := loadSelected(ctx, dir, patterns, tests, all, ls, cfg.Progress)
	if err != nil {
		return nil, err
	}
	r.Failures = append(r.Failures, l.failures...)
	r.Root = moduleRoot(dir, l.mainDirs)
	r.Scanned = packageDirs(l.roots, l.reported)
	if len(l.roots) == 0 || len(cfg.Analyzers) == 0 {
		r.Sort()
		summary := summarize([]analysisRun{{nil, l.roots}}, l.reported)
		summary.LeftOut += l.leftOut
		finish(r, summary, cache, cfg.Progress)
		return r, nil
	}

	guarded := Guard(analyzers.Configure(cfg.Analyzers, analyzers.Options{Tests: cfg.Tests, Mark: true}), cfg.Stacks)
	ruleOf := make(map[*analysis.Analyzer]*rules.Rule) // the rule each analyzer checks
	for _, a := range guarded {
		rule, ok := rules.Get(a.Name)
		if !ok {
			return nil, fmt.Errorf("analyzer %s has no rule", a.Name)
		}
		ruleOf[a] = rule
	}
	// Every analyzer runs on the roots that can hold a PKCE finding or
	// feed one; on the others only the analyzers that are not gated run
	// (see splitRoots).
	runs := []analysisRun{{guarded, l.roots}}
	if all, rest := splitRoots(l.roots); len(rest) > 0 {
		runs = []analysisRun{{guarded, all}, {ungated(guarded), rest}}
	}
	summary := summarize(runs, l.reported)
	summary.LeftOut += l.leftOut
	if cfg.Progress != nil {
		countAnalysed(runs, l.reported, cfg.Progress)
	}

	c := &collector{
		seen:   make(map[findingKey]bool),
		failed: make(map[string]bool),
	}
	for _, run := range runs {
		if len(run.analyzers) == 0 || len(run.roots) == 0 {
			continue
		}
		graph, err := checker.Analyze(run.analyzers, run.roots, &checker.Options{})
		if err != nil {
			return nil, err
		}
		for act := range graph.All() {
			c.actionError(act)
		}
		for _, act := range graph.Roots {
			if l.reported[act.Package] {
				c.prerequisiteError(act)
				c.diagnostics(act, ruleOf[act.Analyzer])
			}
		}
	}
	r.Findings = c.findings
	r.Failures = append(r.Failures, c.failures...)
	r.Sort()
	summary.Findings = r.Unsuppressed()
	finish(r, summary, cache, cfg.Progress)
	return r, nil
}

// finish ends a run that was not in the result cache: it stores the
// report in the cache, if the run has a place there, and prints the done
// line. A cache that cannot be written costs the next run its speed, not
// this one its report: the error is a progress note.
func finish(r *report.Report, s Summary, cache *resultCache, progress *Progress) {
	if cache != nil {
		if err := cache.put(r, s); err != nil {
			progress.Note("result cache not written: " + err.Error())
		}
	}
	progress.Finish(s)
}

// summarize counts the packages the patterns matched (reported), a
// package and its test variants as one: those an analyzer runs on
// (analysed), those no analyzer runs on (left out: see splitRoots), and
// the rest, which have errors (the failures say so). progress's
// "analysing" total is the first count.
func summarize(runs []analysisRun, reported map[*packages.Package]bool) Summary {
	const (
		failed = iota
		leftOut
		analysed
	)
	state := make(map[string]int)
	for _, r := range runs {
		for _, p := range r.roots {
			if !reported[p] {
				continue
			}
			path, st := underTest(p), failed
			switch {
			case analysable(p, r):
				st = analysed
			case len(r.analyzers) == 0:
				st = leftOut
			}
			state[path] = max(state[path], st)
		}
	}
	var s Summary
	for _, st := range state {
		switch st {
		case analysed:
			s.Analysed++
		case leftOut:
			s.LeftOut++
		default:
			s.Failed++
		}
	}
	return s
}

// analysable reports whether the run's analyzers run on p: the checker
// does not run them on an ill-typed package.
func analysable(p *packages.Package, r analysisRun) bool {
	return !p.IllTyped && p.Types != nil && len(r.analyzers) > 0
}

// analysisRun is a set of analyzers to run on a set of roots.
type analysisRun struct {
	analyzers []*analysis.Analyzer
	roots     []*packages.Package
}

// countAnalysed starts the "analysing" phase of progress and makes the
// analyzers (Guard's copies, modified in place) count a package as done
// when the last of the runs' analyzers has run on it and on its test
// variants. It counts the packages the patterns matched (reported) that
// an analyzer runs on: the total is Summary.Analysed. (The packages left
// out, which no analyzer runs on, are Summary.LeftOut; the packages
// analysed only for their facts are in neither.) The ill-typed ones are
// not in the total either: the checker does not run the analyzers on them.
func countAnalysed(runs []analysisRun, reported map[*packages.Package]bool, progress *Progress) {
	pathOf := make(map[*types.Package]string)
	left := make(map[string]int) // runs still to come, per package path
	var wrap []*analysis.Analyzer
	for _, r := range runs {
		for _, p := range r.roots {
			if reported[p] && analysable(p, r) {
				pathOf[p.Types] = underTest(p)
				left[underTest(p)] += len(r.analyzers)
			}
		}
		for _, a := range r.analyzers {
			if !slices.Contains(wrap, a) {
				wrap = append(wrap, a)
			}
		}
	}
	progress.Phase("analysing", len(left))
	var mu sync.Mutex
	for _, a := range wrap {
		run := a.Run
		a.Run = func(pass *analysis.Pass) (any, error) {
			defer func() {
				mu.Lock()
				path, ok := pathOf[pass.Pkg]
				if ok {
					left[path]--
				}
				done := ok && left[path] == 0
				mu.Unlock()
				if done {
					progress.Add(1)
				}
			}()
			return run(pass)
		}
	}
}

// findingKey identifies a finding for de-duplication: with -test, a file is
// analysed once in p and again in p [p.test].
type findingKey struct {
	file         string
	line, column int
	rule, msg    string
}

// collector gathers the findings and failures of one run.
type collector struct {
	seen     map[findingKey]bool
	findings []report.Finding
	failures []report.Failure
	failed   map[string]bool // failures already recorded
}

// errSkipped is the start of the checker's error for a package it did not
// analyse because the package has errors, which are reported already.
const errSkipped = "analysis skipped due to errors in package"

// actionError records the error of an action as a failure, unless it only
// echoes another: a dependency's ("failed prerequisites") or the package's
// own load errors.
func (c *collector) actionError(act *checker.Action) {
	if act.Err == nil {
		return
	}
	msg := act.Err.Error()
	if strings.HasPrefix(msg, "failed prerequisites") || strings.HasPrefix(msg, errSkipped) {
		return
	}
	// One line, then the guard's stack (-debug) if there is one.
	msg, stack, hasStack := strings.Cut(msg, "\n\tat ")
	msg = oneLine(msg)
	if !strings.HasPrefix(msg, "analyzer ") { // the guard's panic errors say which already
		msg = fmt.Sprintf("analyzer %s failed on package %s: %s", act.Analyzer.Name, act.Package.PkgPath, msg)
	}
	if hasStack {
		msg += "\n\tat " + stack
	}
	key := act.Package.PkgPath + "\x00" + msg
	if c.failed[key] {
		return // the same package, loaded again with its tests
	}
	c.failed[key] = true
	c.failures = append(c.failures, report.Failure{Package: act.Package.PkgPath, Message: msg})
}

// prerequisiteError records, for a root action that did not run because
// an analyzer failed on a package that its package imports (the facts it
// needs are missing), that its package was not analysed: that failure is
// recorded for the other package only.
func (c *collector) prerequisiteError(act *checker.Action) {
	if act.Err == nil || !strings.HasPrefix(act.Err.Error(), "failed prerequisites") {
		return
	}
	causes := make(map[string]bool)
	seen := make(map[*checker.Action]bool)
	var visit func(*checker.Action)
	visit = func(a *checker.Action) {
		if seen[a] || a.Err == nil {
			return
		}
		seen[a] = true
		if msg := a.Err.Error(); !strings.HasPrefix(msg, "failed prerequisites") {
			if a.Package != act.Package && !strings.HasPrefix(msg, errSkipped) {
				causes[fmt.Sprintf("analyzer %s failed on %s", a.Analyzer.Name, a.Package.PkgPath)] = true
			}
			return
		}
		for _, dep := range a.Deps {
			visit(dep)
		}
	}
	visit(act)
	if len(causes) == 0 {
		return // the package's own failure, recorded already
	}
	msg := "not analyzed: " + strings.Join(slices.Sorted(maps.Keys(causes)), ", ") + ", which it imports"
	key := act.Package.PkgPath + "\x00" + msg
	if c.failed[key] {
		return // another analyzer, or the package loaded again with its tests
	}
	c.failed[key] = true
	c.failures = append(c.failures, report.Failure{Package: act.Package.PkgPath, Message: msg})
}

// diagnostics turns the diagnostics of a root action into findings.
func (c *collector) diagnostics(act *checker.Action, rule *rules.Rule) {
	if act.Err != nil {
		return
	}
	fset := act.Package.Fset
	for _, d := range act.Diagnostics {
		pos := position(fset, d.Pos, d.End)
		if d.Category == analyzers.CategoryBadDirective {
			c.badDirective(act.Package.PkgPath, pos, d.Message)
			continue
		}
		id, own := analyzers.SplitCategory(d.Category)
		if id == "" {
			id = rule.ID
		}
		level, analyzer := rule.Level, rule.Analyzer
		if r, ok := rules.Get(id); ok {
			level, analyzer = r.Level, r.Analyzer
		}
		if own != "" {
			level = own
		}
		key := findingKey{pos.File, pos.Line, pos.Column, id, d.Message}
		if c.seen[key] {
			continue
		}
		c.seen[key] = true
		f := report.Finding{RuleID: id, Analyzer: analyzer, Level: level, Pos: pos, Message: d.Message}
		related := d.Related
		f.Justification, related, f.Suppressed = analyzers.SuppressedBy(d)
		for _, rel := range related {
			f.Related = append(f.Related, report.Related{Pos: position(fset, rel.Pos, rel.End), Message: rel.Message})
		}
		if !f.Suppressed && len(d.SuggestedFixes) > 0 {
			f.Fix = fix(fset, d.SuggestedFixes[0])
		}
		c.findings = append(c.findings, f)
	}
}

// position converts a diagnostic range; an invalid end is left as zero.
func position(fset *token.FileSet, pos, end token.Pos) report.Position {
	p := fset.Position(pos)
	out := report.Position{File: absPath(p.Filename), Line: p.Line, Column: p.Column}
	if end.IsValid() && end >= pos {
		e := fset.Position(end)
		out.EndLine, out.EndColumn = e.Line, e.Column
	}
	return out
}

func absPath(name string) string {
	if name == "" || filepath.IsAbs(name) {
		return name
	}
	if abs, err := filepath.Abs(name); err == nil {
		return abs
	}
	return name
}

// fix converts a suggested fix to byte offsets, or returns nil when an
// edit is outside any file of fset.
func fix(fset *token.FileSet, sf analysis.SuggestedFix) *report.Fix {
	out := &report.Fix{Message: sf.Message}
	for _, e := range sf.TextEdits {
		tf := fset.File(e.Pos)
		end := e.End
		if !end.IsValid() {
			end = e.Pos
		}
		if tf == nil || fset.File(end) != tf {
			return nil
		}
		out.Edits = append(out.Edits, report.Edit{File: absPath(tf.Name()), Start: tf.Offset(e.Pos), End: tf.Offset(end), NewText: string(e.NewText)})
	}
	return out
}

// packageDirs returns the directories of the Go files of the packages
// whose findings are reported, sorted, each once: where a baseline finding
// that is no longer reported was looked for (report.Report.Scanned).
func packageDirs(pkgs []*packages.Package, reported map[*packages.Package]bool) []string {
	dirs := []string{}
	for _, p := range pkgs {
		if !reported[p] {
			continue // loaded only for its facts
		}
		for _, f := range slices.Concat(p.GoFiles, p.OtherFiles, p.IgnoredFiles) {
			dirs = append(dirs, filepath.Dir(f))
		}
	}
	slices.Sort(dirs)
	return slices.Compact(dirs)
}
