package main

// End-to-end tests of pkcevet on broken and unusual input (issue 6). Each
// module also holds the healthy package weak (weakSrc), whose finding must
// be reported whatever else is wrong. A scan that cannot cover everything
// it was asked to exits 2 and says why, one line per problem on stderr
// ("pkcevet: <package or pattern>: <problem>"), and its SARIF log says
// executionSuccessful: false with one notification per problem.

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// failure is a line that pkcevet must print on stderr.
type failure struct {
	pkg  string // the package or pattern the line names
	file string // the file of its position, relative to the module; "" for none
	msg  string // a regular expression for the rest of the line
}

// line is the regular expression for the stderr line of f.
func (f failure) line() *regexp.Regexp {
	pos := ""
	if f.file != "" {
		pos = regexp.QuoteMeta(f.file) + `:\d+(:\d+)?: `
	}
	return regexp.MustCompile(`^pkcevet: ` + regexp.QuoteMeta(f.pkg) + `: ` + pos + `(` + f.msg + `)$`)
}

// notification is the regular expression for the SARIF notification of f.
func (f failure) notification() *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(f.pkg) + `: (` + f.msg + `)$`)
}

// moreErrors matches the count that follows a package's first error.
const moreErrors = `( \(and \d+ more errors?\))?`

// stackTrace matches what a Go panic or a goroutine dump prints.
var stackTrace = regexp.MustCompile(`goroutine \d+|panic:|\.go:\d+ \+0x[0-9a-f]+|^\s+at |^\t`)

// checkStderr checks that stderr is exactly the lines of want, in order:
// each once, one line each, with no stack trace.
func checkStderr(t *testing.T, stderr string, want []failure) {
	t.Helper()
	var lines []string
	if stderr != "" {
		lines = strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	}
	seen := make(map[string]bool)
	for _, l := range lines {
		if seen[l] {
			t.Errorf("stderr repeats %q", l)
		}
		seen[l] = true
		if stackTrace.MatchString(l) {
			t.Errorf("stderr has a stack trace: %q", l)
		}
	}
	if len(lines) != len(want) {
		t.Errorf("stderr has %d lines, want %d:\n%s", len(lines), len(want), stderr)
		return
	}
	for i, f := range want {
		if re := f.line(); !re.MatchString(lines[i]) {
			t.Errorf("stderr line %d is\n\t%s\nwant a match for\n\t%s", i+1, lines[i], re)
		}
	}
}

// sarifLog is the part of a SARIF log that the tests read.
type sarifLog struct {
	Version string
	Runs    []struct {
		Results []struct {
			RuleID    string
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI string }
					Region           struct{ StartLine int }
				}
			}
		}
		Invocations []struct {
			ExecutionSuccessful        *bool
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			}
		}
	}
}

// runSARIF runs pkcevet with -format sarif -o and returns the run and the
// log, which must be valid JSON.
func runSARIF(t *testing.T, dir string, env, args []string) (result, sarifLog) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "f.sarif")
	r := runInEnv(t, dir, env, binary, append([]string{"-format", "sarif", "-o", out}, args...)...)
	if r.stdout != "" {
		t.Errorf("-o %s: stdout is not empty:\n%s", out, r.stdout)
	}
	var log sarifLog
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("exit %d, no SARIF log: %v\nstderr:\n%s", r.code, err, r.stderr)
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("the SARIF log is not valid JSON: %v\n%s", err, data)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 || log.Runs[0].Invocations[0].ExecutionSuccessful == nil {
		t.Fatalf("SARIF log without one run and one invocation that says whether it succeeded:\n%s", data)
	}
	return r, log
}

// hasWeakResult reports whether the SARIF log has weakSrc's finding.
func hasWeakResult(log sarifLog) bool {
	for _, res := range log.Runs[0].Results {
		for _, loc := range res.Locations {
			if res.RuleID == "PKCE003" && loc.PhysicalLocation.ArtifactLocation.URI == "weak/weak.go" && loc.PhysicalLocation.Region.StartLine == 16 {
				return true
			}
		}
	}
	return false
}

