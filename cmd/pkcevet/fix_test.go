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

// TestFixMergedImports is issue 22's reproducer: two fixes in one file
// each remove one of the two uses of strconv; -fix must remove the import
// they leave unused, or the package no longer builds.
func TestFixMergedImports(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the demo's modules")
	}
	t.Parallel()
	dir := copyDemoWithExtra(t)
	env := []string{"GOWORK=off", "GOFLAGS=-mod=readonly"}
	if r := runInEnv(t, dir, env, binary, "-fix", "./agent"); r.code > 1 {
		t.Fatalf("pkcevet -fix ./agent: exit %d\n%s", r.code, r.stderr)
	}
	fixed, err := os.ReadFile(filepath.Join(dir, "agent", "extra.go"))
	if err != nil {
		t.Fatal(err)
	}
	if b := runInEnv(t, dir, env, "go", "build", "./agent"); b.code != 0 {
		t.Fatalf("go build ./agent after -fix: %s\n%s", b.stderr, fixed)
	}
	for _, gone := range []string{`"strconv"`, `"time"`, `"math/rand"`} {
		if strings.Contains(string(fixed), gone) {
			t.Errorf("agent/extra.go still imports %s:\n%s", gone, fixed)
		}
	}
}

func TestTidyImports(t *testing.T) {
	src := "package p\n\nimport (\n\t\"strconv\"\n\t\"unused/elsewhere/v2\"\n\tx \"strings\"\n)\n\nvar a, b = strconv.Itoa(1), x.ToUpper(\"a\")\n"
	res := strings.Replace(src, "strconv.Itoa(1)", `"1"`, 1)
	got, ok := tidyImports([]byte(src), []byte(res), true)
	// strconv goes; elsewhere (its name guessed as "elsewhere", never
	// used before) stays; x is still used.
	want := "package p\n\nimport (\n\tx \"strings\"\n\t\"unused/elsewhere/v2\"\n)\n\nvar a, b = \"1\", x.ToUpper(\"a\")\n"
	if !ok || string(got) != want {
		t.Errorf("tidyImports = %v\n%s\nwant:\n%s", ok, got, want)
	}
	if _, ok := tidyImports([]byte(src), []byte(src), false); ok {
		t.Errorf("tidyImports changed a file with nothing to remove and no gofmt")
	}
}
