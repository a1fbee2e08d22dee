package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pkcevet/pkcevet/rules"
)

// TestDemo checks that pkcevet reports on testdata/demo exactly the
// mistakes its sources mark with `// want PKCE00N` — every rule fires and
// none of the correct twins does — and that go vet -vettool reports the
// same places. The demo uses the real golang.org/x/oauth2, fetched
// through the module proxy like `make demo` does.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the demo's modules")
	}
	demo, err := filepath.Abs("../../testdata/demo")
	if err != nil {
		t.Fatal(err)
	}
	want := demoMarkers(t, demo)

	run := func(args ...string) (string, int) {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = demo
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return stdout.String() + stderr.String(), code
	}

	out, code := run(binary, "./...")
	if code != 1 {
		t.Fatalf("pkcevet ./... exited %d, want 1:\n%s", code, out)
	}
	got := findingLines(out, regexp.MustCompile(`^(\S+\.go):(\d+):\d+: .* \((PKCE0\d\d)\)$`))
	if !slices.Equal(got, want) {
		t.Errorf("pkcevet findings (file:line rule):\n%s\nwant the // want markers:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rulesSeen := map[string]bool{}
	for _, g := range got {
		rulesSeen[g[strings.LastIndex(g, " ")+1:]] = true
	}
	if len(rulesSeen) != len(rules.All()) {
		t.Errorf("rules firing on the demo: %v, want all %d", rulesSeen, len(rules.All()))
	}

	// go vet prints no rule IDs: compare places.
	vetOut, _ := run("go", "vet", "-vettool="+binary, "./...")
	vetPlaces := places(findingLines(vetOut, regexp.MustCompile(`^(?:\./)?(\S+\.go):(\d+):\d+: ()[^\t]`)))
	if wantPlaces := places(want); !slices.Equal(vetPlaces, wantPlaces) {
		t.Errorf("go vet -vettool places:\n%s\nwant:\n%s\nvet output:\n%s", strings.Join(vetPlaces, "\n"), strings.Join(wantPlaces, "\n"), vetOut)
	}
}

// demoMarkers returns "file:line RULE" for every `// want PKCE00N` comment.
func demoMarkers(t *testing.T, root string) []string {
	marker := regexp.MustCompile(`// want (PKCE0\d\d)`)
	var out []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		sc := bufio.NewScanner(bytes.NewReader(data))
		for n := 1; sc.Scan(); n++ {
			if m := marker.FindStringSubmatch(sc.Text()); m != nil {
				out = append(out, rel+":"+strconv.Itoa(n)+" "+m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// findingLines extracts "file:line RULE" from output lines matching re
// (groups: file, line, rule).
func findingLines(out string, re *regexp.Regexp) []string {
	var got []string
	for _, line := range strings.Split(out, "\n") {
		if m := re.FindStringSubmatch(line); m != nil {
			got = append(got, strings.TrimSpace(m[1]+":"+m[2]+" "+m[3]))
		}
	}
	slices.Sort(got)
	return slices.Compact(got)
}

// places drops the rule from "file:line RULE".
func places(lines []string) []string {
	var out []string
	for _, l := range lines {
		out = append(out, strings.Fields(l)[0])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestVetParityEvalModule runs the binary and go vet -vettool on an eval
// module, github.com/cli/oauth v1.2.2, named as a dependency of a scratch
// module. Two of its findings need facts of another package (the token
// form is sent through api.PostForm, which only reads it): both drivers
// must report the same places, those two included.
func TestVetParityEvalModule(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the module proxy")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/parity\n\ngo 1.26.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, int) {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return out.String(), code
	}
	if out, code := run("go", "get", "github.com/cli/oauth@v1.2.2"); code != 0 {
		t.Skipf("cannot fetch github.com/cli/oauth@v1.2.2 (%d): %s", code, out)
	}
	const pattern = "github.com/cli/oauth/..."
	out, code := run(binary, pattern)
	if code != 1 {
		t.Fatalf("pkcevet %s exited %d, want 1:\n%s", pattern, code, out)
	}
	re := regexp.MustCompile(`^(?:\S*/)?([^/\s]+\.go):(\d+):\d+: .*\((PKCE0\d\d)\)$`)
	got := places(findingLines(out, re))
	vetOut, _ := run("go", "vet", "-vettool="+binary, pattern)
	vet := places(findingLines(vetOut, re))
	if !slices.Equal(got, vet) {
		t.Errorf("pkcevet places:\n%s\ngo vet -vettool places:\n%s\nvet output:\n%s", strings.Join(got, "\n"), strings.Join(vet, "\n"), vetOut)
	}
	if !slices.Contains(got, "webapp_flow.go:68") {
		t.Errorf("pkcevet did not report webapp_flow.go:68 (a request without response_type); got:\n%s", strings.Join(got, "\n"))
	}
	// The token request without grant_type is the same flow's
	// redemption: a related location of the finding at line 68.
	if !regexp.MustCompile(`webapp_flow\.go:68:\d+: .*redeemed without code_verifier at webapp_flow\.go:118\)`).MatchString(out) {
		t.Errorf("pkcevet did not name webapp_flow.go:118 (a token request without grant_type) as the flow's redemption; output:\n%s", out)
	}
}
