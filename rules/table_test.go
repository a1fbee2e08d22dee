package rules

import (
	"os"
	"strings"
	"testing"
)

// TestREADMETable checks that the README's rule table is the one the rule
// files produce. When a rule file changes, paste the table this test
// prints into the README.
func TestREADMETable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := MarkdownTable()
	if !strings.Contains(string(readme), want) {
		t.Errorf("README.md does not contain the rule table generated from rules/*.md; want:\n%s", want)
	}
}
