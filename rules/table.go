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
		fmt.Fprintf(&b, "| [%s](rules/%s.md) | `%s` | %s | %s | %s | [CWE-%d](https://cwe.mitre.org/data/definitions/%d.html) |\n",
			r.ID, r.ID, r.Analyzer, r.Name, r.Title, r.Level, r.CWE, r.CWE)
	}
	return b.String()
}