// checkIncomplete runs pkcevet in dir (with env) and checks that it
// reports the failures, and still weakSrc's finding: in text, exit 2,
// weak's line on stdout and exactly the failures on stderr; in SARIF,
// executionSuccessful false, a notification per failure and weak's result.
func checkIncomplete(t *testing.T, dir string, env, args []string, want ...failure) {
	t.Helper()
	r := runInEnv(t, dir, env, binary, args...)
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}
	if !strings.Contains(r.stdout, weakLine("weak")) {
		t.Errorf("stdout does not have the healthy package's finding %q:\n%s", weakLine("weak"), r.stdout)
	}
	checkStderr(t, r.stderr, want)

	r, log := runSARIF(t, dir, env, args)
	if r.code != 2 {
		t.Errorf("-format sarif: exit %d, want 2", r.code)
	}
	checkStderr(t, r.stderr, want) // the failures are said on stderr too
	inv := log.Runs[0].Invocations[0]
	if *inv.ExecutionSuccessful {
		t.Errorf("SARIF: executionSuccessful is true")
	}
	if len(inv.ToolExecutionNotifications) != len(want) {
		t.Errorf("SARIF: %d notifications, want %d: %+v", len(inv.ToolExecutionNotifications), len(want), inv.ToolExecutionNotifications)
	} else {
		for i, f := range want {
			n := inv.ToolExecutionNotifications[i]
			if re := f.notification(); n.Level != "error" || !re.MatchString(n.Message.Text) {
				t.Errorf("SARIF notification %d is %s %q, want an error matching %s", i, n.Level, n.Message.Text, re)
			}
		}
	}
	if !hasWeakResult(log) {
		t.Errorf("SARIF: no result for the healthy package's finding: %+v", log.Runs[0].Results)
	}
}

// checkComplete runs pkcevet in dir (with env) and checks that the scan
// is complete: nothing on stderr, exit 1 with stdout (which
// has weakSrc's finding) in text, and in SARIF executionSuccessful true, no
// notification and as many results as stdout has lines.
func checkComplete(t *testing.T, dir string, env, args []string, stdout string) {
	t.Helper()
	r := runInEnv(t, dir, env, binary, args...)
	r.check(t, 1, stdout)
	checkStderr(t, r.stderr, nil)

	r, log := runSARIF(t, dir, env, args)
	if r.code != 1 {
		t.Errorf("-format sarif: exit %d, want 1", r.code)
	}
	checkStderr(t, r.stderr, nil)
	inv := log.Runs[0].Invocations[0]
	if !*inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 0 {
		t.Errorf("SARIF: executionSuccessful %v, notifications %+v; want true and none", *inv.ExecutionSuccessful, inv.ToolExecutionNotifications)
	}
	if got, want := len(log.Runs[0].Results), strings.Count(stdout, "\n"); got != want {
		t.Errorf("SARIF: %d results, want %d", got, want)
	}
	if !hasWeakResult(log) {
		t.Errorf("SARIF: no result for the healthy package's finding: %+v", log.Runs[0].Results)
	}
}

// withWeak writes a module with the healthy package weak and the files.
func withWeak(t *testing.T, files map[string]string) string {
	t.Helper()
	files["weak/weak.go"] = weakSrc
	return writeModule(t, files)
}

func TestBrokenSyntaxError(t *testing.T) {
	t.Parallel()
	dir := withWeak(t, map[string]string{
		"bad/bad.go": "package bad\n\nfunc F() int {\n\treturn 1 +\n}\n",
	})
	checkIncomplete(t, dir, nil, nil, failure{"example.com/m/bad", "bad/bad.go", `expected operand, found '\}'` + moreErrors})
	// With -test the package is loaded twice (p and p [p.test]): still
	// one line.
	checkIncomplete(t, dir, nil, []string{"-test"}, failure{"example.com/m/bad", "bad/bad.go", `expected operand, found '\}'` + moreErrors})
}

func TestBrokenTypeError(t *testing.T) {
	t.Parallel()
	dir := withWeak(t, map[string]string{
		"bad/bad.go": "package bad\n\nvar X int = \"s\"\n",
		// More errors in the test variant: one line all the same.
		"bad/bad_test.go": "package bad\n\nvar Y int = \"t\"\n",
	})
	// bad has no mark of OAuth or PKCE code: only -all type-checks it
	// (issue 21).
	checkComplete(t, dir, nil, nil, weakLine("weak"))
	want := failure{"example.com/m/bad", "bad/bad.go", `cannot use "s" \(untyped string constant\) as int value in variable declaration`}
	checkIncomplete(t, dir, nil, []string{"-all"}, want)
	want.msg += ` \(and 1 more error\)`
	checkIncomplete(t, dir, nil, []string{"-all", "-test"}, want)
}

