package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
)

func TestWriteText(t *testing.T) {
	r, tmp := goldenReport(t)
	r.WorkDir = r.Root
	var buf bytes.Buffer
	if err := WriteText(&buf, r); err != nil {
		t.Fatal(err)
	}
	// Relative to the working directory below it, absolute outside it; the
	// suppressed finding, related locations and failures are not printed;
	// columns are bytes.
	want := "a.go:4:25: code_verifier built from x (PKCE001)\n" +
		filepath.Join("sub", "b.go") + ":6:9: AuthCodeURL without code_challenge; pass oauth2.S256ChallengeOption(verifier) (PKCE001)\n" +
		filepath.Join(tmp, "dep", "dep.go") + ":3:5: a finding in a file outside the module root (PKCE004)\n"
	if got := buf.String(); got != want {
		t.Errorf("WriteText =\n%s\nwant\n%s", got, want)
	}

	// A working directory below the file's directory: absolute path.
	r.WorkDir = filepath.Join(r.Root, "sub")
	buf.Reset()
	if err := WriteText(&buf, r); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String()[:len(r.Root)+len("/a.go:")], filepath.Join(r.Root, "a.go")+":"; got != want {
		t.Errorf("path outside the working directory = %q, want %q", got, want)
	}
}

func TestWriteTextEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, &Report{}); err != nil || buf.Len() != 0 {
		t.Errorf("WriteText(empty) = %q, %v", buf.String(), err)
	}
}

func TestWriteJSON(t *testing.T) {
	r, tmp := goldenReport(t)
	r.WorkDir = r.Root
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.Bytes())
	}
	findings := got["findings"].([]any)
	if got["version"] != "v1.2.3" || len(findings) != 4 {
		t.Fatalf("version %v, %d findings:\n%s", got["version"], len(findings), buf.Bytes())
	}
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}

	f0 := findings[0].(map[string]any)
	wantKeys := []string{"absFile", "analyzer", "column", "endColumn", "endLine", "file", "level", "line", "lineHash", "message", "name", "related", "rule", "suppressed"}
	if !slices.Equal(keys(f0), wantKeys) {
		t.Errorf("finding keys = %v, want %v", keys(f0), wantKeys)
	}
	want0 := map[string]any{
		"rule": "PKCE001", "analyzer": "missingchallenge", "name": "missing-challenge", "level": "error",
		"file": "a.go", "absFile": filepath.Join(r.Root, "a.go"),
		"line": 4.0, "column": 25.0, "endLine": 4.0, "endColumn": 26.0,
		"message": "code_verifier built from x", "suppressed": false,
	}
	for k, v := range want0 {
		if f0[k] != v {
			t.Errorf("finding 0 %s = %v, want %v", k, f0[k], v)
		}
	}
	rel := f0["related"].([]any)[0].(map[string]any)
	if rel["file"] != "a.go" || rel["line"] != 3.0 || rel["column"] != 8.0 || rel["message"] != "x comes from here" || len(rel) != 4 {
		t.Errorf("related = %v", rel)
	}

	// The suppressed finding is present, with its reason.
	f2 := findings[2].(map[string]any)
	if f2["suppressed"] != true || f2["reason"] != "state is checked by the session middleware" || f2["file"] != filepath.Join("sub", "b.go") {
		t.Errorf("finding 2 = %v", f2)
	}
	if _, ok := f2["related"]; ok {
		t.Errorf("finding 2 has related: %v", f2)
	}
	if f3 := findings[3].(map[string]any); f3["file"] != filepath.Join(tmp, "dep", "dep.go") || f3["file"] != f3["absFile"] {
		t.Errorf("finding 3 outside the working directory: file %v absFile %v", f3["file"], f3["absFile"])
	}

	errs := got["errors"].([]any)
	e0, e1 := errs[0].(map[string]any), errs[1].(map[string]any)
	if !slices.Equal(keys(e0), []string{"message", "package"}) || e0["package"] != "example.com/mod/broken" {
		t.Errorf("error 0 = %v", e0)
	}
	if !slices.Equal(keys(e1), []string{"file", "line", "message", "package"}) || e1["file"] != filepath.Join("sub", "b.go") || e1["line"] != 5.0 || e1["message"] != "undefined: oauth3" {
		t.Errorf("error 1 = %v", e1)
	}
}

func TestWriteJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, &Report{Version: "(devel)"}); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"version\": \"(devel)\",\n  \"findings\": [],\n  \"errors\": []\n}\n"
	if buf.String() != want {
		t.Errorf("WriteJSON(empty) =\n%s\nwant\n%s", buf.String(), want)
	}
}
