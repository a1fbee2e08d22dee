package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/pkcevet/pkcevet/rules"
)

const (
	toolName     = "pkcevet"
	toolURI      = "https://github.com/pkcevet/pkcevet"
	srcRoot      = "%SRCROOT%"
	lineHashKey  = "primaryLocationLineHash"
	devVersion   = "0.0.0-dev"
	automationID = "pkcevet/" // code scanning category "pkcevet"
	utf16Columns = "utf16CodeUnits"
)

// semverPattern is SemVer 2.0.0 without the leading "v".
var semverPattern = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// WriteSARIF writes r as a SARIF 2.1.0 log for GitHub code scanning and other
// SARIF consumers.
//
// The log has one run. Its driver describes every rule of rules.All(),
// whether or not it fired, so results refer to rules by ruleIndex. Each
// finding becomes a result with one location: a URI relative to r.Root under
// the base ID %SRCROOT% (run.originalUriBaseIds maps it to r.Root), or an
// absolute file:// URI for a file outside the root. invocations[0] names
// r.WorkDir as the working directory; code scanning rejects a log with an
// absolute URI that lies outside it (the multitool's GH1006), so findings in
// files outside both directories, such as a dependency in the module cache,
// make a log that GitHub will not take. Columns are converted
// from Go's byte columns to UTF-16 code units, SARIF's default column kind,
// and partialFingerprints.primaryLocationLineHash is the value GitHub's upload
// action computes (see LineHashes). Both need the source files, which are
// read once per call; a file that cannot be read keeps byte columns and gets
// no fingerprint. A suppressed finding stays in the log with an in-source
// suppression. Failures make the invocation unsuccessful and appear as tool
// execution notifications. With a baseline (r.Baseline), every result has
// a baselineState, new or unchanged, and the baseline's findings that are
// gone follow as results with baselineState absent, at their old location.
//
// The output depends only on r and the files it names: two calls write the
// same bytes.
func WriteSARIF(w io.Writer, r *Report) error {
	return writeSARIF(w, r, rules.All())
}

// writeSARIF is WriteSARIF with the rule table as a parameter, so that the
// golden test does not change whenever a rule's text does.
func writeSARIF(w io.Writer, r *Report, ruleList []*rules.Rule) error {
	log, err := buildSARIF(r, ruleList)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(log); err != nil {
		return err
	}
	// go-sarif writes some absent optional members as null (all of a
	// suppression's status, location and guid), which the SARIF schema
	// rejects; absent and null mean the same in SARIF, so drop them.
	var clean bytes.Buffer
	if err := dropNulls(&clean, bytes.TrimSpace(buf.Bytes())); err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, clean.Bytes(), "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

func buildSARIF(r *Report, ruleList []*rules.Rule) (*sarif.Report, error) {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return nil, err
	}
	b := &sarifBuilder{root: r.Root, files: make(map[string]*sourceFile)}

	semver := semanticVersion(r.Version)
	driver := sarif.NewVersionedDriver(toolName, toolVersion(r.Version, semver)).WithInformationURI(toolURI)
	driver.SemanticVersion = &semver

	ruleIndex := make(map[string]int)
	for _, rule := range ruleList {
		ruleIndex[rule.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, ruleDescriptor(rule))
	}
	// A finding of a rule that rules does not know (none is expected) still
	// needs a descriptor for its ruleIndex to point at.
	var unknown []string
	levels := make(map[string]string)
	addUnknown := func(id, level string) {
		if _, ok := ruleIndex[id]; !ok && !slices.Contains(unknown, id) {
			unknown = append(unknown, id)
			levels[id] = level
		}
	}
	for _, f := range r.Findings {
		addUnknown(f.RuleID, f.Level)
	}
	if r.Baseline != nil {
		for _, a := range r.Baseline.Absent {
			addUnknown(a.RuleID, a.Level)
		}
	}
	slices.Sort(unknown)
	for _, id := range unknown {
		ruleIndex[id] = len(driver.Rules)
		driver.Rules = append(driver.Rules, unknownDescriptor(id, resultLevel(levels[id])))
	}

	run := sarif.NewRun(*sarif.NewTool(driver))
	run.WithColumnKind(utf16Columns)
	run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(automationID))
	if r.Root != "" {
		run.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{
			srcRoot: sarif.NewSimpleArtifactLocation(dirURI(r.Root)),
		})
	}

	for _, f := range r.Findings {
		run.Results = append(run.Results, b.result(f, ruleIndex[f.RuleID]))
	}
	if r.Baseline != nil {
		for _, a := range r.Baseline.Absent {
			run.Results = append(run.Results, absentResult(a, ruleIndex[a.RuleID]))
		}
	}

	inv := sarif.NewInvocation().WithExecutionSuccess(len(r.Failures) == 0)
	if r.WorkDir != "" {
		// Code scanning needs it to place a result with an absolute URI
		// (a file outside the root).
		inv.WithWorkingDirectory(sarif.NewSimpleArtifactLocation(dirURI(r.WorkDir)))
	}
	for _, fl := range r.Failures {
		text := fl.Message
		if fl.Package != "" {
			text = fl.Package + ": " + fl.Message
		}
		n := sarif.NewNotification().WithLevel("error").WithTextMessage(text)
		if fl.Pos != nil && fl.Pos.File != "" {
			n.AddLocation(sarif.NewLocationWithPhysicalLocation(b.physicalLocation(*fl.Pos)))
		}
		inv.AddTToolExecutionNotification(n)
	}
	run.AddInvocations(inv)

	log.AddRun(run)
	return log, nil
}

