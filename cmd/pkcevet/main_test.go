package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/pkcevet/pkcevet/rules"
)

// binary is the pkcevet command built once by TestMain; the end-to-end
// tests run it on small modules they write.
var binary string

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	// The tests see every run analyse, and the user's result cache is
	// left alone: the cache's own tests give it a directory of theirs.
	os.Setenv("PKCEVET_CACHE", "off")
	dir, err := os.MkdirTemp("", "pkcevet-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "pkcevet")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building pkcevet: %v\n%s", err, out)
		return 2
	}
	return m.Run()
}

// stubDir holds the test stub of golang.org/x/oauth2 that the analyzer
// tests use; the test modules replace the real module with it, so that
// nothing is downloaded.
const stubDir = "../../testdata/src/golang.org/x/oauth2"

// writeModule writes a module example.com/m with the files (path → content)
// into a new directory and returns it.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	stub, err := os.ReadFile(filepath.Join(stubDir, "oauth2.go"))
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]string{
		"go.mod": `module example.com/m

go 1.26

require golang.org/x/oauth2 v0.37.0

replace golang.org/x/oauth2 => ./oauth2stub
`,
		"oauth2stub/go.mod":    "module golang.org/x/oauth2\n\ngo 1.26\n",
		"oauth2stub/oauth2.go": string(stub),
	}
	for name, content := range files {
		all[name] = content
	}
	for name, content := range all {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// result is what a run of a command printed and its exit status.
type result struct {
	stdout, stderr string
	code           int
}

// runIn runs name with args in dir, offline.
func runIn(t *testing.T, dir, name string, args ...string) result {
	t.Helper()
	return runInEnv(t, dir, nil, name, args...)
}

// runInEnv runs name with args in dir, offline, with the environment
// variables env (KEY=value) set too: they win over the defaults.
func runInEnv(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=mod")
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	code := 0
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s: %v", name, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// pkcevet runs the binary in dir.
func pkcevet(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runIn(t, dir, binary, args...)
}

// check fails the test unless the run exited with code and printed want
// on stdout exactly.
func (r result) check(t *testing.T, code int, want string) {
	t.Helper()
	if r.code != code || r.stdout != want {
		t.Errorf("exit %d, stdout:\n%s\nwant exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, code, want, r.stderr)
	}
}

// cleanSrc is a correct client: verifier from oauth2.GenerateVerifier,
// state from crypto/rand.
const cleanSrc = `package clean

import (
	"context"
	"crypto/rand"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}

// Start begins a flow.
func Start() (url, state, verifier string) {
	state, verifier = rand.Text(), oauth2.GenerateVerifier()
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), state, verifier
}

// Finish exchanges the code.
func Finish(ctx context.Context, code, verifier string) (*oauth2.Token, error) {
	return cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
}
`

// weakSrc has one PKCE003 finding, at 16:66: a math/rand verifier.
const weakSrc = `package weak

import (
	crand "crypto/rand"
	mrand "math/rand"
	"strconv"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}

// URL starts a flow with a math/rand verifier.
func URL() string {
	v := strconv.FormatInt(mrand.Int63(), 36)
	return cfg.AuthCodeURL(crand.Text(), oauth2.S256ChallengeOption(v))
}
`

const weakMsg = "code verifier used in oauth2.S256ChallengeOption comes from math/rand.Int63 (weak.go:15), which an attacker can predict; generate it with oauth2.GenerateVerifier() (PKCE003)"

// weakLine is the text line of weakSrc's finding, in dir.
func weakLine(dir string) string {
	return filepath.Join(dir, "weak.go") + ":16:66: " + weakMsg + "\n"
}

func TestClean(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"clean/clean.go": cleanSrc})
	pkcevet(t, dir).check(t, 0, "")

	// Every analyzer's own flags are accepted as -analyzer.flag.
	var args []string
	for _, a := range analyzers() {
		a.Flags.VisitAll(func(f *flag.Flag) {
			args = append(args, "-"+a.Name+"."+f.Name+"="+f.DefValue)
		})
	}
	pkcevet(t, dir, args...).check(t, 0, "")
}

func TestFinding(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"clean/clean.go": cleanSrc, "weak/weak.go": weakSrc})
	pkcevet(t, dir).check(t, 1, weakLine("weak"))
	pkcevet(t, dir, "./weak").check(t, 1, weakLine("weak"))
	pkcevet(t, dir, "./clean").check(t, 0, "")
	// Paths are relative to the working directory.
	pkcevet(t, filepath.Join(dir, "weak"), ".").check(t, 1, weakLine(""))
	pkcevet(t, dir, "-no-fail").check(t, 0, weakLine("weak"))
	pkcevet(t, dir, "-weakverifier=false").check(t, 0, "")
	pkcevet(t, dir, "-weakverifier").check(t, 1, weakLine("weak"))
}

