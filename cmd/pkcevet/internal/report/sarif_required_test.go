package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pkcevet/pkcevet/rules"
)

// codeScanningProblems lists what a SARIF log lacks of the members GitHub
// code scanning requires, or has in a form it rejects (see
// ../shared/sarif/NOTES.md, "What GitHub code scanning reads"): the cheap,
// offline counterpart of the multitool's GH rules that `make sarif-check`
// runs. It reads the log as plain JSON, so that a member the writer drops
// is seen as missing rather than as a Go zero value.
func codeScanningProblems(data []byte) []string {
	var log map[string]any
	if err := json.Unmarshal(data, &log); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if s, _ := log["$schema"].(string); s == "" {
		bad("$schema missing")
	}
	if log["version"] != "2.1.0" {
		bad("version = %v, want 2.1.0", log["version"])
	}
	runs, _ := log["runs"].([]any)
	if len(runs) == 0 {
		bad("no runs")
	}
	for ri, r := range runs {
		run, _ := r.(map[string]any)
		at := fmt.Sprintf("runs[%d]", ri)
		driver, _ := jsonAt(run, "tool", "driver").(map[string]any)
		if jsonString(driver, "name") == "" {
			bad("%s.tool.driver.name missing", at)
		}
		ruleList, _ := driver["rules"].([]any)
		ids := make([]string, len(ruleList))
		for i, x := range ruleList {
			rule, _ := x.(map[string]any)
			rat := fmt.Sprintf("%s.tool.driver.rules[%d]", at, i)
			ids[i] = jsonString(rule, "id")
			for _, path := range [][]string{{"id"}, {"shortDescription", "text"}, {"fullDescription", "text"}, {"help", "text"}} {
				if jsonString(rule, path...) == "" {
					bad("%s.%s missing or empty", rat, strings.Join(path, "."))
				}
			}
			if lvl, ok := jsonAt(rule, "defaultConfiguration", "level").(string); ok && !sarifLevelValid(lvl) {
				bad("%s.defaultConfiguration.level = %q", rat, lvl)
			}
			props, _ := rule["properties"].(map[string]any)
			if tags, ok := props["tags"].([]any); ok && len(tags) > 10 {
				bad("%s.properties.tags has %d tags; code scanning keeps 10", rat, len(tags))
			}
			if p, ok := props["precision"]; ok && p != "very-high" && p != "high" && p != "medium" && p != "low" {
				bad("%s.properties.precision = %v", rat, p)
			}
			if s, ok := props["security-severity"]; ok {
				str, _ := s.(string)
				if f, err := strconv.ParseFloat(str, 64); err != nil || f < 0.1 || f > 10 {
					bad("%s.properties.security-severity = %v, want a string 0.1..10.0", rat, s)
				}
			}
		}
		results, ok := run["results"].([]any)
		if !ok {
			bad("%s.results missing (an empty run needs \"results\": [])", at)
		}
		for i, x := range results {
			res, _ := x.(map[string]any)
			rat := fmt.Sprintf("%s.results[%d]", at, i)
			id := jsonString(res, "ruleId")
			if id == "" {
				bad("%s.ruleId missing", rat)
			}
			if idx, ok := res["ruleIndex"].(float64); ok && (int(idx) < 0 || int(idx) >= len(ids) || ids[int(idx)] != id) {
				bad("%s.ruleIndex %v does not name rule %s", rat, idx, id)
			}
			if lvl, ok := res["level"].(string); ok && !sarifLevelValid(lvl) {
				bad("%s.level = %q", rat, lvl)
			}
			if jsonString(res, "message", "text") == "" {
				bad("%s.message.text missing or empty", rat)
			}
			locs, _ := res["locations"].([]any)
			if len(locs) != 1 {
				bad("%s has %d locations, want 1", rat, len(locs))
			}
			for li, l := range locs {
				lat := fmt.Sprintf("%s.locations[%d].physicalLocation", rat, li)
				phys, _ := jsonAt(l, "physicalLocation").(map[string]any)
				if jsonString(phys, "artifactLocation", "uri") == "" {
					bad("%s.artifactLocation.uri missing", lat)
				}
				region, _ := phys["region"].(map[string]any)
				var n [4]float64
				for k, key := range []string{"startLine", "startColumn", "endLine", "endColumn"} {
					v, ok := region[key].(float64)
					if !ok || v < 1 {
						bad("%s.region.%s = %v, want a positive number", lat, key, region[key])
					}
					n[k] = v
				}
				if n[2] < n[0] || n[2] == n[0] && n[3] <= n[1] {
					bad("%s.region ends at %v:%v, not after its start %v:%v", lat, n[2], n[3], n[0], n[1])
				}
			}
			if h := jsonString(res, "partialFingerprints", lineHashKey); !lineHashForm.MatchString(h) {
				bad("%s.partialFingerprints.%s = %q", rat, lineHashKey, h)
			}
			sups, _ := res["suppressions"].([]any)
			for si, s := range sups {
				if k := jsonString(s, "kind"); k != "inSource" && k != "external" {
					bad("%s.suppressions[%d].kind = %q", rat, si, k)
				}
				if jsonString(s, "justification") == "" {
					bad("%s.suppressions[%d].justification missing (pkcevet always has the directive's reason)", rat, si)
				}
			}
		}
	}
	return problems
}

// lineHashForm is the form of primaryLocationLineHash: lower-case hex
// without leading zeros, a colon, the occurrence count.
var lineHashForm = regexp.MustCompile(`^(0|[1-9a-f][0-9a-f]*):[1-9][0-9]*$`)

func sarifLevelValid(l string) bool {
	return l == "error" || l == "warning" || l == "note" || l == "none"
}

