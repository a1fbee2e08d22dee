package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pkcevet/pkcevet/rules"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.sarif")

// Source files of the golden test. a.go has non-ASCII text before the
// finding's column; sub/b.go has CRLF line endings.
const (
	aGo = "package p\n\nfunc f(x string) string {\n\ts := \"héllo→😀\" + x\n\treturn s\n}\n"
	bGo = "package sub\r\n\r\nimport \"golang.org/x/oauth2\"\r\n\r\nfunc g(c *oauth2.Config) string {\r\n\treturn c.AuthCodeURL(\"state\")\r\n}\r\n"
)

// testRules is a fixed rule table for the golden test, so that the golden
// log does not change when the text of the real rules does.
var testRules = []*rules.Rule{
	{
		ID: "PKCE001", Analyzer: "missingchallenge", Name: "missing-challenge",
		Title: "authorization code flow without PKCE", Level: "error", CWE: 345,
		SecuritySeverity: "8.1", Precision: "high",
		Summary: "Flags authorization requests built without code_challenge.",
		Body:    "# PKCE001 missing-challenge\n\nUse `oauth2.S256ChallengeOption`.\n",
	},
	{
		ID: "PKCE004", Analyzer: "missingstate", Name: "missing-state",
		Title: "authorization request without a usable state", Level: "warning", CWE: 352,
		SecuritySeverity: "5.4", Precision: "medium",
		Summary: "Flags authorization requests with no or a guessable state.",
		Body:    "# PKCE004 missing-state\n\nSend a random `state` and check it.\n",
	},
}

// goldenReport writes the golden sources under a new temporary directory
// and returns a report on them: the working directory is tmp, a repository
// with two modules, tmp/mod (the root) and tmp/dep, which holds a file
// outside the root.
func goldenReport(t *testing.T) (r *Report, tmp string) {
	t.Helper()
	tmp = t.TempDir()
	root := filepath.Join(tmp, "mod")
	write := func(path, content string) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	a := write(filepath.Join(root, "a.go"), aGo)
	b := write(filepath.Join(root, "sub", "b.go"), bGo)
	dep := write(filepath.Join(tmp, "dep", "dep.go"), "package dep\n\nvar v = 1\n")

	xCol := strings.LastIndex("\ts := \"héllo→😀\" + x", "x") + 1 // byte column 25
	authCol := strings.Index("\treturn c.AuthCodeURL(\"state\")", "c.Auth") + 1
	return &Report{
		Version: "v1.2.3",
		Root:    root,
		WorkDir: tmp,
		Findings: []Finding{
			{
				RuleID: "PKCE001", Analyzer: "missingchallenge", Level: "error",
				Pos:     Position{File: a, Line: 4, Column: xCol, EndLine: 4, EndColumn: xCol + 1},
				Message: "code_verifier built from x",
				Related: []Related{{
					Pos:     Position{File: a, Line: 3, Column: 8, EndLine: 3, EndColumn: 16},
					Message: "x comes from here",
				}},
			},
			{
				RuleID: "PKCE001", Analyzer: "missingchallenge", Level: "error",
				Pos:     Position{File: b, Line: 6, Column: authCol, EndLine: 6, EndColumn: authCol + 22},
				Message: "AuthCodeURL without code_challenge; pass oauth2.S256ChallengeOption(verifier)",
			},
			{
				RuleID: "PKCE004", Analyzer: "missingstate", Level: "warning",
				Pos:           Position{File: b, Line: 6, Column: authCol + 14},
				Message:       `constant state "state"`,
				Suppressed:    true,
				Justification: "state is checked by the session middleware",
			},
			{
				RuleID: "PKCE004", Analyzer: "missingstate", Level: "warning",
				Pos:     Position{File: dep, Line: 3, Column: 5, EndLine: 3, EndColumn: 6},
				Message: "a finding in a file outside the module root",
			},
		},
		Failures: []Failure{
			{Package: "example.com/mod/broken", Message: "could not import example.com/missing (no required module provides package)"},
			{Package: "example.com/mod/sub", Pos: &Position{File: b, Line: 5, Column: 8}, Message: "undefined: oauth3"},
		},
	}, tmp
}

