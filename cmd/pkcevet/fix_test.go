package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixSrc holds one fixable mistake per rule; every fix together must leave
// a module that builds, with no finding left.
const fixSrc = `package m

import (
	"bytes"
	"context"
	"math/rand"
	"strconv"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}

// PKCE002: a challenge without a method.
func NoMethod(state, v string) string {
	return cfg.AuthCodeURL(state, oauth2.SetAuthURLParam("code_challenge", oauth2.S256ChallengeFromVerifier(v)))
}

// PKCE001: the verifier on the front channel.
func Leak(state, v string) string {
	return cfg.AuthCodeURL(state, oauth2.VerifierOption(v))
}

// PKCE003 and PKCE004: a math/rand verifier made in place, a constant
// state; crypto/rand comes in as crand while math/rand is still there.
func Weak() string {
	return cfg.AuthCodeURL("static", oauth2.S256ChallengeOption(strconv.Itoa(rand.Int())))
}

// PKCE005: bytes.Equal on a verifier, the file's only use of bytes.
type grant struct{ verifierBytes []byte }

func CheckVerifier(g *grant, got []byte) bool {
	return bytes.Equal(got, g.verifierBytes)
}

func Finish(ctx context.Context, code, v string) (*oauth2.Token, error) {
	return cfg.Exchange(ctx, code, oauth2.VerifierOption(v))
}
`

func TestFixAndDiff(t *testing.T) {
	dir := writeModule(t, map[string]string{"m.go": fixSrc})
	file := filepath.Join(dir, "m.go")

	// -diff prints every fix and changes nothing.
	r := pkcevet(t, dir, "-diff", "./...")
	if r.code != 1 {
		t.Errorf("-diff: exit %d, want 1 (findings)\nstderr:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"--- a/m.go\n+++ b/m.go\n",
		`+	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(v))`,
		`+	return cfg.AuthCodeURL(crand.Text(), oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))`,
		`+	return subtle.ConstantTimeCompare(got, g.verifierBytes) == 1`,
		`-	"math/rand"`,
		`-	"bytes"`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("-diff output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Count(r.stdout, "@@ ") == 0 {
		t.Errorf("-diff output has no hunk:\n%s", r.stdout)
	}
	if b, _ := os.ReadFile(file); string(b) != fixSrc {
		t.Fatalf("-diff changed m.go:\n%s", b)
	}

	// -fix applies them; the module builds; nothing is left to report.
	r = pkcevet(t, dir, "-fix", "./...")
	if r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "applied 5 fixes in 1 files") {
		t.Errorf("-fix: exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if b := runIn(t, dir, "go", "build", "./..."); b.code != 0 {
		fixed, _ := os.ReadFile(file)
		t.Fatalf("go build after -fix: %s\n%s", b.stderr, fixed)
	}
	pkcevet(t, dir, "./...").check(t, 0, "")
	r = pkcevet(t, dir, "-diff", "./...")
	if r.code != 0 || r.stdout != "" {
		t.Errorf("-diff after -fix: exit %d, stdout:\n%s", r.code, r.stdout)
	}
}