func TestTypeErrorElsewhere(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"weak/weak.go": weakSrc,
		"broken/broken.go": `package broken

func Helper() int { return undefinedName }
`,
		"user/user.go": `package user

import "example.com/m/broken"

var N = broken.Helper()
`,
	})
	// broken and user have no mark of OAuth or PKCE code: by default
	// they are not type-checked, and their type errors are not reported
	// (issue 21).
	r := pkcevet(t, dir)
	r.check(t, 1, weakLine("weak"))
	if r.stderr != "" {
		t.Errorf("without -all, stderr:\n%s\nwant nothing: the broken packages are left out", r.stderr)
	}
	// -all type-checks them.
	r = pkcevet(t, dir, "-all")
	r.check(t, 2, weakLine("weak"))
	for _, want := range []string{
		"pkcevet: example.com/m/broken: broken/broken.go:3:28: undefined: undefinedName\n",
		"pkcevet: example.com/m/user: not analyzed: it imports example.com/m/broken, which has errors\n",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
		}
	}
	// The failure is in the JSON report too.
	r = pkcevet(t, dir, "-all", "-format", "json")
	var rep struct {
		Errors []struct{ Package, File, Message string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if r.code != 2 || len(rep.Errors) != 2 || rep.Errors[0].Package != "example.com/m/broken" || rep.Errors[0].File != "broken/broken.go" {
		t.Errorf("exit %d, errors %+v", r.code, rep.Errors)
	}
}

func TestPatternMatchesNothing(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"weak/weak.go": weakSrc, "empty/README": "no Go here\n"})
	r := pkcevet(t, dir, "./empty/...", "./weak")
	r.check(t, 2, weakLine("weak"))
	if want := "pkcevet: ./empty/...: pattern ./empty/... matched no packages\n"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
	}
}

func TestGeneratedFileSkipped(t *testing.T) {
	t.Parallel()
	gen := strings.Replace(weakSrc, "package weak", "// Code generated by hand for this test. DO NOT EDIT.\n\npackage weak", 1)
	dir := writeModule(t, map[string]string{"weak/weak.go": gen})
	pkcevet(t, dir).check(t, 0, "")
}

func TestTestFiles(t *testing.T) {
	t.Parallel()
	internalTest := strings.NewReplacer("var cfg", "var cfgT", "cfg.", "cfgT.", "func URL()", "func testURL()").Replace(weakSrc)
	externalTest := strings.NewReplacer("package weak", "package weak_test", "var cfg", "var cfg2", "cfg.", "cfg2.", "func URL()", "func externalURL()").Replace(weakSrc)
	dir := writeModule(t, map[string]string{
		"weak/weak.go":          weakSrc,
		"weak/internal_test.go": internalTest,
		"weak/external_test.go": externalTest,
	})
	pkcevet(t, dir).check(t, 1, weakLine("weak"))
	msg := strings.Replace(weakMsg, "weak.go:15", "%s:15", 1)
	want := "weak/external_test.go:16:67: " + fmt.Sprintf(msg, "external_test.go") + "\n" +
		"weak/internal_test.go:16:67: " + fmt.Sprintf(msg, "internal_test.go") + "\n" +
		weakLine("weak") // once, though -test analyses weak.go in two packages
	pkcevet(t, dir, "-test").check(t, 1, want)
}