func writeLog(t *testing.T, r *Report, ruleList []*rules.Rule) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := writeSARIF(&buf, r, ruleList); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteSARIFGolden(t *testing.T) {
	r, tmp := goldenReport(t)
	got := writeLog(t, r, testRules)
	got = bytes.ReplaceAll(got, []byte(r.Root), []byte("/ROOT"))
	got = bytes.ReplaceAll(got, []byte(tmp), []byte("/TMP"))
	golden := filepath.Join("testdata", "golden.sarif")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("SARIF log differs from %s (run go test -update to rewrite it):\n%s", golden, got)
	}
}

// sarifLog is the part of a SARIF log the tests inspect.
type sarifLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name            string           `json:"name"`
				Version         string           `json:"version"`
				SemanticVersion string           `json:"semanticVersion"`
				InformationURI  string           `json:"informationUri"`
				Rules           []map[string]any `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results            []sarifResult             `json:"results"`
		ColumnKind         string                    `json:"columnKind"`
		OriginalURIBaseIDs map[string]map[string]any `json:"originalUriBaseIds"`
		AutomationDetails  struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Invocations []struct {
			ExecutionSuccessful *bool `json:"executionSuccessful"`
			WorkingDirectory    struct {
				URI string `json:"uri"`
			} `json:"workingDirectory"`
			ToolExecutionNotifications []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []sarifLocation `json:"locations"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

type sarifResult struct {
	RuleID    string `json:"ruleId"`
	RuleIndex *int   `json:"ruleIndex"`
	Level     string `json:"level"`
	Message   struct {
		Text string `json:"text"`
	} `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Suppressions        []map[string]any  `json:"suppressions"`
}

type sarifLocation struct {
	ID               *int `json:"id"`
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"artifactLocation"`
		Region struct {
			StartLine   int `json:"startLine"`
			StartColumn int `json:"startColumn"`
			EndLine     int `json:"endLine"`
			EndColumn   int `json:"endColumn"`
		} `json:"region"`
	} `json:"physicalLocation"`
	Message *struct {
		Text string `json:"text"`
	} `json:"message"`
}

func decodeLog(t *testing.T, data []byte) *sarifLog {
	t.Helper()
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("log is not JSON: %v\n%s", err, data)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("log has %d runs, want 1", len(log.Runs))
	}
	return &log
}

