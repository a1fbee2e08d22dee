package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
)

// TestBaselineApply compares the golden report with a SARIF log of itself
// whose paths carry the module's directory in the repository, as the
// composite action writes them, plus a finding that is gone.
func TestBaselineApply(t *testing.T) {
	r, _ := goldenReport(t)
	log := writeLog(t, r, testRules)
	// As run.sh's rebase_uris does for a module in directory "mod".
	rebased := bytes.ReplaceAll(log, []byte(`"uri": "a.go"`), []byte(`"uri": "mod/a.go"`))
	if bytes.Equal(rebased, log) {
		t.Fatal("no a.go URI in the golden log")
	}
	b, err := ParseBaseline(rebased)
	if err != nil {
		t.Fatal(err)
	}
	b.entries = append(b.entries, baselineEntry{rule: "PKCE009", path: "gone.go", hash: "abc:1",
		absent: AbsentFinding{RuleID: "PKCE009", Level: "note", Message: "gone", URI: "gone.go", URIBaseID: srcRoot, StartLine: 2, LineHash: "abc:1"}})
	b.Apply(r)
	for i, f := range r.Findings {
		if f.Baseline != BaselineUnchanged {
			t.Errorf("finding %d (%s): baseline state %q, want unchanged", i, filepath.Base(f.Pos.File), f.Baseline)
		}
	}
	if r.Unsuppressed() != 0 || r.Baseline.Unchanged != len(r.Findings) || len(r.Baseline.Absent) != 1 {
		t.Fatalf("unsuppressed %d, baseline %+v", r.Unsuppressed(), r.Baseline)
	}

	// The SARIF log lists the absent finding under a rule descriptor of
	// its own, with every result's baselineState set.
	data := writeLog(t, r, testRules)
	run := decodeLog(t, data).Runs[0]
	last := run.Results[len(run.Results)-1]
	if last.RuleID != "PKCE009" || run.Tool.Driver.Rules[*last.RuleIndex]["id"] != "PKCE009" ||
		last.Message.Text != "gone" || last.PartialFingerprints[lineHashKey] != "abc:1" {
		t.Errorf("absent result %+v", last)
	}
	var states struct {
		Runs []struct {
			Results []struct {
				BaselineState string `json:"baselineState"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &states); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, res := range states.Runs[0].Results {
		got = append(got, res.BaselineState)
	}
	if want := []string{"unchanged", "unchanged", "unchanged", "unchanged", "absent"}; !slices.Equal(got, want) {
		t.Errorf("baselineStates %v, want %v", got, want)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, r); err != nil || buf.Len() != 0 {
		t.Errorf("WriteText with every finding unchanged = %q, %v", buf.String(), err)
	}

	// With the root one level down, a.go lies outside it and is new; sub/b.go
	// is b.go, which the path "sub/b.go" ends with.
	r.Root = filepath.Join(r.Root, "sub")
	b.Apply(r)
	if r.Findings[0].Baseline != BaselineNew || r.Baseline.Unchanged != 3 || len(r.Baseline.Absent) != 2 {
		t.Errorf("with another root: finding 0 %s, %d unchanged, %d absent; want new, 3, 2",
			r.Findings[0].Baseline, r.Baseline.Unchanged, len(r.Baseline.Absent))
	}
}
