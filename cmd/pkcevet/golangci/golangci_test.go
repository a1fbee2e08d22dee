package golangci

import (
	"go/token"
	"slices"
	"strconv"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
)

func TestSettings(t *testing.T) {
	newPlugin, err := register.GetPlugin(Name)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		conf any
		want []string // analyzer names; nil: an error
		test bool
	}{
		{nil, []string{"missingchallenge", "plainmethod", "weakverifier", "missingstate", "timingcompare", "globalverifier", "verifierexposed", "flowreuse", "redirecturi", "codereplay"}, false},
		{map[string]any{"enable": []string{"PKCE003", "missingstate"}, "test": true}, []string{"weakverifier", "missingstate"}, true},
		{map[string]any{"disable": []string{"globalverifier", "timing-compare"}}, []string{"missingchallenge", "plainmethod", "weakverifier", "missingstate", "verifierexposed", "flowreuse", "redirecturi", "codereplay"}, false},
		{map[string]any{"enable": []string{"PKCE099"}}, nil, false},
		{map[string]any{"tests": true}, nil, false}, // a typo of test
	} {
		p, err := newPlugin(tt.conf)
		if tt.want == nil {
			if err == nil {
				t.Errorf("%v: no error", tt.conf)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v: %v", tt.conf, err)
			continue
		}
		if p.GetLoadMode() != register.LoadModeTypesInfo {
			t.Errorf("load mode %q", p.GetLoadMode())
		}
		as, err := p.BuildAnalyzers()
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, a := range as {
			names = append(names, a.Name)
			if f := a.Flags.Lookup("test"); f == nil || f.Value.String() != strconv.FormatBool(tt.test) {
				t.Errorf("%v: %s -test = %v, want %v", tt.conf, a.Name, f, tt.test)
			}
		}
		if !slices.Equal(names, tt.want) {
			t.Errorf("%v: analyzers %v, want %v", tt.conf, names, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	fset := token.NewFileSet()
	f := fset.AddFile("/src/agent/agent.go", -1, 100)
	f.SetLines([]int{0, 10, 20, 30})
	pass := &analysis.Pass{Fset: fset}
	d := analysis.Diagnostic{Pos: f.Pos(5), Message: "weak verifier", Related: []analysis.RelatedInformation{
		{Pos: f.Pos(22), Message: "the verifier's source: math/rand.Int63"},
	}}
	got := Fold(pass, d)
	if want := "weak verifier (the verifier's source: math/rand.Int63 at agent.go:3:3)"; got.Message != want || got.Related != nil {
		t.Errorf("Fold = %q, %v; want %q and no related", got.Message, got.Related, want)
	}
	if d.Message != "weak verifier" || len(d.Related) != 1 {
		t.Errorf("Fold changed its argument")
	}

	// The related locations go before the rule ID, which ends the message.
	d.Message = "weak verifier (PKCE003)"
	if want := "weak verifier (the verifier's source: math/rand.Int63 at agent.go:3:3) (PKCE003)"; Fold(pass, d).Message != want {
		t.Errorf("Fold = %q, want %q", Fold(pass, d).Message, want)
	}
}
