package report

import (
	"bytes"
	"path/filepath"
	"testing"
)

func TestGitHub(t *testing.T) {
	ws := t.TempDir()
	mod := filepath.Join(ws, "svc")
	r := &Report{Root: mod, WorkDir: mod, Findings: []Finding{
		{RuleID: "PKCE003", Level: "error", Message: "weak verifier, 100% predictable: see x (PKCE003)",
			Pos: Position{File: filepath.Join(mod, "agent", "a.go"), Line: 42, Column: 9, EndLine: 42, EndColumn: 20}},
		{RuleID: "PKCE004", Level: "warning", Message: "state is empty",
			Pos: Position{File: filepath.Join(mod, "a,b.go"), Line: 3, Column: 1}},
		{RuleID: "PKCE001", Level: "error", Message: "suppressed", Suppressed: true,
			Pos: Position{File: filepath.Join(mod, "a.go"), Line: 1, Column: 1}},
		{RuleID: "PKCE001", Level: "error", Message: "old", Baseline: BaselineUnchanged,
			Pos: Position{File: filepath.Join(mod, "a.go"), Line: 2, Column: 1}},
	}, Failures: []Failure{
		{Package: "example.com/svc/broken", Message: "could not import x\nsecond line"},
		{Package: "example.com/svc/typo", Pos: &Position{File: filepath.Join(mod, "typo", "t.go"), Line: 3, Column: 9}, Message: "undefined: y"},
	}}
	want := "::error file=svc/agent/a.go,line=42,col=9,endLine=42,endColumn=20,title=PKCE003 weak-verifier::weak verifier, 100%25 predictable: see x (PKCE003)\n" +
		"::warning file=svc/a%2Cb.go,line=3,col=1,title=PKCE004 missing-state::state is empty (PKCE004)\n" +
		"::error title=pkcevet::example.com/svc/broken: could not import x%0Asecond line\n" +
		"::error file=svc/typo/t.go,line=3,title=pkcevet::example.com/svc/typo: undefined: y\n"
	var b bytes.Buffer
	if err := GitHubWriter(ws)(&b, r); err != nil {
		t.Fatal(err)
	}
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	// Outside a workflow: relative to the working directory.
	b.Reset()
	GitHubWriter("")(&b, &Report{WorkDir: mod, Findings: r.Findings[:1]})
	if want := "::error file=agent/a.go,line=42,col=9,endLine=42,endColumn=20,title=PKCE003 weak-verifier::weak verifier, 100%25 predictable: see x (PKCE003)\n"; b.String() != want {
		t.Errorf("without a workspace:\n%s\nwant:\n%s", b.String(), want)
	}
}