func TestBrokenMissingImport(t *testing.T) {
	t.Parallel()
	dir := withWeak(t, map[string]string{
		// A package of the main module that does not exist, and a
		// module that is nowhere: go list's reason is the message, not
		// the type checker's "could not import p (invalid package name: "")".
		"bad/bad.go":   "package bad\n\nimport _ \"example.com/m/nope\"\n",
		"other/o.go":   "package other\n\nimport _ \"nowhere.example/such/pkg\"\n",
		"user/user.go": "package user\n\nimport _ \"example.com/m/bad\"\n",
	})
	notFound := `(cannot find module providing|no required module provides) package `
	checkIncomplete(t, dir, nil, nil,
		failure{"example.com/m/bad", "bad/bad.go", notFound + `example\.com/m/nope\b.*`},
		failure{"example.com/m/other", "other/o.go", notFound + `nowhere\.example/such/pkg\b.*`},
		failure{"example.com/m/user", "", `not analyzed: it imports example\.com/m/bad, which has errors`},
	)
	// Without -mod=mod (the default, -mod=readonly), go says it differently.
	checkIncomplete(t, dir, []string{"GOFLAGS="}, nil,
		failure{"example.com/m/bad", "bad/bad.go", `no required module provides package example\.com/m/nope; to add it: go get example\.com/m/nope`},
		failure{"example.com/m/other", "other/o.go", `no required module provides package nowhere\.example/such/pkg; to add it: go get nowhere\.example/such/pkg`},
		failure{"example.com/m/user", "", `not analyzed: it imports example\.com/m/bad, which has errors`},
	)
}

// TestBrokenImportUsed checks that a missing import that is used shows go
// list's reason alone: the type errors that follow from it ("undefined:
// util") are not counted as more errors (issue 13).
func TestBrokenImportUsed(t *testing.T) {
	t.Parallel()
	dir := withWeak(t, map[string]string{
		// The package name is not the last element of the path.
		"bad/bad.go": "package bad\n\nimport \"example.com/m/go-util\"\n\nfunc F() int { return util.X + util.Y() }\n",
		// A genuine type error in another file is still counted.
		"two/a.go": "package two\n\nvar N int = \"s\"\n",
		"two/b.go": "package two\n\nimport \"nowhere.example/lib/pop/v6\"\n\nvar C = pop.Connect()\n",
	})
	checkIncomplete(t, dir, []string{"GOFLAGS="}, nil,
		failure{"example.com/m/bad", "bad/bad.go", `no required module provides package example\.com/m/go-util; to add it: go get example\.com/m/go-util`},
		// go list's reason comes first, though a.go's type error comes
		// before it in file order.
		failure{"example.com/m/two", "two/b.go", `no required module provides package nowhere\.example/lib/pop/v6; to add it: go get nowhere\.example/lib/pop/v6 \(and 1 more error\)`},
	)
}