// Version is the one version string that -version, the JSON report and the
// SARIF log (tool.driver.version and semanticVersion) all show, made from the
// main module's version as the go command stamped it: SemVer without the
// "v" ("v1.2.3" is "1.2.3", a pseudo-version stays a pseudo-version), and
// 0.0.0-dev for a build that was not stamped ("(devel)", "").
func Version(stamped string) string {
	return semanticVersion(stamped)
}

// semanticVersion is the SemVer form of a pkcevet version: "v1.2.3" is
// "1.2.3"; a development build ("(devel)", "" or anything else that is not
// SemVer) is 0.0.0-dev.
func semanticVersion(version string) string {
	v := strings.TrimPrefix(version, "v")
	if !semverPattern.MatchString(v) {
		return devVersion
	}
	return v
}

// toolVersion is the driver's version: the pkcevet version without its "v",
// since SARIF consumers compare versions that start with a number, or the
// semantic version when it does not start with one (a development build).
func toolVersion(version, semver string) string {
	v := strings.TrimPrefix(version, "v")
	if v == "" || v[0] < '0' || v[0] > '9' {
		return semver
	}
	return v
}

// ruleDescriptor is the SARIF reportingDescriptor of a rule, with every
// member code scanning reads.
func ruleDescriptor(rule *rules.Rule) *sarif.ReportingDescriptor {
	help := sarif.NewMultiformatMessageString(rule.Summary + " See " + rule.URL())
	if md := rule.Markdown(); md != "" {
		help.WithMarkdown(md)
	}
	return sarif.NewRule(rule.ID).
		WithName(rule.PascalName()).
		WithShortDescription(sarif.NewMultiformatMessageString(rule.Title)).
		WithFullDescription(sarif.NewMultiformatMessageString(rule.Summary)).
		WithHelp(help).
		WithHelpURI(rule.URL()).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(rule.Level)).
		WithProperties(sarif.Properties{
			"tags":              cweTags(rule),
			"security-severity": rule.SecuritySeverity,
			"precision":         rule.Precision,
			"problem.severity":  problemSeverity(rule.Level),
		})
}

// cweTags are a rule's tags: security, and one external/cwe/cwe-N per CWE
// the rule names.
func cweTags(rule *rules.Rule) []string {
	tags := []string{"security"}
	cwes := rule.CWEs
	if len(cwes) == 0 && rule.CWE > 0 {
		cwes = []int{rule.CWE} // a Rule made by hand, not parsed
	}
	for _, n := range cwes {
		tags = append(tags, fmt.Sprintf("external/cwe/cwe-%d", n))
	}
	return tags
}