func TestSuppression(t *testing.T) {
	t.Parallel()
	// The first directive covers line 16, where v is defined, not the
	// finding on line 18: it is unused. The second covers the finding.
	suppressed := strings.NewReplacer(
		"\tv := strconv", "\t//pkcevet:ignore PKCE003 covers the wrong statement\n\tv := strconv",
		"\treturn cfg.", "\t//pkcevet:ignore PKCE003 the statement above was the mistake\n\treturn cfg.",
	).Replace(weakSrc)
	dir := writeModule(t, map[string]string{"weak/weak.go": suppressed})
	unused := "weak/weak.go:15:2: unused //pkcevet:ignore directive for PKCE003: no PKCE003 finding here; remove it (PKCE003)\n"
	pkcevet(t, dir).check(t, 1, unused)

	r := pkcevet(t, dir, "-format", "json")
	var rep struct {
		Findings []struct {
			Rule       string
			Line       int
			Suppressed bool
			Reason     string
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	want := `[{PKCE003 15 false } {PKCE003 18 true the statement above was the mistake}]`
	if got := fmt.Sprint(rep.Findings); r.code != 1 || got != want {
		t.Errorf("exit %d, findings %s, want %s", r.code, got, want)
	}

	// Only the suppressed finding: exit 0 and nothing printed.
	dir = writeModule(t, map[string]string{"weak/weak.go": strings.Replace(weakSrc,
		"oauth2.S256ChallengeOption(v))", "oauth2.S256ChallengeOption(v)) //pkcevet:ignore PKCE003 fixture", 1)})
	pkcevet(t, dir).check(t, 0, "")

	// A directive without a reason suppresses nothing and is reported.
	dir = writeModule(t, map[string]string{"weak/weak.go": strings.Replace(weakSrc,
		"oauth2.S256ChallengeOption(v))", "oauth2.S256ChallengeOption(v)) //pkcevet:ignore PKCE003", 1)})
	pkcevet(t, dir).check(t, 1, weakLine("weak")+
		"weak/weak.go:16:70: //pkcevet:ignore directive for PKCE003 gives no reason and suppresses nothing; write //pkcevet:ignore PKCE003 <why the finding is safe> (PKCE003)\n")

	// An unknown rule is a failure.
	dir = writeModule(t, map[string]string{"weak/weak.go": strings.Replace(weakSrc,
		"oauth2.S256ChallengeOption(v))", "oauth2.S256ChallengeOption(v)) //pkcevet:ignore PKCE099 typo", 1)})
	r = pkcevet(t, dir)
	r.check(t, 2, weakLine("weak"))
	if want := `pkcevet: example.com/m/weak: weak/weak.go:16:70: unknown rule "PKCE099" in //pkcevet:ignore directive`; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
	}
}

// helperSrc is a weak helper, reported nowhere by itself, and a weak flow
// of its own.
const helperSrc = `package rnd

import (
	mrand "math/rand"

	"golang.org/x/oauth2"
)

// Weak returns math/rand letters.
func Weak(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = "abcdefghijklmnopqrstuvwxyz"[mrand.Intn(26)]
	}
	return string(b)
}

// Option is a weak flow inside the helper package.
func Option() oauth2.AuthCodeOption {
	return oauth2.S256ChallengeOption(Weak(43))
}
`

func TestHelperInUnscannedPackage(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"internal/rnd/rnd.go": helperSrc,
		"cmd/app/main.go": `package main

import (
	"crypto/rand"
	"fmt"

	"golang.org/x/oauth2"

	"example.com/m/internal/rnd"
)

func main() {
	cfg := &oauth2.Config{}
	fmt.Println(cfg.AuthCodeURL(rand.Text(), oauth2.S256ChallengeOption(rnd.Weak(64))))
}
`,
	})
	// internal/rnd is analysed for facts but its own finding (Option)
	// is not reported: only ./cmd/... was asked for.
	r := pkcevet(t, dir, "./cmd/...")
	re := regexp.MustCompile(`^cmd/app/main\.go:14:70: code verifier used in oauth2\.S256ChallengeOption comes from math/rand\.Intn \(internal/rnd/rnd\.go:\d+\), which an attacker can predict.* \(PKCE003\)\n$`)
	if r.code != 1 || !re.MatchString(r.stdout) {
		t.Errorf("exit %d, stdout:\n%s\nwant exit 1, a line matching %s\nstderr:\n%s", r.code, r.stdout, re, r.stderr)
	}
	// Scanning everything reports both.
	r = pkcevet(t, dir)
	if r.code != 1 || strings.Count(r.stdout, "\n") != 2 || !strings.Contains(r.stdout, "internal/rnd/rnd.go:") {
		t.Errorf("exit %d, stdout:\n%s\nwant exit 1 and two findings", r.code, r.stdout)
	}
}

// TestHelperInDependency: a weak helper in another module (a dependency
// that imports x/oauth2, analysed for its facts) makes the finding in the
// main module, with and without -test and -all, and the dependency's own
// finding is not reported.
func TestHelperInDependency(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"go.mod": `module example.com/m

go 1.26

require (
	example.com/dep v0.0.0
	golang.org/x/oauth2 v0.37.0
)

replace (
	example.com/dep => ./depmod
	golang.org/x/oauth2 => ./oauth2stub
)
`,
		"depmod/go.mod":     "module example.com/dep\n\ngo 1.26\n\nrequire golang.org/x/oauth2 v0.37.0\n",
		"depmod/rnd/rnd.go": helperSrc,
		"app/app.go": `package app

import (
	"crypto/rand"

	"golang.org/x/oauth2"

	"example.com/dep/rnd"
)

var cfg = &oauth2.Config{}

// URL starts a flow with the dependency's weak verifier.
func URL() string {
	return cfg.AuthCodeURL(rand.Text(), oauth2.S256ChallengeOption(rnd.Weak(64)))
}
`,
	})
	re := regexp.MustCompile(`^app/app\.go:15:65: code verifier used in oauth2\.S256ChallengeOption comes from math/rand\.Intn \(example\.com/dep/rnd/rnd\.go:\d+\), which an attacker can predict.* \(PKCE003\)\n$`)
	for _, args := range [][]string{nil, {"-test"}, {"-all"}, {"-all", "-test"}} {
		r := pkcevet(t, dir, args...)
		if r.code != 1 || !re.MatchString(r.stdout) {
			t.Errorf("pkcevet %v: exit %d, stdout:\n%s\nwant exit 1, one line matching %s\nstderr:\n%s", args, r.code, r.stdout, re, r.stderr)
		}
	}
}