// TestBrokenModuleDownload checks that a module that cannot be downloaded
// (here a version that does not exist, with the proxy off; a proxy that
// answers 403 is the same to pkcevet) is named as the cause: for the
// package that imports it, and for a package that imports a dependency
// that imports it (issue 13: pkcevet showed only "undefined: pop").
func TestBrokenModuleDownload(t *testing.T) {
	t.Parallel()
	depDir := t.TempDir()
	for name, content := range map[string]string{
		"go.mod": "module example.com/dep\n\ngo 1.26\n\nrequire github.com/gone/lib v1.0.0\n",
		"dep.go": "package dep\n\nimport \"github.com/gone/lib/pop\"\n\nvar C = pop.X\n\nfunc Do() int { return 1 }\n",
	} {
		if err := os.WriteFile(filepath.Join(depDir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := withWeak(t, map[string]string{
		"go.mod": `module example.com/m

go 1.26

require (
	example.com/dep v1.0.0
	github.com/gobuffalo/pop/v6 v6.99.0
	golang.org/x/oauth2 v0.37.0
)

replace golang.org/x/oauth2 => ./oauth2stub

replace example.com/dep => ` + depDir + `
`,
		"store/store.go": "package store\n\nimport \"github.com/gobuffalo/pop/v6\"\n\ntype S struct{ c *pop.Connection }\n\nfunc (s S) Close() error { return s.c.Close() }\n",
		"user/user.go":   "package user\n\nimport \"example.com/dep\"\n\nvar V = dep.Do()\n",
		"both/both.go":   "package both\n\nimport (\n\t\"example.com/m/store\"\n\t\"example.com/m/user\"\n)\n\nvar S store.S\nvar V = user.V\n",
	})
	checkIncomplete(t, dir, nil, nil,
		failure{"example.com/m/both", "", `not analyzed: it imports example\.com/m/store and example\.com/m/user, which have errors`},
		failure{"example.com/m/store", "store/store.go", `could not import github\.com/gobuffalo/pop/v6: module lookup disabled by GOPROXY=off`},
		failure{"example.com/m/user", "", `not analyzed: it imports example\.com/dep, which has errors: ` +
			regexp.QuoteMeta(filepath.Join(depDir, "dep.go")) + `:3:8: could not import github\.com/gone/lib/pop: ` +
			// go names the module whose lookup failed first.
			`(github\.com/gobuffalo/pop/v6@v6\.99\.0: )?module lookup disabled by GOPROXY=off`},
	)
}

func TestBrokenImportCycle(t *testing.T) {
	t.Parallel()
	dir := withWeak(t, map[string]string{
		"a/a.go": "package a\n\nimport _ \"example.com/m/b\"\n",
		"b/b.go": "package b\n\nimport _ \"example.com/m/a\"\n",
	})
	// The cycle is one problem: go list puts it on a; b is not analysed
	// because of it.
	want := []failure{
		{"example.com/m/a", "", `import cycle not allowed: import stack: \[example\.com/m/a example\.com/m/b example\.com/m/a\]` + moreErrors},
		{"example.com/m/b", "", `not analyzed: it imports example\.com/m/a, which has errors`},
	}
	checkIncomplete(t, dir, nil, nil, want...)
	checkIncomplete(t, dir, nil, []string{"-test"}, want...)
}

// cgoSrc calls C and has a finding (PKCE003, line 21) of its own.
const cgoSrc = `package c

/*
static int two(void) { return 2; }
*/
import "C"

import (
	mrand "math/rand"
	"strconv"

	"golang.org/x/oauth2"
)

// Two calls C.
func Two() int { return int(C.two()) }

// URL starts a flow with a math/rand verifier.
func URL() string {
	v := strconv.FormatInt(mrand.Int63(), 36)
	return (&oauth2.Config{}).AuthCodeURL(strconv.Itoa(Two()), oauth2.S256ChallengeOption(v))
}
`

func TestCgo(t *testing.T) {
	t.Parallel()
	dir := withWeak(t, map[string]string{"c/c.go": cgoSrc})
	cgoLine := "c/c.go:21:88: " + strings.Replace(weakMsg, "weak.go:15", "c.go:20", 1) + "\n"

	t.Run("CGO_ENABLED=1", func(t *testing.T) {
		t.Parallel()
		if _, err := exec.LookPath("gcc"); err != nil {
			t.Skip("no gcc:", err)
		}
		// go list runs cgo; the analyzers see the cgo-generated files,
		// whose //line directives map the finding back to c.go.
		checkComplete(t, dir, []string{"CGO_ENABLED=1"}, nil, cgoLine+weakLine("weak"))
	})

	t.Run("CGO_ENABLED=0", func(t *testing.T) {
		t.Parallel()
		// Without cgo, import "C" is a build constraint that excludes
		// c.go, as go build and go vet have it: ./... does not match the
		// package (no failure, and no finding from it) …
		env := []string{"CGO_ENABLED=0"}
		checkComplete(t, dir, env, nil, weakLine("weak"))
		// … and asking for it by name is a failure that says why.
		checkIncomplete(t, dir, env, []string{"./c", "./weak"},
			failure{"example.com/m/c", "", `build constraints exclude all Go files in ` + regexp.QuoteMeta(filepath.Join(dir, "c"))})
	})
}

func TestBuildTags(t *testing.T) {
	t.Parallel()
	// Each tagged file has a weak verifier of its own.
	tagged := func(constraint, pkg, fn string) string {
		return strings.NewReplacer(
			"package weak", constraint+"\n\npackage "+pkg,
			"var cfg = &oauth2.Config{}", "",
			"func URL()", "func "+fn+"()",
			"cfg.AuthCodeURL", "(&oauth2.Config{}).AuthCodeURL",
		).Replace(weakSrc)
	}
	dir := withWeak(t, map[string]string{
		"weak/ignored.go":   tagged("//go:build ignore", "weak", "ignoredURL"),
		"weak/custom.go":    tagged("//go:build pkcecustom", "weak", "customURL"),
		"weak/not_linux.go": tagged("//go:build !linux && !darwin && !windows", "weak", "otherURL"),
		"tagonly/t.go":      tagged("//go:build pkcecustom", "tagonly", "URL"),
	})
	// Not in the build, not scanned, and not a failure: ./... matches
	// no package in tagonly, as in go build and go vet.
	checkComplete(t, dir, nil, nil, weakLine("weak"))

	// With the tag (through GOFLAGS: pkcevet has no -tags of its own),
	// the files that it selects are scanned; the others still are not.
	tagMsg := func(file string) string { return strings.Replace(weakMsg, "weak.go:15", file+":17", 1) }
	checkComplete(t, dir, []string{"GOFLAGS=-mod=mod -tags=pkcecustom"}, nil,
		"tagonly/t.go:18:81: "+tagMsg("t.go")+"\n"+
			"weak/custom.go:18:81: "+tagMsg("custom.go")+"\n"+
			weakLine("weak"))
}

// genericSrc is generics-heavy: constraints with type sets, generic types
// with methods, generic functions and PKCE flows through all of them. Its
// two math/rand verifiers in generic bodies (lines 106 and 112) are
// findings.
const genericSrc = `// Package gen uses generics everywhere.
package gen

import (
	"cmp"
	"context"
	"crypto/rand"
	mrand "math/rand"
	"strconv"

	"golang.org/x/oauth2"
)

// Stringish is a constraint with a type set.
type Stringish interface{ ~string | ~[]byte }

// Number is a numeric constraint.
type Number interface{ ~int | ~int64 | ~float64 }

// Verifier is a named string type.
type Verifier string

// Box holds a value.
type Box[T any] struct{ v T }

// Get returns the value.
func (b Box[T]) Get() T { return b.v }

// Map applies f to the boxed value.
func Map[T, U any](b Box[T], f func(T) U) Box[U] { return Box[U]{f(b.Get())} }

// Pair is a generic pair.
type Pair[K comparable, V any] struct {
	Key K
	Val V
}

// Store is a generic map with methods.
type Store[K comparable, V any] map[K]V

// Put stores v under k.
func (s Store[K, V]) Put(k K, v V) { s[k] = v }

// Take returns and removes the value under k.
func (s Store[K, V]) Take(k K) (V, bool) {
	v, ok := s[k]
	delete(s, k)
	return v, ok
}

// Max is constrained by cmp.Ordered.
func Max[T cmp.Ordered](a, b T) T { return max(a, b) }

// Sum adds numbers.
func Sum[T Number](xs ...T) (s T) {
	for _, x := range xs {
		s += x
	}
	return s
}

// Text converts a Stringish.
func Text[S Stringish](s S) string { return string(s) }

// Source makes verifiers.
type Source[V ~string] interface{ New() V }

type strong[V ~string] struct{}

func (strong[V]) New() V { return V(oauth2.GenerateVerifier()) }

// Flow is a client flow, generic in its verifier type and source.
type Flow[V ~string, S Source[V]] struct {
	cfg   *oauth2.Config
	src   S
	store Store[string, V]
}

// Start begins a flow.
func (f *Flow[V, S]) Start() string {
	state, v := rand.Text(), f.src.New()
	f.store.Put(state, v)
	return f.cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(string(v)))
}

// Finish exchanges the code.
func (f *Flow[V, S]) Finish(ctx context.Context, state, code string) (*oauth2.Token, error) {
	v, _ := f.store.Take(state)
	return f.cfg.Exchange(ctx, code, oauth2.VerifierOption(Text(string(v))))
}

// Good is an instance.
var Good = &Flow[Verifier, strong[Verifier]]{cfg: &oauth2.Config{}, store: Store[string, Verifier]{}}

// Boxed passes a generated verifier through generic helpers.
func Boxed() string {
	b := Map(Box[string]{oauth2.GenerateVerifier()}, func(s string) Verifier { return Verifier(s) })
	p := Pair[string, Verifier]{Key: rand.Text(), Val: b.Get()}
	_ = Max(1, Sum(2, 3))
	return Good.cfg.AuthCodeURL(p.Key, oauth2.S256ChallengeOption(Text(string(p.Val))))
}

// WeakStart is a generic method with a math/rand verifier.
func (f *Flow[V, S]) WeakStart() string {
	v := strconv.FormatInt(mrand.Int63(), 36)
	return f.cfg.AuthCodeURL(rand.Text(), oauth2.S256ChallengeOption(v))
}

// WeakFunc is a generic function with a math/rand verifier.
func WeakFunc[T any](cfg *oauth2.Config, _ T) string {
	v := strconv.FormatInt(mrand.Int63(), 36)
	return cfg.AuthCodeURL(rand.Text(), oauth2.S256ChallengeOption(v))
}
`

func TestGenerics(t *testing.T) {
	t.Parallel()
	dir := withWeak(t, map[string]string{"gen/gen.go": genericSrc})
	msg := func(line int) string {
		return strings.Replace(weakMsg, "weak.go:15", fmt.Sprintf("gen.go:%d", line), 1)
	}
	checkComplete(t, dir, nil, nil,
		"gen/gen.go:106:67: "+msg(105)+"\n"+
			"gen/gen.go:112:65: "+msg(111)+"\n"+
			weakLine("weak"))
}

// TestHugeGeneratedFile checks that a 50,000-line generated file is
// skipped: the run completes and reports nothing from it. How fast it
// does so is for benchmarks, not for a test on a shared machine.
func TestHugeGeneratedFile(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("// Code generated by pkcevet's tests. DO NOT EDIT.\n\npackage gen\n\nimport (\n\tmrand \"math/rand\"\n\t\"strconv\"\n\n\t\"golang.org/x/oauth2\"\n)\n\nvar cfg = &oauth2.Config{}\n")
	for i := 0; strings.Count(b.String(), "\n") < 50000; i++ {
		// A weak verifier and a constant state in every function.
		fmt.Fprintf(&b, "\n// F%d starts a flow.\nfunc F%d() string {\n\tv := strconv.FormatInt(mrand.Int63(), 36)\n\treturn cfg.AuthCodeURL(\"state\", oauth2.S256ChallengeOption(v))\n}\n", i, i)
	}
	dir := withWeak(t, map[string]string{"gen/gen.go": b.String()})
	r := pkcevet(t, dir)
	r.check(t, 1, weakLine("weak")) // nothing from gen.go
	checkStderr(t, r.stderr, nil)
}

func TestNoGoFiles(t *testing.T) {
	t.Parallel()
	dir := withWeak(t, map[string]string{
		"docs/README.md":          "no Go here\n",
		"tests/only_test.go":      "package tests\n",
		"deep/er/still/README.md": "nor here\n",
	})
	checkIncomplete(t, dir, nil, []string{"./docs", "./weak"},
		failure{"./docs", "", `no Go files in ` + regexp.QuoteMeta(filepath.Join(dir, "docs"))})
	checkIncomplete(t, dir, nil, []string{"./deep/...", "./weak"},
		failure{"./deep/...", "", `pattern \./deep/\.\.\. matched no packages`})
	// A directory with only tests: nothing to analyse without -test,
	// which is not a failure.
	checkComplete(t, dir, nil, []string{"./tests", "./weak"}, weakLine("weak"))
}

func TestPatternMatchesNothingAtAll(t *testing.T) {
	t.Parallel()
	dir := withWeak(t, map[string]string{})
	checkIncomplete(t, dir, nil, []string{"./nope/...", "./weak"},
		failure{"./nope/...", "", `pattern \./nope/\.\.\.: lstat \./nope/: no such file or directory`})
	// A malformed pattern, which go list rewrites: one line still.
	checkIncomplete(t, dir, nil, []string{"example.com/m/@@", "./weak"},
		failure{"example.com/m@@", "", `can only use path@version syntax with 'go get' and 'go install' in module-aware mode`})
	// Each pattern that fails has its line.
	checkIncomplete(t, dir, nil, []string{"./nope/...", "./weak", "./none/..."},
		failure{"./none/...", "", `pattern \./none/\.\.\.: lstat \./none/: no such file or directory`},
		failure{"./nope/...", "", `pattern \./nope/\.\.\.: lstat \./nope/: no such file or directory`})
}

func TestPathDoesNotExist(t *testing.T) {
	t.Parallel()
	dir := withWeak(t, map[string]string{})
	missing := filepath.Join(t.TempDir(), "gone")
	checkIncomplete(t, dir, nil, []string{"./nope", missing, "./weak"},
		failure{"./nope", "", `stat ` + regexp.QuoteMeta(filepath.Join(dir, "nope")) + `: directory not found`},
		failure{missing, "", `stat ` + regexp.QuoteMeta(missing) + `: directory not found`})
	checkIncomplete(t, dir, nil, []string{"nowhere.example/pkg", "./weak"},
		failure{"nowhere.example/pkg", "", `cannot find module providing package nowhere\.example/pkg.*`})
}

func TestUnreadableFile(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root reads a file whatever its mode")
	}
	dir := withWeak(t, map[string]string{
		"u/u.go":      "package u\n\nvar X = 1\n",
		"u/secret.go": "package u\n\nvar Y = 2\n",
	})
	secret := filepath.Join(dir, "u", "secret.go")
	if err := os.Chmod(secret, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(secret, 0o644) })
	checkIncomplete(t, dir, nil, nil,
		failure{"example.com/m/u", "", `open ` + regexp.QuoteMeta(secret) + `: permission denied` + moreErrors})
}

func TestInvalidUTF8(t *testing.T) {
	t.Parallel()
	dir := withWeak(t, map[string]string{
		// Escapes make any bytes in a string: valid Go, analysed (the
		// constant state is a finding) and reported as valid UTF-8.
		"esc/esc.go": `package esc

import (
	"crypto/rand"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}

// URL starts a flow with a constant state of bytes that are not UTF-8.
func URL() string {
	return cfg.AuthCodeURL("\xff\xfe\xc3\x28", oauth2.S256ChallengeOption(rand.Text()))
}
`,
	})
	r := pkcevet(t, dir)
	if r.code != 1 || r.stderr != "" || !strings.Contains(r.stdout, "esc/esc.go:13:25: ") || !strings.Contains(r.stdout, weakLine("weak")) {
		t.Errorf("escaped bytes: exit %d, stdout:\n%s\nstderr:\n%s\nwant exit 1 and findings in esc.go and weak.go", r.code, r.stdout, r.stderr)
	}
	_, log := runSARIF(t, dir, nil, nil)
	if !*log.Runs[0].Invocations[0].ExecutionSuccessful || len(log.Runs[0].Results) != 2 {
		t.Errorf("escaped bytes: SARIF %+v", log.Runs[0])
	}

	// The bytes themselves are not: Go source is UTF-8 in string
	// literals and comments too (the compiler says "invalid UTF-8
	// encoding").
	dir = withWeak(t, map[string]string{
		"lit/lit.go": "package lit\n\n// S is not UTF-8.\nvar S = \"bad \xff\xfe bytes\"\n",
		"com/com.go": "package com\n\n// C is a comment that is not UTF-8: \xc3\x28.\nvar C = 1\n",
		"raw/raw.go": "package raw\n\nvar R = `raw \xff`\n",
	})
	checkIncomplete(t, dir, nil, nil,
		failure{"example.com/m/com", "com/com.go", `illegal UTF-8 encoding` + moreErrors},
		failure{"example.com/m/lit", "lit/lit.go", `illegal UTF-8 encoding` + moreErrors},
		failure{"example.com/m/raw", "raw/raw.go", `illegal UTF-8 encoding` + moreErrors},
	)
}

// TestBrokenGoMod: when go list cannot start, nothing is analysed; the
// errors, several lines from go, make one line, and the SARIF log says so.
func TestBrokenGoMod(t *testing.T) {
	t.Parallel()
	dir := withWeak(t, map[string]string{})
	mod := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(mod)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mod, append(data, "require (\n\tbogus line here\n\tanother\n)\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	want := []failure{{"./...", "", `go: errors parsing go.mod: \S*go\.mod:\d+:\d+: .+; \S*go\.mod:\d+:\d+: .+`}}
	r := pkcevet(t, dir)
	r.check(t, 2, "")
	checkStderr(t, r.stderr, want)
	r, log := runSARIF(t, dir, nil, nil)
	inv := log.Runs[0].Invocations[0]
	if r.code != 2 || *inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 || !want[0].notification().MatchString(inv.ToolExecutionNotifications[0].Message.Text) {
		t.Errorf("exit %d, SARIF invocation %+v", r.code, inv)
	}
}
