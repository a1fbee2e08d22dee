package rules

import (
	"fmt"
	"strings"
)

// MarkdownTable renders the rule table of the README from the rule files,
// so that the README cannot drift from them (a test compares the two).
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| ID | analyzer | name | finds | level | CWE |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, r := range All() {
		var cwes []string
		for _, n := range r.CWEs {
			cwes = append(cwes, fmt.Sprintf("[CWE-%d](https://cwe.mitre.org/data/definitions/%d.html)", n, n))
		}
		fmt.Fprintf(&b, "| [%s](rules/%s.md) | `%s` | %s | %s | %s | %s |\n",
			r.ID, r.ID, r.Analyzer, r.Name, r.Title, r.Level, strings.Join(cwes, ", "))
	}
	return b.String()
}