func TestWriteSARIFProperties(t *testing.T) {
	r, _ := goldenReport(t)
	data := writeLog(t, r, testRules)
	log := decodeLog(t, data)
	run := log.Runs[0]

	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-schema-2.1.0.json") {
		t.Errorf("version %q, $schema %q", log.Version, log.Schema)
	}
	d := run.Tool.Driver
	if d.Name != "pkcevet" || d.Version != "1.2.3" || d.SemanticVersion != "1.2.3" || d.InformationURI != "https://github.com/pkcevet/pkcevet" {
		t.Errorf("driver = %q %q %q %q", d.Name, d.Version, d.SemanticVersion, d.InformationURI)
	}
	if run.ColumnKind != "utf16CodeUnits" || run.AutomationDetails.ID != "pkcevet/" {
		t.Errorf("columnKind %q, automationDetails.id %q", run.ColumnKind, run.AutomationDetails.ID)
	}
	if got, want := run.OriginalURIBaseIDs["%SRCROOT%"]["uri"], "file://"+filepath.ToSlash(r.Root)+"/"; got != want {
		t.Errorf("originalUriBaseIds %%SRCROOT%% = %v, want %s", got, want)
	}
	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results, want %d", len(run.Results), len(r.Findings))
	}

	// Every result points at its rule's descriptor.
	for i, res := range run.Results {
		if res.RuleIndex == nil || d.Rules[*res.RuleIndex]["id"] != res.RuleID {
			t.Errorf("result %d (%s): ruleIndex %v does not name its rule", i, res.RuleID, res.RuleIndex)
		}
		if len(res.Locations) != 1 {
			t.Errorf("result %d has %d locations, want 1", i, len(res.Locations))
		}
	}

	// Result 0: "x" is at byte column 25 of `\ts := "héllo→😀" + x`; before
	// it, é is 2 bytes and 1 UTF-16 unit, → 3 bytes and 1 unit, 😀 4 bytes
	// and 2 units (a surrogate pair), so it is at UTF-16 column 20.
	res := run.Results[0]
	reg := res.Locations[0].PhysicalLocation.Region
	if reg.StartLine != 4 || reg.StartColumn != 20 || reg.EndLine != 4 || reg.EndColumn != 21 {
		t.Errorf("result 0 region = %+v, want 4:20-4:21", reg)
	}
	if art := res.Locations[0].PhysicalLocation.ArtifactLocation; art.URI != "a.go" || art.URIBaseID != "%SRCROOT%" {
		t.Errorf("result 0 artifact = %+v", art)
	}
	if want := LineHashes([]byte(aGo))[3]; res.PartialFingerprints["primaryLocationLineHash"] != want {
		t.Errorf("result 0 fingerprint = %q, want %q", res.PartialFingerprints["primaryLocationLineHash"], want)
	}
	if len(res.RelatedLocations) != 1 || *res.RelatedLocations[0].ID != 1 || res.RelatedLocations[0].Message.Text != "x comes from here" {
		t.Errorf("result 0 related = %+v", res.RelatedLocations)
	}
	if res.Suppressions != nil {
		t.Errorf("result 0 is suppressed: %v", res.Suppressions)
	}

	// Result 1: a CRLF file, an ASCII line: columns unchanged.
	res = run.Results[1]
	reg = res.Locations[0].PhysicalLocation.Region
	if reg.StartLine != 6 || reg.StartColumn != r.Findings[1].Pos.Column || reg.EndColumn != r.Findings[1].Pos.EndColumn {
		t.Errorf("result 1 region = %+v, want %+v", reg, r.Findings[1].Pos)
	}
	if art := res.Locations[0].PhysicalLocation.ArtifactLocation; art.URI != "sub/b.go" || art.URIBaseID != "%SRCROOT%" {
		t.Errorf("result 1 artifact = %+v", art)
	}
	if want := LineHashes([]byte(bGo))[5]; res.PartialFingerprints["primaryLocationLineHash"] != want {
		t.Errorf("result 1 fingerprint = %q, want %q", res.PartialFingerprints["primaryLocationLineHash"], want)
	}

	// Result 2: suppressed in source, with the reason; no end position, so
	// the region covers one character.
	res = run.Results[2]
	if len(res.Suppressions) != 1 || res.Suppressions[0]["kind"] != "inSource" ||
		res.Suppressions[0]["justification"] != "state is checked by the session middleware" || len(res.Suppressions[0]) != 2 {
		t.Errorf("result 2 suppressions = %v", res.Suppressions)
	}
	if reg := res.Locations[0].PhysicalLocation.Region; reg.EndLine != reg.StartLine || reg.EndColumn != reg.StartColumn+1 {
		t.Errorf("result 2 region = %+v, want one character", reg)
	}
	if res.Level != "warning" || *res.RuleIndex != 1 {
		t.Errorf("result 2 level %q ruleIndex %d", res.Level, *res.RuleIndex)
	}

	// Result 3: outside the root, an absolute file URI with no base.
	art := run.Results[3].Locations[0].PhysicalLocation.ArtifactLocation
	if want := "file://" + filepath.ToSlash(r.Findings[3].Pos.File); art.URI != want || art.URIBaseID != "" {
		t.Errorf("result 3 artifact = %+v, want uri %s and no uriBaseId", art, want)
	}

	// Failures.
	inv := run.Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful == nil || *inv[0].ExecutionSuccessful {
		t.Fatalf("invocations = %+v, want one unsuccessful", inv)
	}
	if got, want := inv[0].WorkingDirectory.URI, "file://"+filepath.ToSlash(r.WorkDir)+"/"; got != want {
		t.Errorf("workingDirectory = %s, want %s", got, want)
	}
	notes := inv[0].ToolExecutionNotifications
	if len(notes) != 2 || notes[0].Level != "error" ||
		notes[0].Message.Text != "example.com/mod/broken: could not import example.com/missing (no required module provides package)" ||
		notes[0].Locations != nil || len(notes[1].Locations) != 1 ||
		notes[1].Locations[0].PhysicalLocation.ArtifactLocation.URI != "sub/b.go" {
		t.Errorf("notifications = %+v", notes)
	}

	// go-sarif writes absent members as null in places; none may remain.
	if bytes.Contains(data, []byte("null")) {
		t.Errorf("log contains null:\n%s", data)
	}
}

