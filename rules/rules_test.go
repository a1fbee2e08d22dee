package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// want is the rule table of SPEC.md. Tools, dashboards and suppressions key
// on these values, so the rule files must match it exactly.
var want = []struct {
	id, analyzer, name, pascal, level string
	cwe                               []int
}{
	{"PKCE001", "missingchallenge", "missing-challenge", "MissingChallenge", "error", []int{345}},
	{"PKCE002", "plainmethod", "plain-method", "PlainMethod", "error", []int{327}},
	{"PKCE003", "weakverifier", "weak-verifier", "WeakVerifier", "error", []int{338}},
	{"PKCE004", "missingstate", "missing-state", "MissingState", "warning", []int{352}},
	{"PKCE005", "timingcompare", "timing-compare", "TimingCompare", "warning", []int{208}},
	{"PKCE006", "globalverifier", "global-verifier", "GlobalVerifier", "warning", []int{488}},
	{"PKCE007", "verifierexposed", "verifier-exposed", "VerifierExposed", "error", []int{532, 200}},
	{"PKCE008", "flowreuse", "flow-reuse", "FlowReuse", "error", []int{323}},
	{"PKCE009", "redirecturi", "redirect-uri-match", "RedirectUriMatch", "error", []int{601}},
	{"PKCE010", "codereplay", "code-replay", "CodeReplay", "error", []int{294}},
}

// sections are the headings every rule body has, in this order, after its
// "# ID name: title" line.
var sections = []string{
	"## What it flags",
	"## What it does not flag",
	"## Why it matters",
	"## Bad",
	"## Good",
	"## How to fix",
	"## Suppressing",
	"## References",
}

func TestAllMatchesSpec(t *testing.T) {
	all, err := parseAll()
	if err != nil {
		t.Fatalf("parseAll: %v", err)
	}
	if len(all) != len(want) {
		t.Fatalf("got %d rules, want %d", len(all), len(want))
	}
	for i, w := range want {
		r := all[i]
		if r.ID != w.id || r.Analyzer != w.analyzer || r.Name != w.name || r.Level != w.level || !slices.Equal(r.CWEs, w.cwe) || r.CWE != w.cwe[0] {
			t.Errorf("rule %d = {%s %s %s %s CWE-%v}, want {%s %s %s %s CWE-%v}",
				i, r.ID, r.Analyzer, r.Name, r.Level, r.CWEs, w.id, w.analyzer, w.name, w.level, w.cwe)
		}
		if got := r.PascalName(); got != w.pascal {
			t.Errorf("%s: PascalName() = %q, want %q", r.ID, got, w.pascal)
		}
		if got, wantURL := r.URL(), BaseURL+w.id+".md"; got != wantURL {
			t.Errorf("%s: URL() = %q, want %q", r.ID, got, wantURL)
		}
	}
	if got := All(); len(got) != len(want) {
		t.Errorf("All() returned %d rules, want %d", len(got), len(want))
	}
}

func TestFrontMatterValues(t *testing.T) {
	for _, r := range All() {
		t.Run(r.ID, func(t *testing.T) {
			f, err := strconv.ParseFloat(r.SecuritySeverity, 64)
			if err != nil || f < 0.1 || f > 10 {
				t.Errorf("security-severity %q is not a number in 0.1..10", r.SecuritySeverity)
			}
			if !strings.Contains(r.SecuritySeverity, ".") {
				t.Errorf("security-severity %q should be written as a decimal, e.g. 7.5", r.SecuritySeverity)
			}
			switch r.Precision {
			case "very-high", "high", "medium", "low":
			default:
				t.Errorf("precision %q", r.Precision)
			}
			if first := []rune(r.Title)[0]; unicode.IsUpper(first) || strings.HasSuffix(r.Title, ".") {
				t.Errorf("title %q should be a short lower-case phrase without a final period", r.Title)
			}
			if len(r.Title) > 60 {
				t.Errorf("title %q is longer than 60 bytes", r.Title)
			}
			if strings.ContainsAny(r.Summary, "`\n") || strings.Contains(r.Summary, "**") || strings.Contains(r.Summary, "](") {
				t.Errorf("summary should be one paragraph of plain text, got %q", r.Summary)
			}
			doc := r.Doc()
			wantHead := fmt.Sprintf("%s (%s): %s\n\n", r.Analyzer, r.ID, r.Title)
			if !strings.HasPrefix(doc, wantHead) || !strings.HasSuffix(doc, r.Summary) {
				t.Errorf("Doc() = %q, want %q + summary", doc, wantHead)
			}
			if r.Markdown() != r.Body {
				t.Errorf("Markdown() differs from Body")
			}
		})
	}
}

