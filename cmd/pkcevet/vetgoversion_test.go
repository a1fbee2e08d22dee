package main

import (
	"bytes"
	"encoding/json"
	goversion "go/version"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestVetNewerGo plays go vet's part with .cfg files, as a go command
// newer than the Go pkcevet was built with would write them (go1.99): the
// dependencies succeed quietly with facts files that say why, the first
// root package prints the binary's one-line advice and fails, the others
// succeed quietly. (A real run needs a newer toolchain than the test's.)
func TestVetNewerGo(t *testing.T) {
	if goversion.Lang(runtime.Version()) == "" {
		t.Skip("a development toolchain: no version to compare")
	}
	cur := goversion.Lang(runtime.Version())
	mod := t.TempDir()
	writeFile := func(path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(filepath.Join(mod, "go.mod"), "module example.com/m\n\ngo "+cur[2:]+"\n")
	work := t.TempDir() // go vet's $WORK
	n := 0
	cfg := func(c vetConfig) string {
		t.Helper()
		n++
		b := filepath.Join(work, "b00"+string(rune('0'+n)))
		c.VetxOutput = filepath.Join(b, "vet.out")
		data, _ := json.Marshal(c)
		writeFile(filepath.Join(b, "vet.cfg"), string(data))
		return filepath.Join(b, "vet.cfg")
	}
	run := func(file string) (int, bool, string) {
		var stderr bytes.Buffer
		status, handled := vetNewerGo(file, &stderr)
		return status, handled, stderr.String()
	}

	// A standard package of the newer go command: quiet, and its facts
	// file says why.
	fmtCfg := cfg(vetConfig{GoVersion: "go1.99.1", VetxOnly: true})
	if status, handled, out := run(fmtCfg); !handled || status != 0 || out != "" {
		t.Fatalf("dependency: status %d, handled %v, stderr %q", status, handled, out)
	}
	fmtVetx := filepath.Join(filepath.Dir(fmtCfg), "vet.out")
	if b, _ := os.ReadFile(fmtVetx); string(b) != newerGoFacts+"go1.99" {
		t.Errorf("dependency's facts file %q", b)
	}

	// Two root packages of a module pkcevet can read that import it: the
	// advice once, with status 2, then nothing.
	root := vetConfig{Dir: mod, GoVersion: cur, PackageVetx: map[string]string{"fmt": fmtVetx}, Standard: map[string]bool{"fmt": true}}
	status, handled, out := run(cfg(root))
	if !handled || status != exitFailure || strings.Count(out, "\n") != 1 ||
		!strings.Contains(out, "go vet runs with Go 1.99, but this pkcevet was built with "+runtime.Version()) ||
		!strings.Contains(out, "GOTOOLCHAIN=go1.99.0 go install github.com/pkcevet/pkcevet/cmd/pkcevet@latest") {
		t.Errorf("first root: status %d, handled %v, stderr %q", status, handled, out)
	}
	if status, handled, out := run(cfg(root)); !handled || status != 0 || out != "" {
		t.Errorf("second root: status %d, handled %v, stderr %q; want quiet success", status, handled, out)
	}
	// A root importing the one that printed (which left no facts file).
	if status, handled, out := run(cfg(vetConfig{Dir: mod, GoVersion: cur, PackageVetx: map[string]string{}})); !handled || status != 0 || out != "" {
		t.Errorf("dependent root: status %d, handled %v, stderr %q; want quiet success", status, handled, out)
	}

	// Another go vet run on a module that says go 1.99: the binary's
	// message, naming the go.mod.
	work = t.TempDir()
	newMod := t.TempDir()
	writeFile(filepath.Join(newMod, "go.mod"), "module example.com/m\n\ngo 1.99\n")
	status, handled, out = run(cfg(vetConfig{Dir: newMod, GoVersion: "go1.99"}))
	if !handled || status != exitFailure || !strings.Contains(out, "go.mod says go 1.99, but this pkcevet was built with") {
		t.Errorf("go 1.99 module: status %d, handled %v, stderr %q", status, handled, out)
	}

	// A package pkcevet can read, with readable imports: not handled.
	work = t.TempDir()
	okVetx := filepath.Join(t.TempDir(), "fmt.vetx")
	writeFile(okVetx, "\x00\x01facts")
	if _, handled, out := run(cfg(vetConfig{Dir: mod, GoVersion: cur, PackageVetx: map[string]string{"fmt": okVetx}, Standard: map[string]bool{"fmt": true}})); handled || out != "" {
		t.Errorf("readable package handled (stderr %q)", out)
	}
}

// TestVetNewerGoToolchain is issue 22's reproducer: go vet -vettool, run by
// a go command newer than the Go pkcevet was built with, on a module that
// says that newer go. It needs that toolchain in the module cache
// (GOPROXY is off), so it skips where there is none.
func TestVetNewerGoToolchain(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a second toolchain")
	}
	t.Parallel()
	const newer = "go1.27.4"
	if cur := goversion.Lang(runtime.Version()); cur == "" || goversion.Compare(cur, goversion.Lang(newer)) >= 0 {
		t.Skipf("pkcevet is built with %s, not older than %s", runtime.Version(), newer)
	}
	dir := writeModule(t, map[string]string{"weak/weak.go": weakSrc, "clean/clean.go": cleanSrc})
	env := []string{"GOTOOLCHAIN=" + newer}
	if r := runInEnv(t, dir, env, "go", "version"); r.code != 0 {
		t.Skipf("no %s toolchain in the module cache: %s", newer, r.stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), bytes.Replace(must(os.ReadFile(filepath.Join(dir, "go.mod"))), []byte("go 1.26"), []byte("go 1.27"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runInEnv(t, dir, env, "go", "vet", "-vettool="+binary, "./...")
	if r.code == 0 || strings.Count(r.stderr, "pkcevet: ") != 1 || strings.Contains(r.stderr, "exit status") ||
		!strings.Contains(r.stderr, "go.mod says go 1.27, but this pkcevet was built with "+runtime.Version()) {
		t.Errorf("go vet: exit %d, stderr:\n%s\nwant the advice once, and no \"exit status\" line", r.code, r.stderr)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