// TestTestFlagAddsTestFindings: -test adds the findings of _test.go files
// and changes nothing in the others. A test that builds its expected
// authorization URL with url.Values (dex's connectors) used to make the
// package's own flow two findings with different messages, and its
// confidential redemption a third.
func TestTestFlagAddsTestFindings(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"conn/conn.go": `package conn

import (
	"context"
	"net/http"

	"golang.org/x/oauth2"
)

type Conn struct{ ClientID, Secret, AuthURL, TokenURL string }

func (c *Conn) LoginURL(state string) string {
	cfg := &oauth2.Config{ClientID: c.ClientID, ClientSecret: c.Secret, Endpoint: oauth2.Endpoint{AuthURL: c.AuthURL}}
	return cfg.AuthCodeURL(state)
}

func (c *Conn) HandleCallback(r *http.Request) (*oauth2.Token, error) {
	cfg := &oauth2.Config{ClientID: c.ClientID, ClientSecret: c.Secret, Endpoint: oauth2.Endpoint{TokenURL: c.TokenURL}}
	return cfg.Exchange(context.Background(), r.URL.Query().Get("code"))
}
`,
		"conn/conn_test.go": `package conn

import (
	"crypto/rand"
	"net/url"
	"testing"
)

func TestLoginURL(t *testing.T) {
	c := &Conn{ClientID: "c", AuthURL: "https://as.example/authorize"}
	v := url.Values{}
	v.Add("client_id", "c")
	v.Add("response_type", "code")
	v.Add("state", rand.Text())
	if c.LoginURL(v.Get("state")) != c.AuthURL+"?"+v.Encode() {
		t.Fatal("mismatch")
	}
}
`,
	})
	notTests := func(out string) string {
		var keep []string
		for _, line := range strings.SplitAfter(out, "\n") {
			if line != "" && !strings.Contains(line, "_test.go:") {
				keep = append(keep, line)
			}
		}
		return strings.Join(keep, "")
	}
	plain, withTests := pkcevet(t, dir, "-no-fail"), pkcevet(t, dir, "-no-fail", "-test")
	if n := strings.Count(plain.stdout, "\n"); n != 1 || !strings.Contains(plain.stdout, "redeemed without code_verifier at conn.go:19") {
		t.Fatalf("without -test: %d findings, want 1, the request naming its redemption:\n%s", n, plain.stdout)
	}
	if got, want := notTests(withTests.stdout), plain.stdout; got != want {
		t.Errorf("-test changed the findings of conn.go:\n%s\nwithout -test:\n%s", got, want)
	}
}