// headings returns the Markdown heading lines of body outside fenced code.
func headings(body string) []string {
	var hs []string
	fenced := false
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		if !fenced && strings.HasPrefix(line, "#") {
			hs = append(hs, strings.TrimRight(line, " "))
		}
	}
	return hs
}

// section returns the text between heading and the next "## " heading.
func section(body, heading string) string {
	_, rest, ok := strings.Cut(body, "\n"+heading+"\n")
	if !ok {
		return ""
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

func TestBodyStructure(t *testing.T) {
	for _, r := range All() {
		t.Run(r.ID, func(t *testing.T) {
			title := fmt.Sprintf("# %s %s: %s", r.ID, r.Name, r.Title)
			wantHeadings := append([]string{title}, sections...)
			got := headings(r.Body)
			if strings.Join(got, "\n") != strings.Join(wantHeadings, "\n") {
				t.Errorf("headings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantHeadings, "\n"))
			}
			if !strings.HasPrefix(r.Body, title+"\n") {
				t.Errorf("body does not start with %q", title)
			}
			for _, h := range sections {
				if strings.TrimSpace(section(r.Body, h)) == "" {
					t.Errorf("section %q is empty", h)
				}
			}
			for _, h := range []string{"## Bad", "## Good"} {
				if !strings.Contains(section(r.Body, h), "```go\n") {
					t.Errorf("section %q has no Go example", h)
				}
			}
			if strings.Count(r.Body, "```")%2 != 0 {
				t.Errorf("unbalanced code fence")
			}
			if s := section(r.Body, "## What it flags"); !strings.Contains(s, "- ") {
				t.Errorf("\"What it flags\" has no bullet list")
			}
			if s := section(r.Body, "## Suppressing"); !strings.Contains(s, "//pkcevet:ignore "+r.ID+" reason") {
				t.Errorf("\"Suppressing\" does not show the //pkcevet:ignore %s reason directive", r.ID)
			}
			refs := section(r.Body, "## References")
			wantRefs := []string{"https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization"}
			for _, n := range r.CWEs {
				wantRefs = append(wantRefs, fmt.Sprintf("https://cwe.mitre.org/data/definitions/%d.html", n))
			}
			for _, s := range wantRefs {
				if !strings.Contains(refs, s) {
					t.Errorf("references lack %s", s)
				}
			}
			if n := strings.Count(r.Body, "\n"); n > 120 {
				t.Errorf("body has %d lines, keep it under 120", n)
			}
		})
	}
}

func TestNamesUnique(t *testing.T) {
	seen := map[string]string{}
	for _, r := range All() {
		for _, key := range []string{r.ID, r.Analyzer, r.Name, r.PascalName()} {
			if prev, ok := seen[key]; ok {
				t.Errorf("%q used by both %s and %s", key, prev, r.ID)
			}
			seen[key] = r.ID
		}
	}
}

func TestGet(t *testing.T) {
	for _, w := range want {
		for _, key := range []string{w.id, strings.ToLower(w.id), w.analyzer, w.name} {
			r, ok := Get(key)
			if !ok {
				t.Errorf("Get(%q) found nothing", key)
				continue
			}
			if r.ID != w.id {
				t.Errorf("Get(%q).ID = %s, want %s", key, r.ID, w.id)
			}
		}
		if r := MustGet(w.analyzer); r.ID != w.id {
			t.Errorf("MustGet(%q).ID = %s, want %s", w.analyzer, r.ID, w.id)
		}
	}
	for _, key := range []string{"", "PKCE099", "MissingChallenge", "missing_challenge", "plain"} {
		if r, ok := Get(key); ok {
			t.Errorf("Get(%q) = %s, want no rule", key, r.ID)
		}
	}
}

func TestMustGetPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustGet of an unknown rule did not panic")
		}
	}()
	MustGet("PKCE999")
}

