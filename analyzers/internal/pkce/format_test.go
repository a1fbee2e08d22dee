package pkce

import (
	"fmt"
	"testing"
)

func TestFormatKeys(t *testing.T) {
	for _, tc := range []struct {
		format string
		want   []string
	}{
		{"%s/authorize?client_id=%s&response_type=code&state=%s", []string{"", "client_id", "state"}},
		{"state=%v&code_verifier=%-10s", []string{"state", "code_verifier"}},
		{"100%% done: %d", []string{""}},
		{"%", nil},
		{"=%s", []string{""}},
		{"a=%[1]s", nil},
		{"w=%*d", nil},
		{"", nil},
	} {
		if got := formatKeys(tc.format); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("formatKeys(%q) = %q, want %q", tc.format, got, tc.want)
		}
	}
}

func FuzzFormatKeys(f *testing.F) {
	f.Add("%s/authorize?client_id=%s&state=%s")
	f.Add("=%")
	f.Fuzz(func(t *testing.T, format string) {
		formatKeys(format) // must not panic
	})
}