func TestFormats(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"weak/weak.go": weakSrc})

	r := pkcevet(t, dir, "-format", "json")
	var rep struct {
		Version  string
		Findings []map[string]any
		Errors   []any
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("-format json: %v\n%s", err, r.stdout)
	}
	if r.code != 1 || len(rep.Findings) != 1 || len(rep.Errors) != 0 {
		t.Fatalf("exit %d, report %+v", r.code, rep)
	}
	f := rep.Findings[0]
	want := map[string]any{"rule": "PKCE003", "analyzer": "weakverifier", "level": "error", "file": "weak/weak.go",
		"absFile": filepath.Join(dir, "weak/weak.go"), "line": 16.0, "column": 66.0, "endLine": 16.0, "endColumn": 67.0}
	// The rule ID is a field of its own and ends the message too, as in
	// every driver's output (a //pkcevet:ignore directive needs it).
	want["message"] = weakMsg
	for k, v := range want {
		if f[k] != v {
			t.Errorf("finding %s = %v, want %v", k, f[k], v)
		}
	}

	out := filepath.Join(t.TempDir(), "report.sarif")
	pkcevet(t, dir, "-format", "sarif", "-o", out).check(t, 1, "")
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string
		Runs    []struct {
			Results []struct {
				RuleID  string
				Message struct{ Text string }
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("-format sarif: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 || log.Runs[0].Results[0].RuleID != "PKCE003" {
		t.Errorf("SARIF log: %+v", log)
	} else if got := log.Runs[0].Results[0].Message.Text; got != weakMsg {
		t.Errorf("SARIF message %q, want %q", got, weakMsg)
	}
}

func TestInfoFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rule := rules.MustGet("PKCE003")
	for _, key := range []string{"PKCE003", "pkce003", "weakverifier", "weak-verifier"} {
		pkcevet(t, dir, "-explain", key).check(t, 0, rule.Markdown())
	}
	r := pkcevet(t, dir, "-explain", "PKCE099")
	r.check(t, 2, "")
	if !strings.Contains(r.stderr, `no rule "PKCE099"`) {
		t.Errorf("-explain PKCE099 stderr: %s", r.stderr)
	}

	r = pkcevet(t, dir, "-version")
	if r.code != 0 || !regexp.MustCompile(`^pkcevet \S+\n$`).MatchString(r.stdout) {
		t.Errorf("-version: exit %d, stdout %q", r.code, r.stdout)
	}

	// A mistake on the command line: one line that says it, and where
	// the usage is, as the go command does; not the usage itself.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-bogus"}, "pkcevet: flag provided but not defined: -bogus"},
		{[]string{"-format", "xml"}, `pkcevet: -format "xml": want text, json, sarif or github`},
		{[]string{"-explain"}, "pkcevet: flag needs an argument: -explain"},
		{[]string{"-test=maybe"}, `pkcevet: invalid boolean value "maybe" for -test: parse error`},
	} {
		r := pkcevet(t, dir, c.args...)
		r.check(t, 2, "")
		if want := c.want + "\nrun 'pkcevet -h' for usage\n"; r.stderr != want {
			t.Errorf("%q: stderr:\n%s\nwant:\n%s", c.args, r.stderr, want)
		}
	}
	r = pkcevet(t, dir, "-help")
	r.check(t, 0, "")
	if !strings.Contains(r.stderr, "Usage:") || !strings.Contains(r.stderr, "-explain rule") {
		t.Errorf("-help: stderr has no usage:\n%s", r.stderr)
	}

	// go vet, given a flag it does not know, says "Run 'pkcevet help'
	// for a full list of flags and analyzers": that works.
	r = pkcevet(t, dir, "help")
	if r.code != 0 || !strings.Contains(r.stdout, "Usage:") || !strings.Contains(r.stdout, "-weakverifier") {
		t.Errorf("help: exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	pkcevet(t, dir, "help", "PKCE003").check(t, 0, rule.Markdown())
}

// TestVetBadFlagAdvice runs go vet -vettool with a flag pkcevet does not
// have and then the command go vet advises, which must work.
func TestVetBadFlagAdvice(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"clean/clean.go": cleanSrc})
	r := runIn(t, dir, "go", "vet", "-vettool="+binary, "-bogus", "./...")
	if r.code == 0 || !strings.Contains(r.stderr, "-bogus") {
		t.Fatalf("go vet -bogus: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	m := regexp.MustCompile(`Run '(\S+) help'`).FindStringSubmatch(r.stderr)
	if m == nil {
		t.Skipf("go vet no longer advises 'pkcevet help':\n%s", r.stderr)
	}
	if h := runIn(t, dir, m[1], "help"); h.code != 0 || !strings.Contains(h.stdout, "Usage:") {
		t.Errorf("%s help (go vet's advice): exit %d\nstdout:\n%s\nstderr:\n%s", m[1], h.code, h.stdout, h.stderr)
	}
}

// TestVersion checks that -version, the JSON report and the SARIF log say
// the same version (issue 13: they said "(devel)" and "0.0.0-dev").
func TestVersion(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"clean/clean.go": cleanSrc})
	r := pkcevet(t, dir, "-version")
	version, ok := strings.CutPrefix(strings.TrimSuffix(r.stdout, "\n"), "pkcevet ")
	if r.code != 0 || !ok || version == "" || strings.ContainsAny(version, " ()") {
		t.Fatalf("-version: exit %d, stdout %q", r.code, r.stdout)
	}

	r = pkcevet(t, dir, "-format", "json")
	var rep struct{ Version string }
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("-format json: %v\n%s", err, r.stdout)
	}
	r = pkcevet(t, dir, "-format", "sarif")
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct{ Version, SemanticVersion string }
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("-format sarif: %v\n%s", err, r.stdout)
	}
	d := log.Runs[0].Tool.Driver
	if rep.Version != version || d.Version != version || d.SemanticVersion != version {
		t.Errorf("-version says %q, JSON %q, SARIF version %q and semanticVersion %q: want one string", version, rep.Version, d.Version, d.SemanticVersion)
	}
}

