package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// Baseline states of a finding, as SARIF spells them (result.baselineState).
const (
	BaselineNew       = "new"
	BaselineUnchanged = "unchanged"
	BaselineAbsent    = "absent"
)

// Baseline is the set of findings of an earlier pkcevet run, read from its
// SARIF log or JSON report by ReadBaseline. A finding of the current run is
// unchanged when the baseline holds a finding of the same rule in the same
// file whose line has the same primaryLocationLineHash: the hash covers the
// line and what follows it, not the line number, so an edit elsewhere in the
// file does not make an old finding new.
type Baseline struct {
	File    string // the file it was read from, as given
	entries []baselineEntry
}

// pathKind says what a baseline entry's path is relative to.
type pathKind int

const (
	relRoot    pathKind = iota // the module root (SARIF %SRCROOT%)
	relWorkDir                 // the working directory (JSON "file")
	absolute                   // an absolute path
)

// baselineEntry is one finding of the baseline.
type baselineEntry struct {
	rule     string
	path     string // slash-separated, not percent-encoded
	kind     pathKind
	hash     string // primaryLocationLineHash; "" when the log had none
	absent   AbsentFinding
	consumed bool
}

// AbsentFinding is a finding of the baseline that the current run no
// longer reports, as the SARIF writer lists it (baselineState "absent"):
// its location is the baseline's, which may no longer exist.
type AbsentFinding struct {
	RuleID    string
	Level     string
	Message   string
	URI       string // as in the baseline: relative under URIBaseID, or file://
	URIBaseID string // %SRCROOT% or ""
	StartLine, StartColumn,
	EndLine, EndColumn int
	LineHash string
}

// BaselineResult is what comparing a run with a baseline found: each
// finding's state is in Finding.Baseline.
type BaselineResult struct {
	File      string
	Unchanged int
	Absent    []AbsentFinding
}

// ReadBaseline reads a pkcevet SARIF 2.1.0 log or JSON report. It fails,
// saying why, on a file that is missing, not JSON, a SARIF log of another
// version or tool, or neither kind of report.
func ReadBaseline(file string) (*Baseline, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	b, err := ParseBaseline(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	b.File = file
	return b, nil
}

// ParseBaseline is ReadBaseline on the content of the file.
func ParseBaseline(data []byte) (*Baseline, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, errors.New("not a pkcevet SARIF log or JSON report: not a JSON object")
	}
	_, hasRuns := top["runs"]
	_, hasFindings := top["findings"]
	switch {
	case hasRuns:
		return parseSARIFBaseline(data)
	case hasFindings:
		return parseJSONBaseline(data)
	}
	return nil, errors.New("not a pkcevet SARIF log or JSON report: it has neither \"runs\" nor \"findings\"")
}

// baselineLog is the part of a SARIF log that a baseline needs.
type baselineLog struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID                   string `json:"id"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int   `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
						EndLine     int `json:"endLine"`
						EndColumn   int `json:"endColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]any `json:"partialFingerprints"`
			BaselineState       string         `json:"baselineState"`
		} `json:"results"`
	} `json:"runs"`
}

func parseSARIFBaseline(data []byte) (*Baseline, error) {
	var log baselineLog
	if err := json.Unmarshal(data, &log); err != nil {
		return nil, fmt.Errorf("not a SARIF log pkcevet can read: %v", err)
	}
	if log.Version != "2.1.0" {
		return nil, fmt.Errorf("SARIF version %q, want 2.1.0", log.Version)
	}
	b := new(Baseline)
	for i, run := range log.Runs {
		if name := run.Tool.Driver.Name; name != toolName {
			return nil, fmt.Errorf("run %d is by tool %q, not %s", i, name, toolName)
		}
		levels := make(map[string]string)
		for _, rule := range run.Tool.Driver.Rules {
			levels[rule.ID] = rule.DefaultConfiguration.Level
		}
		for j, res := range run.Results {
			if res.BaselineState == BaselineAbsent {
				continue // gone already when that log was written
			}
			rule := res.RuleID
			if rule == "" && res.RuleIndex != nil && *res.RuleIndex >= 0 && *res.RuleIndex < len(run.Tool.Driver.Rules) {
				rule = run.Tool.Driver.Rules[*res.RuleIndex].ID
			}
			if rule == "" || len(res.Locations) == 0 {
				return nil, fmt.Errorf("run %d result %d has no rule or no location", i, j)
			}
			phys := res.Locations[0].PhysicalLocation
			art, reg := phys.ArtifactLocation, phys.Region
			e := baselineEntry{rule: rule}
			if u, ok := strings.CutPrefix(art.URI, "file://"); ok {
				e.kind = absolute
				e.path = unescape(u)
				if len(e.path) > 2 && e.path[0] == '/' && e.path[2] == ':' {
					e.path = e.path[1:] // file:///C:/...
				}
			} else {
				e.kind = relRoot
				e.path = unescape(art.URI)
			}
			if h, ok := res.PartialFingerprints[lineHashKey].(string); ok {
				e.hash = h
			}
			level := res.Level
			if level == "" {
				level = levels[rule]
			}
			e.absent = AbsentFinding{
				RuleID: rule, Level: level, Message: res.Message.Text,
				URI: art.URI, URIBaseID: art.URIBaseID,
				StartLine: reg.StartLine, StartColumn: reg.StartColumn,
				EndLine: reg.EndLine, EndColumn: reg.EndColumn,
				LineHash: e.hash,
			}
			b.entries = append(b.entries, e)
		}
	}
	return b, nil
}

func unescape(p string) string {
	if u, err := url.PathUnescape(p); err == nil {
		return u
	}
	return p
}

func parseJSONBaseline(data []byte) (*Baseline, error) {
	var rep struct {
		Findings []jsonFinding `json:"findings"`
		Baseline *jsonBaseline `json:"baseline"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("not a pkcevet JSON report: %v", err)
	}
	if rep.Baseline != nil {
		// It lists only the findings that were new then.
		return nil, errors.New("this JSON report was written with -baseline and lists only new findings; use a report written without -baseline")
	}
	b := new(Baseline)
	for i, f := range rep.Findings {
		if f.Rule == "" || f.File == "" {
			return nil, fmt.Errorf("finding %d has no rule or no file", i)
		}
		e := baselineEntry{rule: f.Rule, path: filepath.ToSlash(f.File), kind: relWorkDir, hash: f.LineHash}
		if filepath.IsAbs(f.File) {
			e.kind = absolute
		}
		e.absent = AbsentFinding{
			RuleID: f.Rule, Level: f.Level, Message: f.Message,
			StartLine: f.Line, StartColumn: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn,
			LineHash: f.LineHash,
		}
		b.entries = append(b.entries, e)
	}
	return b, nil
}

