package report

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// fuzzFile is where FuzzSARIF writes the content, below the report root:
// a name that needs percent-encoding in a URI.
const fuzzFile = "sub dir/fïle #1.go"

// FuzzSARIF writes a report with findings in a file of fuzzed content, the
// text that SARIF columns and fingerprints are computed from: non-ASCII,
// CRLF and lone CR line endings, very long lines, ill-formed UTF-8. One
// finding is at (line, col) clamped into the file, as go/token would give
// it; a second has line and col as they come, out of range included.
//
// It checks that no writer fails or panics, that the JSON and SARIF logs
// are valid JSON and the same bytes twice, that the clamped finding's
// SARIF region is where the content says (UTF-16 columns, an end after the
// start) with the fingerprint of its line, and that LineHashes has one
// entry per line as codeql-action counts them.
func FuzzSARIF(f *testing.F) {
	long := strings.Repeat("é→😀x", 3000)
	for _, seed := range []struct {
		content   string
		line, col int
	}{
		{"package p\n\nfunc f() {}\n", 3, 6},
		{"package p\n\nfunc f(x string) string {\n\ts := \"héllo→😀\" + x\n\treturn s\n}\n", 4, 25},
		{"package p\r\n\r\nimport \"golang.org/x/oauth2\"\r\n\r\nfunc g(c *oauth2.Config) string {\r\n\treturn c.AuthCodeURL(\"state\")\r\n}\r\n", 6, 9},
		{"package p\r// lone CR\rvar v = 1\n", 1, 12},
		{"package p\n\nvar s = \"" + long + "\"\n", 3, 9 + len(long)/2},
		{"package p\n\nvar s = `" + long + "\r\n" + long + "`\n", 4, len(long)},
		{"package p\n// \xff\xfe\xe2\x82 \xf0\x9f\x98\nvar x = 1\n", 2, 5},
		{"\ufeffpackage p\n\nvar ä, 𝔘 = 1, 2\n", 3, 9},
		{"package p\n\nvar nul = \"\x00\"\n\t \t\n", 4, 2},
		{"", 0, 0},
		{"no newline at end", -5, 1 << 40},
		{"\n\n\n", 1 << 40, -1},
	} {
		f.Add([]byte(seed.content), seed.line, seed.col)
	}
	// One root for all inputs: each input rewrites the file.
	root := f.TempDir()
	file := filepath.Join(root, filepath.FromSlash(fuzzFile))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, content []byte, line, col int) {
		if len(content) > 1<<20 {
			t.Skip("content over 1 MiB")
		}
		if err := os.WriteFile(file, content, 0o644); err != nil {
			t.Fatal(err)
		}

		// Clamp (line, col) into the file as go/token counts lines.
		lines := bytes.Split(content, []byte("\n"))
		l := min(max(line, 1), len(lines))
		text := lines[l-1]
		c := min(max(col, 1), len(text)+1)
		pos := Position{File: file, Line: l, Column: c}
		if col%2 == 0 { // half the findings have an extent
			pos.EndLine, pos.EndColumn = l, min(c+3, len(text)+1)
		}
		snippet := text[c-1 : min(c-1+40, len(text))]
		msg := "code verifier compared with " + string(snippet)
		r := &Report{
			Version: "v1.2.3",
			Root:    root,
			WorkDir: root,
			Findings: []Finding{
				{
					RuleID: "PKCE005", Analyzer: "timingcompare", Level: "error",
					Pos: pos, Message: msg,
					Related: []Related{{Pos: pos, Message: string(snippet)}},
				},
				{
					RuleID: "PKCE004", Analyzer: "missingstate", Level: "warning",
					Pos:        Position{File: file, Line: line, Column: col, EndLine: line, EndColumn: col + 1},
					Message:    "raw position",
					Suppressed: line%2 == 0, Justification: string(snippet),
				},
			},
			Failures: []Failure{{Package: "example.com/p", Pos: &pos, Message: string(snippet)}},
		}

		sarifOut := write(t, "WriteSARIF", WriteSARIF, r)
		jsonOut := write(t, "WriteJSON", WriteJSON, r)
		textOut := write(t, "WriteText", WriteText, r)

		// SARIF: where the clamped finding is.
		var log struct {
			Version string `json:"version"`
			Runs    []struct {
				Results []struct {
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct {
								URI       string `json:"uri"`
								URIBaseID string `json:"uriBaseId"`
							} `json:"artifactLocation"`
							Region struct {
								StartLine, StartColumn, EndLine, EndColumn int
							} `json:"region"`
						} `json:"physicalLocation"`
					} `json:"locations"`
					PartialFingerprints map[string]string `json:"partialFingerprints"`
				} `json:"results"`
				Invocations []struct {
					ExecutionSuccessful        bool  `json:"executionSuccessful"`
					ToolExecutionNotifications []any `json:"toolExecutionNotifications"`
				} `json:"invocations"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(sarifOut, &log); err != nil {
			t.Fatalf("SARIF log does not decode: %v", err)
		}
		if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 2 || len(log.Runs[0].Invocations) != 1 {
			t.Fatalf("SARIF log has version %q, %d runs; want 2.1.0, one run with two results and one invocation", log.Version, len(log.Runs))
		}
		run := log.Runs[0]
		if inv := run.Invocations[0]; inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 {
			t.Errorf("invocation: executionSuccessful %v with %d notifications, want false with 1", inv.ExecutionSuccessful, len(inv.ToolExecutionNotifications))
		}
		for i, res := range run.Results {
			if len(res.Locations) != 1 {
				t.Fatalf("result %d has %d locations, want 1", i, len(res.Locations))
			}
			reg := res.Locations[0].PhysicalLocation.Region
			if reg.StartLine < 1 || reg.StartColumn < 1 || reg.EndLine < reg.StartLine ||
				reg.EndLine == reg.StartLine && reg.EndColumn < reg.StartColumn {
				t.Errorf("result %d: region %+v: want start ≥ 1:1 and end ≥ start", i, reg)
			}
		}
		res := run.Results[0]
		loc := res.Locations[0].PhysicalLocation
		if got, err := url.PathUnescape(loc.ArtifactLocation.URI); err != nil || got != fuzzFile || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("artifact location %+v, want %q under %%SRCROOT%%", loc.ArtifactLocation, fuzzFile)
		}
		reg := loc.Region
		if reg.StartLine != l {
			t.Errorf("startLine %d, want %d", reg.StartLine, l)
		}
		if prefix := text[:c-1]; utf8.Valid(prefix) {
			if want := 1 + len(utf16.Encode([]rune(string(prefix)))); reg.StartColumn != want {
				t.Errorf("startColumn %d for byte column %d of %q, want %d", reg.StartColumn, c, text, want)
			}
		}
		if utf8.Valid(text) && (c-1 == len(text) || utf8.RuneStart(text[c-1])) && reg.EndLine == reg.StartLine && reg.EndColumn <= reg.StartColumn {
			t.Errorf("region %+v is empty", reg)
		}
		hashes := LineHashes(content)
		if got := res.PartialFingerprints["primaryLocationLineHash"]; got != hashes[l-1] {
			t.Errorf("primaryLocationLineHash %q, want %q, LineHashes' entry for line %d", got, hashes[l-1], l)
		}

		// LineHashes: one entry per line, counted as codeql-action does
		// (CRLF, CR or LF ends a line, and the end of the file is on a
		// line of its own), and the same entries every time.
		if want := codeqlLines(content); len(hashes) != want {
			t.Errorf("LineHashes has %d entries, want %d (lines)", len(hashes), want)
		}
		if again := LineHashes(content); !slices.Equal(again, hashes) {
			t.Errorf("LineHashes is not deterministic")
		}

		// JSON: the clamped finding where it is, its message intact.
		var out struct {
			Findings []struct {
				File    string `json:"file"`
				Line    int    `json:"line"`
				Column  int    `json:"column"`
				Message string `json:"message"`
			} `json:"findings"`
			Errors []any `json:"errors"`
		}
		if err := json.Unmarshal(jsonOut, &out); err != nil {
			t.Fatalf("JSON output does not decode: %v", err)
		}
		if len(out.Findings) != 2 || len(out.Errors) != 1 {
			t.Fatalf("JSON output has %d findings and %d errors, want 2 and 1", len(out.Findings), len(out.Errors))
		}
		jf := out.Findings[0]
		if jf.File != filepath.FromSlash(fuzzFile) || jf.Line != l || jf.Column != c {
			t.Errorf("JSON finding at %s:%d:%d, want %s:%d:%d", jf.File, jf.Line, jf.Column, fuzzFile, l, c)
		}
		if utf8.ValidString(msg) && jf.Message != msg {
			t.Errorf("JSON message %q, want %q", jf.Message, msg)
		}

		// Text: a line per unsuppressed finding, when messages are lines.
		if !bytes.ContainsAny(snippet, "\r\n") {
			want := 1
			if !r.Findings[1].Suppressed {
				want++
			}
			if got := bytes.Count(textOut, []byte("\n")); got != want {
				t.Errorf("text output has %d lines, want %d:\n%s", got, want, textOut)
			}
		}
	})
}

// write calls a writer twice, and checks that it succeeds, writes the same
// bytes both times and, for the JSON formats, a valid JSON value.
func write(t *testing.T, name string, w func(io.Writer, *Report) error, r *Report) []byte {
	t.Helper()
	var b1, b2 bytes.Buffer
	if err := w(&b1, r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := w(&b2, r); err != nil {
		t.Fatalf("%s (second call): %v", name, err)
	}
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Fatalf("%s wrote different bytes on a second call", name)
	}
	if name != "WriteText" && (!json.Valid(b1.Bytes()) || !utf8.Valid(b1.Bytes())) {
		t.Fatalf("%s wrote invalid JSON:\n%s", name, b1.Bytes())
	}
	return b1.Bytes()
}

// codeqlLines is the number of lines codeql-action's fingerprinting sees
// in content: one more than the line terminators, where a terminator is
// CRLF, a lone CR or a lone LF.
func codeqlLines(content []byte) int {
	n := 1
	for i, b := range content {
		if b == '\r' || b == '\n' && (i == 0 || content[i-1] != '\r') {
			n++
		}
	}
	return n
}