func TestWriteSARIFDeterministic(t *testing.T) {
	r, _ := goldenReport(t)
	var a, b bytes.Buffer
	if err := WriteSARIF(&a, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteSARIF(&b, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two calls wrote different logs")
	}
}

func TestWriteSARIFEmpty(t *testing.T) {
	for _, r := range []*Report{
		{Version: "(devel)", Root: t.TempDir()},
		{}, // not even a root
	} {
		data := writeLog(t, r, rules.All())
		if !bytes.Contains(data, []byte(`"results": []`)) {
			t.Errorf("empty log lacks \"results\": []:\n%s", data)
		}
		if bytes.Contains(data, []byte("null")) {
			t.Errorf("empty log contains null:\n%s", data)
		}
		log := decodeLog(t, data)
		run := log.Runs[0]
		if run.Results == nil || len(run.Results) != 0 {
			t.Errorf("results = %v, want []", run.Results)
		}
		if got := run.Tool.Driver.SemanticVersion; got != "0.0.0-dev" {
			t.Errorf("semanticVersion = %q, want 0.0.0-dev", got)
		}
		if len(run.Invocations) != 1 || !*run.Invocations[0].ExecutionSuccessful {
			t.Errorf("invocations = %+v, want one successful", run.Invocations)
		}
		if len(run.Tool.Driver.Rules) != len(rules.All()) {
			t.Errorf("%d rules, want all %d", len(run.Tool.Driver.Rules), len(rules.All()))
		}
	}
}

// TestWriteSARIFRules checks the descriptors of the real rules, whatever
// rules.All() holds, and that ruleIndex is the rule's position in it.
func TestWriteSARIFRules(t *testing.T) {
	all := rules.All()
	r := &Report{Root: t.TempDir()}
	for _, rule := range all {
		r.Findings = append(r.Findings, Finding{
			RuleID: rule.ID, Analyzer: rule.Analyzer, Level: rule.Level, Message: "m",
			Pos: Position{File: filepath.Join(r.Root, "x.go"), Line: 1, Column: 1},
		})
	}
	run := decodeLog(t, writeLog(t, r, all)).Runs[0]
	if len(run.Tool.Driver.Rules) != len(all) {
		t.Fatalf("%d rule descriptors, want %d", len(run.Tool.Driver.Rules), len(all))
	}
	for i, rule := range all {
		d := run.Tool.Driver.Rules[i]
		text := func(key, sub string) any {
			m, _ := d[key].(map[string]any)
			return m[sub]
		}
		props, _ := d["properties"].(map[string]any)
		want := map[string]any{
			"id":                           rule.ID,
			"name":                         rule.PascalName(),
			"shortDescription.text":        rule.Title,
			"fullDescription.text":         rule.Summary,
			"help.text":                    rule.Summary + " See " + rule.URL(),
			"help.markdown":                rule.Markdown(),
			"helpUri":                      rule.URL(),
			"defaultConfiguration.level":   rule.Level,
			"properties.security-severity": rule.SecuritySeverity,
			"properties.precision":         rule.Precision,
			"properties.problem.severity":  rule.Level,
		}
		got := map[string]any{
			"id":                           d["id"],
			"name":                         d["name"],
			"shortDescription.text":        text("shortDescription", "text"),
			"fullDescription.text":         text("fullDescription", "text"),
			"help.text":                    text("help", "text"),
			"help.markdown":                text("help", "markdown"),
			"helpUri":                      d["helpUri"],
			"defaultConfiguration.level":   text("defaultConfiguration", "level"),
			"properties.security-severity": props["security-severity"],
			"properties.precision":         props["precision"],
			"properties.problem.severity":  props["problem.severity"],
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s %s = %v, want %v", rule.ID, k, got[k], v)
			}
		}
		tags, _ := props["tags"].([]any)
		wantTags := []any{"security"}
		for _, n := range rule.CWEs {
			wantTags = append(wantTags, "external/cwe/cwe-"+strconv.Itoa(n))
		}
		if !slices.Equal(tags, wantTags) {
			t.Errorf("%s tags = %v, want %v", rule.ID, tags, wantTags)
		}
		if res := run.Results[i]; res.RuleID != rule.ID || res.RuleIndex == nil || *res.RuleIndex != i || res.Level != rule.Level {
			t.Errorf("result for %s: ruleId %s ruleIndex %v level %s", rule.ID, res.RuleID, res.RuleIndex, res.Level)
		}
	}
	if r, ok := rules.Get("PKCE001"); ok {
		d := run.Tool.Driver.Rules[0]
		if d["id"] != "PKCE001" || d["name"] != "MissingChallenge" || d["helpUri"] != "https://github.com/pkcevet/pkcevet/blob/main/rules/PKCE001.md" {
			t.Errorf("PKCE001 descriptor = %v", d)
		}
		props := d["properties"].(map[string]any)
		if tags := props["tags"].([]any); tags[1] != "external/cwe/cwe-345" || props["problem.severity"] != "error" {
			t.Errorf("PKCE001 properties = %v (rule %v)", props, r)
		}
	}
}

