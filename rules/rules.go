// Package rules holds the one description of every pkcevet rule.
//
// Each rule is a Markdown file, PKCE00N.md, that starts with a small front
// matter block (key: value lines between "---" lines) followed by the rule's
// prose. The analyzers take their Doc and URL from here, the command prints
// the prose for -explain, and the SARIF log builds its rule descriptors from
// the same record, so the text cannot drift between them.
package rules

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed PKCE*.md
var files embed.FS

// BaseURL is where the rule files are published; a rule's URL is
// BaseURL + ID + ".md".
const BaseURL = "https://github.com/pkcevet/pkcevet/blob/main/rules/"

// Rule is the parsed record of one rule file.
type Rule struct {
	ID       string // PKCE001
	Analyzer string // missingchallenge: the analysis.Analyzer name
	Name     string // missing-challenge: the kebab-case name
	Title    string // one line: what the rule finds
	Level    string // SARIF level: error or warning
	CWE      int    // CWE number without prefix: the first of CWEs
	// CWEs are all the rule's CWE numbers, CWE first: a rule whose
	// findings are of more than one weakness (PKCE007: a log, CWE-532,
	// or another exposure, CWE-200) lists them all ("cwe: 532, 200").
	CWEs []int
	// SecuritySeverity is the CVSS-like score code scanning maps to
	// critical/high/medium/low, kept as text ("8.1") as SARIF wants it.
	SecuritySeverity string
	Precision        string // very-high, high, medium or low
	Summary          string // what the rule flags, one paragraph of plain text
	Body             string // the Markdown after the front matter
}

// URL is the address of the rule's documentation.
func (r *Rule) URL() string { return BaseURL + r.ID + ".md" }

// Doc is the analyzer documentation: a title line, a blank line and the
// summary, as go/analysis expects.
func (r *Rule) Doc() string {
	return fmt.Sprintf("%s (%s): %s\n\n%s", r.Analyzer, r.ID, r.Title, r.Summary)
}

// PascalName is the rule name in PascalCase (MissingChallenge), the form
// code scanning shows.
func (r *Rule) PascalName() string {
	var b strings.Builder
	for _, part := range strings.Split(r.Name, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// Markdown is the whole rule document as shown by -explain and SARIF help.
func (r *Rule) Markdown() string { return r.Body }

// All returns every rule, ordered by ID. It panics if a rule file is
// malformed: the files are embedded, so that is a build defect that the
// package's tests catch.
func All() []*Rule {
	all, err := parsed()
	if err != nil {
		panic(err)
	}
	return slices.Clone(all)
}

// parsed is parseAll's result, read once: the files are embedded and
// never change, and Get is called for every diagnostic and directive (it
// parsed the ten files each time: 6% of what a scan of the eval modules
// allocated). Safe for concurrent use; the rules are never modified.
var parsed = sync.OnceValues(parseAll)

// Get returns the rule with the given ID (PKCE001), analyzer name
// (missingchallenge) or kebab name (missing-challenge).
func Get(key string) (*Rule, bool) {
	for _, r := range All() {
		if strings.EqualFold(key, r.ID) || key == r.Analyzer || key == r.Name {
			return r, true
		}
	}
	return nil, false
}

// MustGet is Get for keys known at compile time.
func MustGet(key string) *Rule {
	r, ok := Get(key)
	if !ok {
		panic("rules: no rule " + strconv.Quote(key))
	}
	return r
}

func parseAll() ([]*Rule, error) {
	names, err := fs.Glob(files, "PKCE*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var all []*Rule
	for _, name := range names {
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		r, err := parse(string(data))
		if err != nil {
			return nil, fmt.Errorf("rules/%s: %v", name, err)
		}
		if r.ID+".md" != name {
			return nil, fmt.Errorf("rules/%s: id %q does not match the file name", name, r.ID)
		}
		all = append(all, r)
	}
	return all, nil
}

// parse reads one rule file: front matter, then Markdown.
func parse(text string) (*Rule, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return nil, fmt.Errorf("missing front matter")
	}
	front, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		return nil, fmt.Errorf("unterminated front matter")
	}
	r := &Rule{Body: strings.TrimLeft(body, "\n")}
	sc := bufio.NewScanner(strings.NewReader(front))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("front matter line %q has no colon", line)
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(key) {
		case "id":
			r.ID = value
		case "analyzer":
			r.Analyzer = value
		case "name":
			r.Name = value
		case "title":
			r.Title = value
		case "level":
			r.Level = value
		case "cwe":
			for _, part := range strings.Split(value, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(part))
				if err != nil || n <= 0 {
					return nil, fmt.Errorf("cwe %q: not a list of CWE numbers", value)
				}
				r.CWEs = append(r.CWEs, n)
			}
			r.CWE = r.CWEs[0]
		case "security-severity":
			r.SecuritySeverity = value
		case "precision":
			r.Precision = value
		case "summary":
			r.Summary = value
		default:
			return nil, fmt.Errorf("unknown front matter key %q", key)
		}
	}
	switch {
	case r.ID == "" || r.Analyzer == "" || r.Name == "" || r.Title == "" || r.Summary == "":
		return nil, fmt.Errorf("front matter needs id, analyzer, name, title and summary")
	case r.Level != "error" && r.Level != "warning":
		return nil, fmt.Errorf("level %q is neither error nor warning", r.Level)
	case r.CWE <= 0:
		return nil, fmt.Errorf("cwe missing")
	}
	if f, err := strconv.ParseFloat(r.SecuritySeverity, 64); err != nil || !(f >= 0.1 && f <= 10) {
		return nil, fmt.Errorf("security-severity %q is not a number in 0.1..10", r.SecuritySeverity)
	}
	switch r.Precision {
	case "very-high", "high", "medium", "low":
	default:
		return nil, fmt.Errorf("precision %q is not very-high, high, medium or low", r.Precision)
	}
	return r, nil
}
