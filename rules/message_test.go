package rules

import "testing"

func TestWithIDAndCutID(t *testing.T) {
	for _, c := range []struct{ msg, id, want string }{
		{"state is empty", "PKCE004", "state is empty (PKCE004)"},
		{"state is empty (PKCE004)", "PKCE004", "state is empty (PKCE004)"}, // once
		{"x (PKCE003)", "PKCE004", "x (PKCE003) (PKCE004)"},
		{"no rule", "", "no rule"},
	} {
		got := WithID(c.msg, c.id)
		if got != c.want {
			t.Errorf("WithID(%q, %q) = %q, want %q", c.msg, c.id, got, c.want)
		}
		if c.id == "" {
			continue
		}
		if text, id, ok := CutID(got); !ok || id != c.id || WithID(text, id) != got {
			t.Errorf("CutID(%q) = %q, %q, %v", got, text, id, ok)
		}
	}
	for _, msg := range []string{"plain", "x (see y)", "x (pkce004)", "x (PKCE999)", "x(PKCE001)"} {
		if text, id, ok := CutID(msg); ok || text != msg || id != "" {
			t.Errorf("CutID(%q) = %q, %q, %v; want no ID", msg, text, id, ok)
		}
	}
}
