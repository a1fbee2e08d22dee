package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// weak2Src is a second package with weakSrc's mistake: a new finding.
var weak2Src = strings.Replace(weakSrc, "package weak", "package weak2", 1)

// baselineLog is the part of a SARIF log the baseline tests read.
type baselineLog struct {
	Runs []struct {
		Results []struct {
			RuleID        string `json:"ruleId"`
			BaselineState string `json:"baselineState"`
			Message       struct{ Text string }
			Locations     []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

// states returns "uri:line:state" for each result of the SARIF log file.
func states(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var log baselineLog
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("not a SARIF log with one run: %v\n%s", err, data)
	}
	var out []string
	for _, r := range log.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation
		if r.PartialFingerprints["primaryLocationLineHash"] == "" {
			t.Errorf("%s result at %s has no line hash", r.BaselineState, loc.ArtifactLocation.URI)
		}
		out = append(out, loc.ArtifactLocation.URI+":"+strconv.Itoa(loc.Region.StartLine)+":"+r.BaselineState)
	}
	return out
}

// writeBaseline scans dir and writes a baseline in the format to a new
// file, which it returns.
func writeBaseline(t *testing.T, dir, format string) string {
	t.Helper()
	base := filepath.Join(t.TempDir(), "base."+format)
	pkcevet(t, dir, "-format", format, "-o", base).check(t, 1, "")
	return base
}

func TestBaseline(t *testing.T) {
	t.Parallel()
	// The baseline is written in one checkout and used in another, as CI
	// does: paths in it are relative.
	base := writeBaseline(t, writeModule(t, map[string]string{"weak/weak.go": weakSrc}), "sarif")

	// The same finding: not reported, exit 0.
	dir := writeModule(t, map[string]string{"weak/weak.go": weakSrc})
	pkcevet(t, dir, "-baseline", base).check(t, 0, "")
	out := filepath.Join(t.TempDir(), "out.sarif")
	pkcevet(t, dir, "-baseline", base, "-format", "sarif", "-o", out).check(t, 0, "")
	if got, want := strings.Join(states(t, out), " "), "weak/weak.go:16:unchanged"; got != want {
		t.Errorf("SARIF results = %s, want %s", got, want)
	}

	// Lines inserted above the old finding, and a new finding: only the
	// new one is reported, and it fails the run.
	moved := strings.Replace(weakSrc, "// URL starts", "// An edit above the finding.\n\n// URL starts", 1)
	dir = writeModule(t, map[string]string{"weak/weak.go": moved, "weak2/weak.go": weak2Src})
	newLine := filepath.Join("weak2", "weak.go") + ":16:66: " + weakMsg + "\n"
	pkcevet(t, dir, "-baseline", base).check(t, 1, newLine)
	pkcevet(t, dir, "-baseline", base, "-format", "sarif", "-o", out).check(t, 1, "")
	if got, want := strings.Join(states(t, out), " "), "weak/weak.go:18:unchanged weak2/weak.go:16:new"; got != want {
		t.Errorf("SARIF results = %s, want %s", got, want)
	}
	r := pkcevet(t, dir, "-baseline", base, "-format", "json")
	var rep struct {
		Findings []struct{ File, BaselineState string }
		Baseline struct{ New, Unchanged, Absent int }
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 1 {
		t.Fatalf("-format json: exit %d, %v\n%s", r.code, err, r.stdout)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].File != filepath.Join("weak2", "weak.go") || rep.Findings[0].BaselineState != "new" ||
		rep.Baseline.New != 1 || rep.Baseline.Unchanged != 1 || rep.Baseline.Absent != 0 {
		t.Errorf("-format json = %+v", rep)
	}
	// -no-fail still wins.
	pkcevet(t, dir, "-baseline", base, "-no-fail").check(t, 0, newLine)

	// The old finding fixed: it is listed as absent in SARIF, at its
	// old place; text prints nothing.
	dir = writeModule(t, map[string]string{"clean/clean.go": cleanSrc})
	pkcevet(t, dir, "-baseline", base).check(t, 0, "")
	pkcevet(t, dir, "-baseline", base, "-format", "sarif", "-o", out).check(t, 0, "")
	if got, want := strings.Join(states(t, out), " "), "weak/weak.go:16:absent"; got != want {
		t.Errorf("SARIF results = %s, want %s", got, want)
	}
	// A log written with -baseline is a baseline too: its absent result
	// is not carried forward.
	pkcevet(t, dir, "-baseline", out, "-format", "sarif", "-o", out+"2").check(t, 0, "")
	if got := states(t, out+"2"); len(got) != 0 {
		t.Errorf("SARIF results with a baseline of absent results = %v, want none", got)
	}
}

func TestBaselineJSON(t *testing.T) {
	t.Parallel()
	base := writeBaseline(t, writeModule(t, map[string]string{"weak/weak.go": weakSrc}), "json")
	moved := strings.Replace(weakSrc, "// URL starts", "// An edit above the finding.\n// URL starts", 1)
	dir := writeModule(t, map[string]string{"weak/weak.go": moved})
	pkcevet(t, dir, "-baseline", base).check(t, 0, "")

	out := filepath.Join(t.TempDir(), "out.sarif")
	dir = writeModule(t, map[string]string{"weak2/weak.go": weak2Src})
	pkcevet(t, dir, "-baseline", base, "-format", "sarif", "-o", out).check(t, 1, "")
	if got, want := strings.Join(states(t, out), " "), "weak2/weak.go:16:new weak/weak.go:16:absent"; got != want {
		t.Errorf("SARIF results = %s, want %s", got, want)
	}

	// A JSON report written with -baseline lists only new findings: it
	// cannot serve as a baseline.
	newOnly := filepath.Join(t.TempDir(), "new.json")
	pkcevet(t, dir, "-baseline", base, "-format", "json", "-o", newOnly).check(t, 1, "")
	r := pkcevet(t, dir, "-baseline", newOnly)
	if r.code != 2 || !strings.Contains(r.stderr, "written with -baseline") {
		t.Errorf("JSON baseline written with -baseline: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestBaselineBadFile(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"weak/weak.go": weakSrc})
	tmp := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(tmp, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, tc := range []struct {
		name, file, want string
	}{
		{"missing", filepath.Join(tmp, "missing.sarif"), "no such file"},
		{"directory", tmp, "is a directory"},
		{"empty", write("empty.sarif", ""), "not a JSON object"},
		{"text", write("text.txt", "weak/weak.go:16:66: message (PKCE003)\n"), "not a JSON object"},
		{"array", write("array.json", "[]"), "not a JSON object"},
		{"other JSON", write("other.json", `{"a": 1}`), `neither "runs" nor "findings"`},
		{"SARIF 2.0", write("old.sarif", `{"version": "2.0.0", "runs": []}`), `SARIF version "2.0.0", want 2.1.0`},
		{"other tool", write("gosec.sarif", `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "gosec"}}, "results": []}]}`), `tool "gosec", not pkcevet`},
		{"bad shape", write("shape.sarif", `{"version": "2.1.0", "runs": {"x": 1}}`), "not a SARIF log pkcevet can read"},
		{"no location", write("noloc.sarif", `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "pkcevet"}}, "results": [{"ruleId": "PKCE001"}]}]}`), "no rule or no location"},
		{"bad JSON report", write("bad.json", `{"findings": [{"rule": 3}]}`), "not a pkcevet JSON report"},
	} {
		r := pkcevet(t, dir, "-baseline", tc.file)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "pkcevet: -baseline: ") ||
			!strings.Contains(r.stderr, tc.want) || strings.Contains(r.stderr, "internal error") {
			t.Errorf("%s: exit %d, stdout %q, stderr:\n%s\nwant exit 2 and an error containing %q", tc.name, r.code, r.stdout, r.stderr, tc.want)
		}
	}
}

// TestBaselineSubdirectory runs with a baseline of the whole module from
// a subdirectory: the findings of the packages it does not scan are not
// absent (fixed), only those of the packages it does.
func TestBaselineSubdirectory(t *testing.T) {
	t.Parallel()
	files := map[string]string{"weak/weak.go": weakSrc, "weak2/weak.go": weak2Src}
	base := writeBaseline(t, writeModule(t, files), "sarif")

	absent := func(dir string, args ...string) int {
		t.Helper()
		r := pkcevet(t, dir, append([]string{"-baseline", base, "-format", "json"}, args...)...)
		var rep struct {
			Baseline struct{ New, Unchanged, Absent int }
		}
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 0 {
			t.Fatalf("%v: exit %d, %v\n%s\n%s", args, r.code, err, r.stdout, r.stderr)
		}
		if rep.Baseline.New != 0 {
			t.Errorf("%v: %d new findings, want 0", args, rep.Baseline.New)
		}
		return rep.Baseline.Absent
	}
	dir := writeModule(t, files)
	if n := absent(filepath.Join(dir, "weak"), "./..."); n != 0 {
		t.Errorf("from weak/: %d absent, want 0 (weak2 was not scanned)", n)
	}
	if n := absent(dir, "./weak"); n != 0 {
		t.Errorf("./weak: %d absent, want 0", n)
	}

	// weak's finding fixed: absent from weak/, and from the root.
	dir = writeModule(t, map[string]string{"weak/weak.go": cleanSrc, "weak2/weak.go": weak2Src})
	if n := absent(filepath.Join(dir, "weak"), "./..."); n != 1 {
		t.Errorf("fixed, from weak/: %d absent, want 1", n)
	}
	if n := absent(dir, "./..."); n != 1 {
		t.Errorf("fixed, from the root: %d absent, want 1", n)
	}
}
