// Package report holds the plain result of a pkcevet run and the writers
// that print it as text, JSON or SARIF. Every writer takes the same Report,
// so the formats cannot disagree about what was found.
package report

import (
	"cmp"
	"slices"
)

// Position is a source range. File is an absolute path; lines and columns
// are 1-based, columns count bytes (as go/token does).
type Position struct {
	File      string
	Line      int
	Column    int
	EndLine   int
	EndColumn int
}

// Related is a secondary location that explains a finding, such as the
// math/rand call that a weak verifier comes from.
type Related struct {
	Pos     Position
	Message string
}

// Finding is one diagnostic of one rule.
type Finding struct {
	RuleID   string // PKCE001
	Analyzer string // missingchallenge
	Level    string // error or warning, from the rule
	Pos      Position
	Message  string
	Related  []Related

	// Suppressed is set when a //pkcevet:ignore directive covers the
	// finding; Justification is the directive's reason.
	Suppressed    bool
	Justification string

	// Baseline is BaselineNew or BaselineUnchanged when the run is
	// compared with a baseline (Baseline.Apply), else "".
	Baseline string

	// Fix is the first suggested fix of the finding (the one go fix
	// applies), nil when it has none or is suppressed. Reporters ignore
	// it; -fix and -diff apply it.
	Fix *Fix
}

// Fix is a suggested fix: byte-offset edits of files.
type Fix struct {
	Message string
	Edits   []Edit
}

// Edit replaces the bytes [Start, End) of File (an absolute path) with
// NewText.
type Edit struct {
	File       string
	Start, End int
	NewText    string
}

// Failure is a problem that makes the scan incomplete: a package that did
// not load or type-check, or an analyzer that failed on a package.
type Failure struct {
	Package string    // import path, or the pattern that failed
	Pos     *Position // where, when known
	Message string
}

// Report is everything a run produced.
type Report struct {
	Version  string // pkcevet version, as -version prints it (see Version)
	Root     string // absolute module root: SARIF paths are relative to it
	WorkDir  string // absolute working directory: text paths are relative to it
	Findings []Finding
	Failures []Failure

	// Scanned holds the absolute directories of the packages the run
	// analysed. A baseline finding that the run does not report counts
	// as absent (fixed) only when its file is in one of them: a run on
	// ./agent/... from a subdirectory says nothing of the other
	// packages' findings. Nil means unknown: every one counts.
	Scanned []string

	// Baseline is the comparison with an earlier run, when -baseline
	// asked for one: the writers then print only new findings (text,
	// JSON) or mark every result's baselineState (SARIF).
	Baseline *BaselineResult
}

// Sort puts findings in file, line, column, rule order and failures in
// package order, so that two runs print the same bytes.
func (r *Report) Sort() {
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column),
			cmp.Compare(a.RuleID, b.RuleID),
			cmp.Compare(a.Message, b.Message),
		)
	})
	slices.SortStableFunc(r.Failures, func(a, b Failure) int {
		return cmp.Or(cmp.Compare(a.Package, b.Package), cmp.Compare(a.Message, b.Message))
	})
}

// Unsuppressed counts the findings that are not suppressed and not
// unchanged since the baseline: the ones that make the exit status 1.
func (r *Report) Unsuppressed() int {
	n := 0
	for _, f := range r.Findings {
		if !f.Suppressed && f.Baseline != BaselineUnchanged {
			n++
		}
	}
	return n
}