func TestGoVet(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"clean/clean.go": cleanSrc, "weak/weak.go": weakSrc})
	r := runIn(t, dir, "go", "vet", "-vettool="+binary, "./...")
	// The rule ID ends the message, as in the binary's text output.
	want := "weak/weak.go:16:66: " + weakMsg + "\n"
	if r.code != 1 || !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, "(PKCE003) (PKCE003)") {
		t.Errorf("go vet: exit %d, stderr:\n%s\nwant exit 1 and %q", r.code, r.stderr, want)
	}
	r = runIn(t, dir, "go", "vet", "-vettool="+binary, "-weakverifier=false", "./...")
	if r.code != 0 || r.stderr != "" {
		t.Errorf("go vet -weakverifier=false: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	// Standalone flags are not the vet tool's.
	r = runIn(t, dir, "go", "vet", "-vettool="+binary, "-format=json", "./...")
	if r.code == 0 {
		t.Errorf("go vet -format=json: exit 0, want an error")
	}
	// go vet -json carries it too.
	r = runIn(t, dir, "go", "vet", "-vettool="+binary, "-json", "./...")
	if want := strconv.Quote(weakMsg); r.code != 0 || !strings.Contains(r.stdout+r.stderr, want) {
		t.Errorf("go vet -json: exit %d, output:\n%s%s\nwant %s", r.code, r.stdout, r.stderr, want)
	}
	// A directive's own problem carries its rule ID under go vet too.
	dir = writeModule(t, map[string]string{"weak/weak.go": strings.Replace(weakSrc,
		"oauth2.S256ChallengeOption(v))", "oauth2.S256ChallengeOption(v)) //pkcevet:ignore PKCE003", 1)})
	r = runIn(t, dir, "go", "vet", "-vettool="+binary, "./...")
	if want := "weak/weak.go:16:70: //pkcevet:ignore directive for PKCE003 gives no reason and suppresses nothing; write //pkcevet:ignore PKCE003 <why the finding is safe> (PKCE003)\n"; r.code != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("go vet on a directive without a reason: exit %d, stderr:\n%s\nwant %q", r.code, r.stderr, want)
	}
	// Suppression works under go vet too.
	dir = writeModule(t, map[string]string{"weak/weak.go": strings.Replace(weakSrc,
		"oauth2.S256ChallengeOption(v))", "oauth2.S256ChallengeOption(v)) //pkcevet:ignore PKCE003 fixture", 1)})
	r = runIn(t, dir, "go", "vet", "-vettool="+binary, "./...")
	if r.code != 0 || r.stderr != "" {
		t.Errorf("go vet on a suppressed finding: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// TestSARIFRootWithDependencyPattern checks that %SRCROOT% is the main
// module whatever the order of the patterns, when one names a dependency
// whose module lies elsewhere (issue 13: the dependency's directory became
// the root, and every result pointed at a file not in the repository).
func TestSARIFRootWithDependencyPattern(t *testing.T) {
	t.Parallel()
	depDir := t.TempDir()
	for name, content := range map[string]string{
		"go.mod":       "module example.com/dep\n\ngo 1.26\n\nrequire golang.org/x/oauth2 v0.37.0\n",
		"flow/weak.go": strings.Replace(weakSrc, "package weak", "package flow", 1),
	} {
		path := filepath.Join(depDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := writeModule(t, map[string]string{
		"weak/weak.go": weakSrc,
		"go.mod": `module example.com/m

go 1.26

require (
	example.com/dep v1.0.0
	golang.org/x/oauth2 v0.37.0
)

replace golang.org/x/oauth2 => ./oauth2stub

replace example.com/dep => ` + depDir + `
`,
	})
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct{ URI, URIBaseID string }
		}
	}
	for _, patterns := range [][]string{
		{"example.com/dep/...", "./weak"},
		{"./weak", "example.com/dep/..."},
	} {
		r := pkcevet(t, dir, append([]string{"-format", "sarif"}, patterns...)...)
		var log struct {
			Runs []struct {
				OriginalURIBaseIDs map[string]struct{ URI string }
				Results            []struct{ Locations []location }
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || len(log.Runs) != 1 {
			t.Fatalf("%q: exit %d, %v\n%s\nstderr:\n%s", patterns, r.code, err, r.stdout, r.stderr)
		}
		run := log.Runs[0]
		if got, want := run.OriginalURIBaseIDs["%SRCROOT%"].URI, "file://"+filepath.ToSlash(dir)+"/"; got != want {
			t.Errorf("%q: %s is %s, want the main module %s", patterns, "%SRCROOT%", got, want)
		}
		var uris []string
		for _, res := range run.Results {
			for _, loc := range res.Locations {
				a := loc.PhysicalLocation.ArtifactLocation
				uris = append(uris, a.URIBaseID+" "+a.URI)
			}
		}
		// The dependency's file is outside the root: an absolute URI.
		want := []string{" file://" + filepath.ToSlash(depDir) + "/flow/weak.go", "%SRCROOT% weak/weak.go"}
		if r.code != 1 || fmt.Sprint(uris) != fmt.Sprint(want) {
			t.Errorf("%q: exit %d, locations %q, want exit 1 and %q\nstderr:\n%s", patterns, r.code, uris, want, r.stderr)
		}
	}
}

// TestProgress checks the progress report on stderr (issue 13): with -v,
// one line per step; when stderr is a terminal, one line rewritten in
// place and erased before the report; otherwise nothing.
func TestProgress(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"clean/clean.go": cleanSrc, "weak/weak.go": weakSrc,
		"weak/x_test.go": "package weak_test\n"})

	// The type-checking total is not known in advance (it is in go
	// list's output, which go/packages keeps until it has type-checked
	// everything): a count, whose last value is always printed. With
	// -test, a package and its test variants count as one.
	want := regexp.MustCompile(`^pkcevet: listing packages
pkcevet: reading syntax: 0/2 packages
pkcevet: reading syntax: 2/2 packages
pkcevet: listing 2 packages to type-check
pkcevet: type-checking
pkcevet: type-checking: 2 packages
pkcevet: analysing: 0/2 packages
pkcevet: analysing: 2/2 packages
pkcevet: done: 1 finding; 2 packages: 2 analysed, 0 left out \(no OAuth or PKCE mark\), in \S+
$`)
	// On a slow machine, heartbeats ("listing packages, 10s: …") may come
	// between those lines.
	heartbeat := regexp.MustCompile(`(?m)^pkcevet: .*, [0-9][0-9hms.]*s(: .*)?\n`)
	for _, args := range [][]string{{"-v"}, {"-v", "-test"}} {
		r := pkcevet(t, dir, args...)
		r.check(t, 1, weakLine("weak"))
		if !want.MatchString(heartbeat.ReplaceAllString(r.stderr, "")) {
			t.Errorf("%q: stderr:\n%s\nwant a match for\n%s", args, r.stderr, want)
		}
	}

	// Piped, without -v: nothing.
	r := pkcevet(t, dir)
	r.check(t, 1, weakLine("weak"))
	if r.stderr != "" {
		t.Errorf("stderr is not a terminal and no -v, but progress was printed:\n%s", r.stderr)
	}

	// On a terminal, through script(1) from util-linux.
	if runtime.GOOS != "linux" {
		t.Skip("script(1) with util-linux flags is needed for a terminal")
	}
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("no script(1) to give pkcevet a terminal")
	}
	r = runIn(t, dir, script, "-q", "-e", "-c", "'"+binary+"' ./...", "/dev/null")
	const erase = "\r\033[K"
	out := strings.ReplaceAll(r.stdout, "\r\n", "\n") // the terminal's line endings
	for _, phase := range []string{"listing packages", "type-checking", "analysing: 0/2 packages"} {
		if !strings.Contains(out, erase+"pkcevet: "+phase) {
			t.Errorf("terminal: no progress line %q in %q", phase, out)
		}
	}
	// The line is erased, and the report starts on a clean line.
	if r.code != 1 || !strings.HasSuffix(out, erase+weakLine("weak")) {
		t.Errorf("terminal: exit %d, output %q; want exit 1 and the finding right after the erased progress line", r.code, out)
	}
}

// TestSourceInAnotherPackage: a weak verifier made by a helper of another
// package of the module is shown with its path from the module root, in
// the message and as a SARIF related location, as a source in the same
// package is.
func TestSourceInAnotherPackage(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"internal/gen/gen.go": `package gen

import (
	"math/rand"
	"strconv"
)

// ID is weak.
func ID() string {
	return strconv.FormatInt(rand.Int63(), 36)
}
`,
		"client/client.go": `package client

import (
	"crypto/rand"

	"example.com/m/internal/gen"
	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}

func URL() string {
	return cfg.AuthCodeURL(rand.Text(), oauth2.S256ChallengeOption(gen.ID()))
}
`,
	})
	const want = "client/client.go:13:65: code verifier used in oauth2.S256ChallengeOption comes from math/rand.Int63 (internal/gen/gen.go:10), which an attacker can predict; generate it with oauth2.GenerateVerifier() (PKCE003)\n"
	pkcevet(t, dir, "./...").check(t, 1, filepath.FromSlash(want[:len("client/client.go")])+want[len("client/client.go"):])

	out := filepath.Join(t.TempDir(), "out.sarif")
	pkcevet(t, dir, "-format", "sarif", "-o", out, "./...").check(t, 1, "")
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct{ URI, URIBaseID string }
			Region           struct{ StartLine, StartColumn int }
		}
		Message struct{ Text string }
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RelatedLocations []location
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 {
		t.Fatalf("SARIF log: %v\n%s", err, data)
	}
	rel := log.Runs[0].Results[0].RelatedLocations
	if len(rel) != 1 {
		t.Fatalf("related locations %+v, want one", rel)
	}
	p := rel[0].PhysicalLocation
	if p.ArtifactLocation.URI != "internal/gen/gen.go" || p.ArtifactLocation.URIBaseID != "%SRCROOT%" ||
		p.Region.StartLine != 10 || p.Region.StartColumn != 37 || rel[0].Message.Text != "the verifier's source: math/rand.Int63" {
		t.Errorf("related location %+v, want internal/gen/gen.go:10:37 (the call) under %%SRCROOT%%", rel[0])
	}
}