// unknownDescriptor is a minimal but complete descriptor for a rule ID that
// has no rule file.
func unknownDescriptor(id, level string) *sarif.ReportingDescriptor {
	text := "pkcevet diagnostic " + id
	return sarif.NewRule(id).
		WithShortDescription(sarif.NewMultiformatMessageString(text)).
		WithFullDescription(sarif.NewMultiformatMessageString(text)).
		WithHelp(sarif.NewMultiformatMessageString(text)).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level)).
		WithProperties(sarif.Properties{"problem.severity": problemSeverity(level)})
}

// problemSeverity maps a SARIF level to code scanning's problem.severity.
func problemSeverity(level string) string {
	switch level {
	case "error":
		return "error"
	case "note":
		return "recommendation"
	}
	return "warning"
}

// resultLevel is a finding's level as SARIF spells it; a finding without
// one is a warning.
func resultLevel(level string) string {
	switch level {
	case "error", "warning", "note", "none":
		return level
	}
	return "warning"
}

// sarifBuilder holds what one WriteSARIF call needs across findings.
type sarifBuilder struct {
	root  string
	files map[string]*sourceFile // by absolute path, read at most once
}

func (b *sarifBuilder) result(f Finding, index int) *sarif.Result {
	res := sarif.NewRuleResult(f.RuleID).
		WithRuleIndex(index).
		WithLevel(resultLevel(f.Level)).
		WithMessage(sarif.NewTextMessage(f.Message))
	phys := b.physicalLocation(f.Pos)
	res.AddLocation(sarif.NewLocationWithPhysicalLocation(phys))
	for i, rel := range f.Related {
		loc := sarif.NewLocationWithPhysicalLocation(b.physicalLocation(rel.Pos)).WithId(i + 1)
		if rel.Message != "" {
			loc.WithMessage(sarif.NewTextMessage(rel.Message))
		}
		res.AddRelatedLocation(loc)
	}
	if hash, ok := b.source(f.Pos.File).lineHash(*phys.Region.StartLine); ok {
		res.WithPartialFingerPrints(map[string]any{lineHashKey: hash})
	}
	if f.Baseline != "" {
		res.WithBaselineState(f.Baseline)
	}
	if f.Suppressed {
		s := sarif.NewSuppression("inSource")
		if f.Justification != "" {
			s.WithJustifcation(f.Justification)
		}
		res.AddSuppression(s)
	}
	return res
}

// absentResult is a finding of the baseline that is gone, at its location
// in the baseline, with baselineState "absent".
func absentResult(a AbsentFinding, index int) *sarif.Result {
	art := sarif.NewSimpleArtifactLocation(a.URI)
	if a.URIBaseID != "" {
		art.WithUriBaseId(a.URIBaseID)
	}
	line, col := max(a.StartLine, 1), max(a.StartColumn, 1)
	endLine, endCol := a.EndLine, a.EndColumn
	if endLine < line || (endLine == line && endCol <= col) {
		endLine, endCol = line, col+1
	}
	region := sarif.NewRegion().WithStartLine(line).WithStartColumn(col).WithEndLine(endLine).WithEndColumn(endCol)
	res := sarif.NewRuleResult(a.RuleID).
		WithRuleIndex(index).
		WithLevel(resultLevel(a.Level)).
		WithMessage(sarif.NewTextMessage(cmp.Or(a.Message, a.RuleID+" finding of the baseline"))).
		WithBaselineState(BaselineAbsent)
	res.AddLocation(sarif.NewLocationWithPhysicalLocation(
		sarif.NewPhysicalLocation().WithArtifactLocation(art).WithRegion(region)))
	if a.LineHash != "" {
		res.WithPartialFingerPrints(map[string]any{lineHashKey: a.LineHash})
	}
	return res
}

// physicalLocation is the artifact location and UTF-16 region of p.
func (b *sarifBuilder) physicalLocation(p Position) *sarif.PhysicalLocation {
	var art *sarif.ArtifactLocation
	if rel, ok := below(b.root, p.File); ok {
		art = sarif.NewSimpleArtifactLocation(relativeURI(rel)).WithUriBaseId(srcRoot)
	} else {
		art = sarif.NewSimpleArtifactLocation(fileURI(p.File))
	}
	return sarif.NewPhysicalLocation().
		WithArtifactLocation(art).
		WithRegion(b.source(p.File).region(p))
}

