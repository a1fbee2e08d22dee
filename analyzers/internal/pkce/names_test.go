package pkce

import (
	"slices"
	"testing"
)

func TestWords(t *testing.T) {
	for name, want := range map[string][]string{
		"pkceCodeVerifier":   {"pkce", "code", "verifier"},
		"IDTokenVerifier":    {"id", "token", "verifier"},
		"code_verifier":      {"code", "verifier"},
		"s256Challenge":      {"s256challenge"}, // a digit does not end a word
		"CodeChallengeS256":  {"code", "challenge", "s256"},
		"HTTPServer":         {"http", "server"},
		"x":                  {"x"},
		"__a__B":             {"a", "b"},
		"":                   nil,
		"état_Vérificateur":  {"état", "vérificateur"},
		"ÉtatCodeVérifieur":  {"état", "code", "vérifieur"},
		"oauth2.AuthCodeURL": {"oauth2", "auth", "code", "url"},
	} {
		if got := Words(name); !slices.Equal(got, want) {
			t.Errorf("Words(%q) = %q, want %q", name, got, want)
		}
	}
}

// FuzzWords checks the ASCII path of Words against the rune-by-rune one,
// which every name with a non-ASCII letter takes.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"pkceCodeVerifier", "IDTokenVerifier", "a_B-c.D", "ABc", "aB", "A", "9Z", "zZZz", "_", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := Words(name), wordsOfRunes(name); !slices.Equal(got, want) {
			t.Errorf("Words(%q) = %q, rune by rune %q", name, got, want)
		}
	})
}
