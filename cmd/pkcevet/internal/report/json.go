package report

import (
	"encoding/json"
	"io"

	"github.com/pkcevet/pkcevet/rules"
)

// WriteJSON writes r as one JSON object, indented, with this shape (the
// field names are stable: scripts and the evaluation tooling key on them):
//
//	{
//	  "version": "v1.2.3",              // pkcevet version
//	  "findings": [                     // every finding, suppressed ones included; [] when none
//	    {
//	      "rule": "PKCE003",            // rule ID
//	      "analyzer": "weakverifier",   // analyzer name
//	      "name": "weak-verifier",      // kebab-case rule name ("" for an unknown rule)
//	      "level": "error",             // error or warning
//	      "file": "internal/auth/pkce.go",       // relative to the working directory when below it, else absolute
//	      "absFile": "/src/app/internal/auth/pkce.go",
//	      "line": 12, "column": 9,      // 1-based; columns count bytes, as in text output
//	      "endLine": 12, "endColumn": 30,        // 0 when unknown
//	      "message": "code_verifier comes from math/rand.Read ...",
//	      "lineHash": "5c2b8a3f0d1e:1",        // primaryLocationLineHash of the line, as in SARIF; omitted when the file cannot be read
//	      "suppressed": false,          // true when a //pkcevet:ignore directive covers it
//	      "baselineState": "new",       // only with -baseline (then only new findings are listed)
//	      "reason": "...",              // the directive's reason; only when suppressed
//	      "related": [                  // secondary locations; omitted when none
//	        {"file": "internal/auth/rand.go", "line": 5, "column": 2, "message": "math/rand.Read"}
//	      ]
//	    }
//	  ],
//	  "errors": [                       // packages that failed; [] when none
//	    {"package": "example.com/app/broken", "file": "broken/x.go", "line": 3, "message": "..."}
//	  ],
//	  "baseline": {"file": "base.sarif", "new": 1, "unchanged": 4, "absent": 2}  // only with -baseline
//	}
//
// An error's "file" and "line" are omitted when the failure has no position.
func WriteJSON(w io.Writer, r *Report) error {
	names := make(map[string]string)
	for _, rule := range rules.All() {
		names[rule.ID] = rule.Name
	}
	out := jsonReport{
		Version:  r.Version,
		Findings: []jsonFinding{},
		Errors:   []jsonError{},
	}
	sb := &sarifBuilder{root: r.Root, files: make(map[string]*sourceFile)}
	for _, f := range r.Findings {
		if f.Baseline == BaselineUnchanged {
			continue
		}
		hash, _ := sb.source(f.Pos.File).lineHash(max(f.Pos.Line, 1))
		jf := jsonFinding{
			Rule:       f.RuleID,
			Analyzer:   f.Analyzer,
			Name:       names[f.RuleID],
			Level:      f.Level,
			File:       displayPath(r.WorkDir, f.Pos.File),
			AbsFile:    f.Pos.File,
			Line:       f.Pos.Line,
			Column:     f.Pos.Column,
			EndLine:    f.Pos.EndLine,
			EndColumn:  f.Pos.EndColumn,
			Message:    f.Message,
			LineHash:   hash,
			Suppressed: f.Suppressed,
			Baseline:   f.Baseline,
		}
		if f.Suppressed {
			jf.Reason = f.Justification
		}
		for _, rel := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{
				File:    displayPath(r.WorkDir, rel.Pos.File),
				Line:    rel.Pos.Line,
				Column:  rel.Pos.Column,
				Message: rel.Message,
			})
		}
		out.Findings = append(out.Findings, jf)
	}
	for _, fl := range r.Failures {
		je := jsonError{Package: fl.Package, Message: fl.Message}
		if fl.Pos != nil {
			je.File = displayPath(r.WorkDir, fl.Pos.File)
			je.Line = fl.Pos.Line
		}
		out.Errors = append(out.Errors, je)
	}
	if b := r.Baseline; b != nil {
		out.Baseline = &jsonBaseline{File: b.File, New: len(out.Findings), Unchanged: b.Unchanged, Absent: len(b.Absent)}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

type jsonReport struct {
	Version  string        `json:"version"`
	Findings []jsonFinding `json:"findings"`
	Errors   []jsonError   `json:"errors"`
	Baseline *jsonBaseline `json:"baseline,omitempty"`
}

type jsonBaseline struct {
	File      string `json:"file"`
	New       int    `json:"new"`
	Unchanged int    `json:"unchanged"`
	Absent    int    `json:"absent"`
}

type jsonFinding struct {
	Rule       string        `json:"rule"`
	Analyzer   string        `json:"analyzer"`
	Name       string        `json:"name"`
	Level      string        `json:"level"`
	File       string        `json:"file"`
	AbsFile    string        `json:"absFile"`
	Line       int           `json:"line"`
	Column     int           `json:"column"`
	EndLine    int           `json:"endLine"`
	EndColumn  int           `json:"endColumn"`
	Message    string        `json:"message"`
	LineHash   string        `json:"lineHash,omitempty"`
	Suppressed bool          `json:"suppressed"`
	Baseline   string        `json:"baselineState,omitempty"`
	Reason     string        `json:"reason,omitempty"`
	Related    []jsonRelated `json:"related,omitempty"`
}

type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonError struct {
	Package string `json:"package"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}