func (b *sarifBuilder) source(path string) *sourceFile {
	if f, ok := b.files[path]; ok {
		return f
	}
	f := new(sourceFile)
	if path != "" {
		if content, err := os.ReadFile(path); err == nil {
			f.content = content
			f.lineStarts = []int{0}
			for i, c := range content {
				if c == '\n' {
					f.lineStarts = append(f.lineStarts, i+1)
				}
			}
		}
	}
	b.files[path] = f
	return f
}

// sourceFile is one file's content as far as SARIF needs it. Its zero
// value stands for a file that could not be read.
type sourceFile struct {
	content    []byte
	lineStarts []int    // byte offset of each line, by go/token's count of '\n'
	hashes     []string // LineHashes(content), computed on first use
}

// region converts p to a SARIF region in UTF-16 columns. A missing or empty
// range (go/analysis leaves End unset when a diagnostic has no extent)
// covers the character at the start.
func (f *sourceFile) region(p Position) *sarif.Region {
	line, col := max(p.Line, 1), max(p.Column, 1)
	endLine, endCol := p.EndLine, p.EndColumn
	if endLine < line || (endLine == line && endCol <= col) {
		endLine, endCol = line, col+f.runeLen(line, col)
	}
	return sarif.NewRegion().
		WithStartLine(line).
		WithStartColumn(f.utf16Column(line, col)).
		WithEndLine(endLine).
		WithEndColumn(f.utf16Column(endLine, max(endCol, 1)))
}

// utf16Column converts a 1-based byte column to a 1-based UTF-16 column:
// one plus the code units of the bytes before it on its line. Without the
// line's text it stays as it is.
func (f *sourceFile) utf16Column(line, col int) int {
	if line > len(f.lineStarts) {
		return col
	}
	start := f.lineStarts[line-1]
	end := start + col - 1
	extra := 0 // columns past the end of the file are kept as bytes
	if end > len(f.content) {
		extra, end = end-len(f.content), len(f.content)
	}
	return 1 + utf16Len(f.content[start:end]) + extra
}

// runeLen is the length in bytes of the character at a position, 1 if
// unknown.
func (f *sourceFile) runeLen(line, col int) int {
	if line > len(f.lineStarts) {
		return 1
	}
	off := f.lineStarts[line-1] + col - 1
	if off >= len(f.content) {
		return 1
	}
	_, n := decodeRune(f.content[off:])
	return n
}

// lineHash is the primaryLocationLineHash of a 1-based line.
func (f *sourceFile) lineHash(line int) (string, bool) {
	if f.content == nil {
		return "", false
	}
	if f.hashes == nil {
		f.hashes = LineHashes(f.content)
	}
	if line < 1 || line > len(f.hashes) {
		return "", false
	}
	return f.hashes[line-1], true
}

// dropNulls copies the JSON value v to dst without the object members
// whose value is null, keeping member order and the bytes of every other
// value.
func dropNulls(dst *bytes.Buffer, v []byte) error {
	if len(v) == 0 || (v[0] != '{' && v[0] != '[') {
		dst.Write(v)
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(v))
	if _, err := dec.Token(); err != nil { // the opening delimiter
		return err
	}
	object := v[0] == '{'
	dst.WriteByte(v[0])
	first := true
	for dec.More() {
		var key string
		if object {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ = tok.(string)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if object && string(raw) == "null" {
			continue
		}
		if !first {
			dst.WriteByte(',')
		}
		first = false
		if object {
			k, err := json.Marshal(key)
			if err != nil {
				return err
			}
			dst.Write(k)
			dst.WriteByte(':')
		}
		if err := dropNulls(dst, raw); err != nil {
			return err
		}
	}
	if object {
		dst.WriteByte('}')
	} else {
		dst.WriteByte(']')
	}
	return nil
}
