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
//	      "suppressed": false,          // true when a //pkcevet:ignore directive covers it
//	      "reason": "...",              // the directive's reason; only when suppressed
//	      "related": [                  // secondary locations; omitted when none
//	        {"file": "internal/auth/rand.go", "line": 5, "column": 2, "message": "math/rand.Read"}
//	      ]
//	    }
//	  ],
//	  "errors": [                       // packages that failed; [] when none
//	    {"package": "example.com/app/broken", "file": "broken/x.go", "line": 3, "message": "..."}
//	  ]
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
	for _, f := range r.Findings {
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
			Suppressed: f.Suppressed,
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
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

type jsonReport struct {
	Version  string        `json:"version"`
	Findings []jsonFinding `json:"findings"`
	Errors   []jsonError   `json:"errors"`
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
	Suppressed bool          `json:"suppressed"`
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