// TestFormatGitHub: -format github writes one workflow command per
// finding, with the path GitHub needs: relative to $GITHUB_WORKSPACE.
func TestFormatGitHub(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"weak/weak.go": weakSrc})
	r := runInEnv(t, dir, []string{"GITHUB_WORKSPACE=" + filepath.Dir(dir)}, binary, "-format", "github", "./...")
	want := "::error file=" + filepath.Base(dir) + "/weak/weak.go,line=16,col=66,endLine=16,endColumn=67,title=PKCE003 weak-verifier::" + weakMsg + "\n"
	r.check(t, 1, want)
}

// publicSrc and confidentialSrc are two code flows without PKCE: a public
// client, and (in another package) one whose Config has a secret.
const publicSrc = `package public

import "golang.org/x/oauth2"

var conf = &oauth2.Config{ClientID: "cli"}

func Login(state string) string { return conf.AuthCodeURL(state) }
`

const confidentialSrc = `package confidential

import "golang.org/x/oauth2"

var conf = &oauth2.Config{ClientID: "web", ClientSecret: "from-env"}

func Login(state string) string { return conf.AuthCodeURL(state) }
`

// TestConfidentialLevel checks issue 20's item 8: a confidential client's
// flow without PKCE is still reported, at level warning in JSON and SARIF
// (the rule's default stays error); a public client's stays at error.
// formSrc redeems a code with a hand-built token request that sends
// client_secret and no code_verifier (go-pkgz/auth's Apple provider); its
// authorization request sends a challenge, so the redemption is reported
// alone: a confidential client's, at warning.
const formSrc = `package form

import (
	"net/http"
	"net/url"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{ClientID: "id"}

func Login(state, verifier string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
}

func Redeem(code, secret string) (*http.Response, error) {
	form := url.Values{}
	form.Set("grant_type", "authorization_code")
	form.Set("code", code)
	form.Set("client_id", "id")
	form.Set("client_secret", secret)
	return http.PostForm("https://appleid.apple.com/auth/token", form)
}
`