func TestWriteSARIFUnknownRule(t *testing.T) {
	r := &Report{Findings: []Finding{{RuleID: "PKCE999", Message: "m", Pos: Position{File: "/nonexistent/x.go", Line: 3, Column: 7, EndLine: 3, EndColumn: 9}}}}
	run := decodeLog(t, writeLog(t, r, testRules)).Runs[0]
	if n := len(run.Tool.Driver.Rules); n != len(testRules)+1 || run.Tool.Driver.Rules[n-1]["id"] != "PKCE999" {
		t.Fatalf("rules = %v, want the test rules and PKCE999", run.Tool.Driver.Rules)
	}
	res := run.Results[0]
	if *res.RuleIndex != len(testRules) || res.Level != "warning" {
		t.Errorf("ruleIndex %d level %q", *res.RuleIndex, res.Level)
	}
	// An unreadable file keeps byte columns and has no fingerprint.
	reg := res.Locations[0].PhysicalLocation.Region
	if reg.StartColumn != 7 || reg.EndColumn != 9 || res.PartialFingerprints != nil {
		t.Errorf("region %+v, fingerprints %v", reg, res.PartialFingerprints)
	}
	if uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "file:///nonexistent/x.go" {
		t.Errorf("uri = %s", uri)
	}
}

func TestSemanticVersion(t *testing.T) {
	for in, want := range map[string]string{
		"v1.2.3":                               "1.2.3",
		"1.2.3":                                "1.2.3",
		"v0.1.1-0.20250101120000-abcdef123456": "0.1.1-0.20250101120000-abcdef123456",
		"v1.0.0+dirty":                         "1.0.0+dirty",
		"(devel)":                              "0.0.0-dev",
		"":                                     "0.0.0-dev",
		"devel go1.26":                         "0.0.0-dev",
	} {
		if got := semanticVersion(in); got != want {
			t.Errorf("semanticVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVersionIsOneString(t *testing.T) {
	for stamped, want := range map[string]string{
		"v1.2.3": "1.2.3",
		"v0.0.0-20251123120000-abcdef123456+dirty": "0.0.0-20251123120000-abcdef123456+dirty",
		"(devel)": "0.0.0-dev",
		"":        "0.0.0-dev",
	} {
		v := Version(stamped)
		if v != want {
			t.Errorf("Version(%q) = %q, want %q", stamped, v, want)
		}
		// The SARIF log shows the same string in both places.
		driver := decodeLog(t, writeLog(t, &Report{Version: v}, rules.All())).Runs[0].Tool.Driver
		if driver.Version != v || driver.SemanticVersion != v {
			t.Errorf("Version(%q) = %q, but SARIF says version %q, semanticVersion %q", stamped, v, driver.Version, driver.SemanticVersion)
		}
	}
}

func TestToolVersion(t *testing.T) {
	for in, want := range map[string]string{
		"v1.2.3":       "1.2.3",
		"1.2.3-rc.1":   "1.2.3-rc.1",
		"(devel)":      "0.0.0-dev",
		"":             "0.0.0-dev",
		"v2-something": "2-something", // not SemVer, but numeric enough to compare
	} {
		if got := toolVersion(in, semanticVersion(in)); got != want {
			t.Errorf("toolVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestURIs(t *testing.T) {
	for in, want := range map[string]string{
		"a.go":                "a.go",
		"sub/b.go":            "sub/b.go",
		"dir with space/é.go": "dir%20with%20space/%C3%A9.go",
		"a:b/c:d.go":          "a%3Ab/c:d.go",
		"100%/x#y?.go":        "100%25/x%23y%3F.go",
	} {
		if got := relativeURI(filepath.FromSlash(in)); got != want {
			t.Errorf("relativeURI(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := fileURI("/home/u/go/pkg/mod/x@v1/a b.go"), "file:///home/u/go/pkg/mod/x@v1/a%20b.go"; got != want {
		t.Errorf("fileURI = %q, want %q", got, want)
	}
}

func TestDropNulls(t *testing.T) {
	var buf bytes.Buffer
	in := `{"b":null,"a":[1,null,{"x":null,"y":"null"}],"c":{"d":null},"e":"s"}`
	if err := dropNulls(&buf, []byte(in)); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), `{"a":[1,null,{"y":"null"}],"c":{},"e":"s"}`; got != want {
		t.Errorf("dropNulls = %s, want %s", got, want)
	}
}