// jsonAt follows object keys from v; it is nil when one is missing.
func jsonAt(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// jsonString is the string at keys below v, "" when absent or no string.
func jsonString(v any, keys ...string) string {
	s, _ := jsonAt(v, keys...).(string)
	return strings.TrimSpace(s)
}

// requiredLogs are logs that must satisfy codeScanningProblems: the golden
// report with the test rules and with the real ones, a finding of every
// real rule in a file that exists (so it gets a fingerprint), and an empty
// report.
func requiredLogs(t *testing.T) map[string][]byte {
	t.Helper()
	logs := make(map[string][]byte)
	r, _ := goldenReport(t)
	logs["golden, test rules"] = writeLog(t, r, testRules)
	logs["golden, real rules"] = writeLog(t, r, rules.All())

	every := &Report{Root: t.TempDir()}
	file := filepath.Join(every.Root, "x.go")
	if err := os.WriteFile(file, []byte("package x\n\nvar codeVerifier = \"é\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, rule := range rules.All() {
		every.Findings = append(every.Findings, Finding{
			RuleID: rule.ID, Analyzer: rule.Analyzer, Level: rule.Level, Message: rule.Title,
			Pos: Position{File: file, Line: 3, Column: 5, EndLine: 3, EndColumn: 17},
		})
	}
	logs["every real rule"] = writeLog(t, every, rules.All())
	logs["empty"] = writeLog(t, &Report{Root: t.TempDir()}, rules.All())
	return logs
}

// TestWriteSARIFCodeScanningFields checks that the logs pkcevet writes have
// every member code scanning requires, with a usable value: in particular
// that no rule descriptor lacks fullDescription (the multitool's GH2012),
// whatever the rule files say.
func TestWriteSARIFCodeScanningFields(t *testing.T) {
	for name, data := range requiredLogs(t) {
		for _, p := range codeScanningProblems(data) {
			t.Errorf("%s: %s", name, p)
		}
	}
	// The descriptors of the real rules carry the optional members code
	// scanning reads too.
	run := decodeLog(t, requiredLogs(t)["every real rule"]).Runs[0]
	for i, d := range run.Tool.Driver.Rules {
		for _, path := range [][]string{{"name"}, {"help", "markdown"}, {"helpUri"}, {"defaultConfiguration", "level"},
			{"properties", "precision"}, {"properties", "security-severity"}, {"properties", "problem.severity"}} {
			if jsonString(d, path...) == "" {
				t.Errorf("rule %d (%v): %s missing or empty", i, d["id"], strings.Join(path, "."))
			}
		}
		tags, _ := jsonAt(d, "properties", "tags").([]any)
		if len(tags) == 0 || tags[0] != "security" {
			t.Errorf("rule %d (%v): tags %v lack security", i, d["id"], tags)
		}
	}
}

// TestCodeScanningProblemsCatchesRemovals shows that the check above is not
// vacuous: removing any one required member from a good log is reported.
func TestCodeScanningProblemsCatchesRemovals(t *testing.T) {
	good := requiredLogs(t)["golden, real rules"]
	if p := codeScanningProblems(good); len(p) != 0 {
		t.Fatalf("the unmodified log has problems: %v", p)
	}
	for _, tc := range []struct {
		path []any // object keys and array indexes; the last member is removed
		want string
	}{
		{[]any{"$schema"}, "$schema"},
		{[]any{"runs", 0, "tool", "driver", "name"}, "tool.driver.name"},
		{[]any{"runs", 0, "tool", "driver", "rules", 0, "fullDescription"}, "rules[0].fullDescription.text"},
		{[]any{"runs", 0, "tool", "driver", "rules", 1, "fullDescription", "text"}, "rules[1].fullDescription.text"},
		{[]any{"runs", 0, "tool", "driver", "rules", 0, "shortDescription"}, "rules[0].shortDescription.text"},
		{[]any{"runs", 0, "tool", "driver", "rules", 0, "help", "text"}, "rules[0].help.text"},
		{[]any{"runs", 0, "results"}, "results missing"},
		{[]any{"runs", 0, "results", 0, "message"}, "results[0].message.text"},
		{[]any{"runs", 0, "results", 0, "locations"}, "results[0] has 0 locations"},
		{[]any{"runs", 0, "results", 0, "locations", 0, "physicalLocation", "region", "endColumn"}, "region.endColumn"},
		{[]any{"runs", 0, "results", 0, "locations", 0, "physicalLocation", "artifactLocation", "uri"}, "artifactLocation.uri"},
		{[]any{"runs", 0, "results", 0, "partialFingerprints"}, "results[0].partialFingerprints"},
		{[]any{"runs", 0, "results", 2, "suppressions", 0, "justification"}, "suppressions[0].justification"},
	} {
		var log any
		if err := json.Unmarshal(good, &log); err != nil {
			t.Fatal(err)
		}
		parent := log
		for _, k := range tc.path[:len(tc.path)-1] {
			switch k := k.(type) {
			case string:
				parent = parent.(map[string]any)[k]
			case int:
				parent = parent.([]any)[k]
			}
		}
		last := tc.path[len(tc.path)-1].(string)
		if _, ok := parent.(map[string]any)[last]; !ok {
			t.Fatalf("%v: the good log has no such member", tc.path)
		}
		delete(parent.(map[string]any), last)
		data, err := json.Marshal(log)
		if err != nil {
			t.Fatal(err)
		}
		problems := codeScanningProblems(data)
		found := false
		for _, p := range problems {
			found = found || strings.Contains(p, tc.want)
		}
		if !found {
			t.Errorf("removing %v: problems %q, want one about %s", tc.path, problems, tc.want)
		}
	}
}