func TestConfidentialLevel(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"public/public.go": publicSrc, "confidential/confidential.go": confidentialSrc, "form/form.go": formSrc})
	r := pkcevet(t, dir, "-format", "json")
	var rep struct{ Findings []map[string]any }
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("-format json: %v\n%s", err, r.stdout)
	}
	got := map[string]string{}
	for _, f := range rep.Findings {
		if f["rule"] == "PKCE001" {
			got[f["file"].(string)] = f["level"].(string)
		}
	}
	want := map[string]string{"public/public.go": "error", "confidential/confidential.go": "warning", "form/form.go": "warning"}
	if !maps.Equal(got, want) {
		t.Errorf("PKCE001 levels by file = %v, want %v\n%s", got, want, r.stdout)
	}
	out := filepath.Join(t.TempDir(), "report.sarif")
	pkcevet(t, dir, "-format", "sarif", "-o", out)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string
				Level     string
				Locations []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				}
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	sarifGot := map[string]string{}
	for _, res := range log.Runs[0].Results {
		if res.RuleID == "PKCE001" && len(res.Locations) > 0 {
			sarifGot[res.Locations[0].PhysicalLocation.ArtifactLocation.URI] = res.Level
		}
	}
	if !maps.Equal(sarifGot, want) {
		t.Errorf("SARIF PKCE001 levels = %v, want %v", sarifGot, want)
	}
}