func TestPascalName(t *testing.T) {
	for name, want := range map[string]string{
		"missing-challenge": "MissingChallenge",
		"plain-method":      "PlainMethod",
		"a--b-":             "AB",
		"single":            "Single",
	} {
		r := &Rule{Name: name}
		if got := r.PascalName(); got != want {
			t.Errorf("PascalName(%q) = %q, want %q", name, got, want)
		}
	}
}

const validFront = `id: PKCE009
analyzer: example
name: ex-ample
title: an example
level: warning
cwe: 20
security-severity: 5.0
precision: high
summary: One paragraph.`

func file(front string) string { return "---\n" + front + "\n---\n\n# PKCE009 ex-ample: an example\n" }

// replaceLine replaces the front matter line starting with key+":" by line,
// or deletes it when line is empty.
func replaceLine(front, key, line string) string {
	var out []string
	for _, l := range strings.Split(front, "\n") {
		if strings.HasPrefix(l, key+":") {
			if line == "" {
				continue
			}
			l = line
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func TestParseValid(t *testing.T) {
	for name, text := range map[string]string{
		"lf":   file(validFront),
		"crlf": strings.ReplaceAll(file(validFront), "\n", "\r\n"),
	} {
		r, err := parse(text)
		if err != nil {
			t.Errorf("%s: parse: %v", name, err)
			continue
		}
		if r.ID != "PKCE009" || r.Analyzer != "example" || r.Name != "ex-ample" || r.Title != "an example" ||
			r.Level != "warning" || r.CWE != 20 || r.SecuritySeverity != "5.0" || r.Precision != "high" ||
			r.Summary != "One paragraph." {
			t.Errorf("%s: parsed %+v", name, *r)
		}
		if r.Body != "# PKCE009 ex-ample: an example\n" {
			t.Errorf("%s: body = %q", name, r.Body)
		}
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, text, wantErr string
	}{
		{"no front matter", "# PKCE009\n", "missing front matter"},
		{"unterminated", "---\n" + validFront + "\n# body\n", "unterminated front matter"},
		{"missing id", file(replaceLine(validFront, "id", "")), "needs id"},
		{"empty id", file(replaceLine(validFront, "id", "id:")), "needs id"},
		{"missing analyzer", file(replaceLine(validFront, "analyzer", "")), "needs id"},
		{"missing name", file(replaceLine(validFront, "name", "")), "needs id"},
		{"missing title", file(replaceLine(validFront, "title", "")), "needs id"},
		{"missing summary", file(replaceLine(validFront, "summary", "")), "needs id"},
		{"bad level", file(replaceLine(validFront, "level", "level: note")), "level"},
		{"missing level", file(replaceLine(validFront, "level", "")), "level"},
		{"upper-case level", file(replaceLine(validFront, "level", "level: Error")), "level"},
		{"bad cwe", file(replaceLine(validFront, "cwe", "cwe: CWE-20")), "cwe"},
		{"missing cwe", file(replaceLine(validFront, "cwe", "")), "cwe missing"},
		{"word severity", file(replaceLine(validFront, "security-severity", "security-severity: high")), "security-severity"},
		{"zero severity", file(replaceLine(validFront, "security-severity", "security-severity: 0")), "security-severity"},
		{"severity above 10", file(replaceLine(validFront, "security-severity", "security-severity: 10.5")), "security-severity"},
		{"missing severity", file(replaceLine(validFront, "security-severity", "")), "security-severity"},
		{"bad precision", file(replaceLine(validFront, "precision", "precision: exact")), "precision"},
		{"missing precision", file(replaceLine(validFront, "precision", "")), "precision"},
		{"unknown key", file(validFront + "\nseverity: high"), "unknown front matter key"},
		{"no colon", file(validFront + "\njust words"), "has no colon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := parse(tt.text)
			if err == nil {
				t.Fatalf("parse accepted it: %+v", *r)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not mention %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseCWEList(t *testing.T) {
	r, err := parse(file(replaceLine(validFront, "cwe", "cwe: 532, 200")))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if r.CWE != 532 || !slices.Equal(r.CWEs, []int{532, 200}) {
		t.Errorf("CWE %d, CWEs %v; want 532, [532 200]", r.CWE, r.CWEs)
	}
	for _, bad := range []string{"cwe: 532,", "cwe: 532, CWE-200", "cwe: 0"} {
		if _, err := parse(file(replaceLine(validFront, "cwe", bad))); err == nil {
			t.Errorf("parse accepted %q", bad)
		}
	}
}