// Apply compares r's findings with the baseline: it sets each finding's
// Baseline state (new or unchanged) and records in r.Baseline the baseline
// findings that r no longer has. A baseline entry matches at most one
// finding. Findings of files that cannot be read are matched on their line
// number, as are baseline entries without a line hash.
func (b *Baseline) Apply(r *Report) {
	for i := range b.entries {
		b.entries[i].consumed = false
	}
	index := make(map[string][]int)
	for i, e := range b.entries {
		k := e.rule + "\x00" + e.hash
		if e.hash == "" {
			k = e.rule + "\x00line " + strconv.Itoa(e.absent.StartLine)
		}
		index[k] = append(index[k], i)
	}
	sb := &sarifBuilder{root: r.Root, files: make(map[string]*sourceFile)}
	res := &BaselineResult{File: b.File}
	for fi := range r.Findings {
		f := &r.Findings[fi]
		f.Baseline = BaselineNew
		keys := []string{f.RuleID + "\x00line " + strconv.Itoa(max(f.Pos.Line, 1))}
		if h, ok := sb.source(f.Pos.File).lineHash(max(f.Pos.Line, 1)); ok {
			keys = append([]string{f.RuleID + "\x00" + h}, keys...)
		}
	match:
		for _, k := range keys {
			for _, i := range index[k] {
				e := &b.entries[i]
				if !e.consumed && b.samePath(e, r, f.Pos.File) {
					e.consumed = true
					f.Baseline = BaselineUnchanged
					res.Unchanged++
					break match
				}
			}
		}
	}
	for i := range b.entries {
		e := &b.entries[i]
		if e.consumed || !b.scanned(e, r) {
			continue
		}
		a := e.absent
		if a.URI == "" { // from a JSON report: place it as this run would
			file := e.path
			if e.kind == relWorkDir {
				file = filepath.Join(r.WorkDir, filepath.FromSlash(e.path))
			}
			if rel, ok := below(r.Root, file); ok {
				a.URI, a.URIBaseID = relativeURI(rel), srcRoot
			} else {
				a.URI = fileURI(file)
			}
		}
		res.Absent = append(res.Absent, a)
	}
	r.Baseline = res
}

// samePath reports whether the baseline entry is about file (absolute).
// A root-relative path also matches when it ends with the file's path
// relative to the root: the composite action prefixes the paths of a
// module in a subdirectory with that subdirectory.
func (b *Baseline) samePath(e *baselineEntry, r *Report, file string) bool {
	switch e.kind {
	case relRoot:
		rel, ok := below(r.Root, file)
		if !ok {
			return false
		}
		rel = filepath.ToSlash(rel)
		return e.path == rel || strings.HasSuffix(e.path, "/"+rel)
	case relWorkDir:
		rel, ok := below(r.WorkDir, file)
		return ok && e.path == filepath.ToSlash(rel)
	}
	return e.path == filepath.ToSlash(file)
}

// scanned reports whether the baseline entry's file is in a package r
// analysed (r.Scanned; all when nil), or is a file below the working
// directory that no longer exists (its package deleted), so that its
// absence from r means it was fixed. A root-relative path matches as in
// samePath.
func (b *Baseline) scanned(e *baselineEntry, r *Report) bool {
	if r.Scanned == nil {
		return true
	}
	file := filepath.FromSlash(e.path)
	switch e.kind {
	case relRoot:
		file = filepath.Join(r.Root, file)
	case relWorkDir:
		file = filepath.Join(r.WorkDir, file)
	}
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		if _, ok := below(r.WorkDir, file); ok {
			return true
		}
	}
	for _, d := range r.Scanned {
		switch e.kind {
		case relRoot:
			rel, ok := ".", d == r.Root
			if !ok {
				if rel, ok = below(r.Root, d); !ok {
					continue
				}
			}
			rel = filepath.ToSlash(rel)
			dir := path.Dir(e.path)
			if dir == rel || rel != "." && strings.HasSuffix(dir, "/"+rel) {
				return true
			}
		case relWorkDir:
			if filepath.Dir(filepath.Join(r.WorkDir, filepath.FromSlash(e.path))) == d {
				return true
			}
		default:
			if filepath.Dir(filepath.FromSlash(e.path)) == d {
				return true
			}
		}
	}
	return false
}

// String summarises the comparison for a log line.
func (br *BaselineResult) String(r *Report) string {
	return fmt.Sprintf("baseline %s: %d new, %d unchanged, %d absent", br.File, len(r.Findings)-br.Unchanged, br.Unchanged, len(br.Absent))
}
