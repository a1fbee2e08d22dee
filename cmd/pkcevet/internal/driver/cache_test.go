package driver

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers"
	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/report"
)

// cacheModule is a module with one finding (app: an authorization
// request with no code_challenge), the package whose constant it uses
// (lib), and a package with no mark (other).
var cacheModule = map[string]string{
	"go.mod": "module example.com/ct\n\ngo 1.26\n",
	"lib/lib.go": `package lib

const AuthorizeURL = "https://idp.example/authorize"
`,
	"app/app.go": `package app

import (
	"net/http"
	"net/url"

	"example.com/ct/lib"
)

func Login(w http.ResponseWriter, r *http.Request, state string) {
	q := url.Values{}
	q.Set("response_type", "code")
	q.Set("client_id", "app")
	q.Set("redirect_uri", "https://app.example/cb")
	q.Set("state", state)
	http.Redirect(w, r, lib.AuthorizeURL+"?"+q.Encode(), http.StatusFound)
}
`,
	"other/other.go": "package other\n\nfunc Add(a, b int) int { return a + b }\n",
}

// cachedRun is one Run with the result cache in cache: its report, and
// whether the report came from the cache (the done line says so).
func cachedRun(t *testing.T, cfg Config, cache string) (*report.Report, bool) {
	t.Helper()
	var out strings.Builder
	cfg.Cache = cache
	cfg.Progress = NewProgress(&out, false)
	if cfg.Analyzers == nil {
		cfg.Analyzers = analyzers.All()
	}
	r, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r, strings.Contains(out.String(), "from the result cache")
}

func encode(t *testing.T, r *report.Report) string {
	t.Helper()
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestResultCache checks that a run with the same inputs replays the
// report of the run before it, byte for byte, and that a change of any
// input — a file of a package analysed or left out, -test, the
// analyzers — runs the analysis again; a report with failures is not
// kept.
func TestResultCache(t *testing.T) {
	dir := writeFiles(t, cacheModule)
	cache := t.TempDir()
	cfg := Config{Dir: dir}

	first, cached := cachedRun(t, cfg, cache)
	if cached || len(first.Findings) != 1 || len(first.Failures) != 0 {
		t.Fatalf("first run: cached %v, %d findings, failures %v; want a fresh run with 1 finding", cached, len(first.Findings), first.Failures)
	}
	again, cached := cachedRun(t, cfg, cache)
	if !cached {
		t.Fatal("second run with the same inputs: not from the cache")
	}
	if encode(t, again) != encode(t, first) {
		t.Errorf("cached report differs:\n%s\nwant\n%s", encode(t, again), encode(t, first))
	}

	changes := []struct {
		name   string
		change func(cfg *Config)
	}{
		{"a constant the finding's package imports", func(*Config) {
			write(t, dir, "lib/lib.go", "package lib\n\n// moved\nconst AuthorizeURL = \"https://idp.example/oauth/authorize\"\n")
		}},
		{"a package with no mark", func(*Config) {
			write(t, dir, "other/other.go", "package other\n\nfunc Add(a, b int) int { return b + a }\n")
		}},
		{"a new file", func(*Config) {
			write(t, dir, "other/more.go", "package other\n")
		}},
		{"-test", func(cfg *Config) { cfg.Tests = true }},
		{"the analyzers", func(cfg *Config) { cfg.Analyzers = analyzers.All()[:1] }},
		{"go.mod", func(*Config) {
			write(t, dir, "go.mod", "module example.com/ct\n\ngo 1.26.0\n")
		}},
	}
	for _, c := range changes {
		c.change(&cfg)
		if _, cached := cachedRun(t, cfg, cache); cached {
			t.Errorf("after a change of %s: the report came from the cache", c.name)
		}
		if _, cached := cachedRun(t, cfg, cache); !cached {
			t.Errorf("after a change of %s, the second run: not from the cache", c.name)
		}
	}

	// A damaged entry is a miss, and is written again.
	entries, _ := filepath.Glob(filepath.Join(cache, "[0-9a-f][0-9a-f]", "*"))
	for _, e := range entries {
		write(t, "", e, "{not json")
	}
	if _, cached := cachedRun(t, cfg, cache); cached {
		t.Error("damaged entry: the report came from the cache")
	}
	if _, cached := cachedRun(t, cfg, cache); !cached {
		t.Error("after a damaged entry was written again: not from the cache")
	}

	// A run with a failure is not kept: the next one runs again.
	write(t, dir, "broken/b.go", "package broken\n\nfunc F() int {\n\treturn 1 +\n}\n")
	for i := range 2 {
		r, cached := cachedRun(t, cfg, cache)
		if cached || len(r.Failures) == 0 {
			t.Errorf("run %d with a parse error: cached %v, failures %v; want a fresh run that fails", i+1, cached, r.Failures)
		}
	}
}

// TestResultCacheUnwritable checks that a cache that cannot be written
// costs nothing but the cache: the report is the same, and the -v output
// says why.
func TestResultCacheUnwritable(t *testing.T) {
	dir := writeFiles(t, cacheModule)
	notDir := filepath.Join(t.TempDir(), "file")
	write(t, "", notDir, "a file where the cache directory should be")
	var out strings.Builder
	r, err := Run(context.Background(), Config{Analyzers: analyzers.All(), Dir: dir, Cache: notDir, Progress: NewProgress(&out, false)})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || len(r.Failures) != 0 {
		t.Errorf("%d findings, failures %v; want 1 finding and none", len(r.Findings), r.Failures)
	}
	if !strings.Contains(out.String(), "result cache not written") {
		t.Errorf("-v output does not say the cache was not written:\n%s", out.String())
	}
}

// TestResultCacheOff checks the runs that are never cached: -all, and
// patterns that name files.
func TestResultCacheOff(t *testing.T) {
	dir := writeFiles(t, cacheModule)
	cache := t.TempDir()
	for _, cfg := range []Config{
		{Dir: dir, All: true},
		{Dir: dir, Patterns: []string{filepath.Join(dir, "app", "app.go")}},
	} {
		for i := range 2 {
			r, cached := cachedRun(t, cfg, cache)
			if cached || len(r.Findings) != 1 {
				t.Errorf("%+v, run %d: cached %v with %d findings; want a fresh run with 1", cfg, i+1, cached, len(r.Findings))
			}
		}
	}
	if entries, _ := filepath.Glob(filepath.Join(cache, "*")); len(entries) != 0 {
		t.Errorf("the cache holds %v, want nothing", entries)
	}
}

// write writes content to the file name in dir.
func write(t *testing.T, dir, name, content string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFileIdentity checks what identifies a file in the key: nothing but
// its name in the module cache (a version's files never change), its
// size and time in GOROOT, its content elsewhere.
func TestFileIdentity(t *testing.T) {
	root := t.TempDir()
	fh := &fileHasher{modCache: filepath.Join(root, "mod"), goroot: filepath.Join(root, "goroot"), seen: map[string]string{}}
	modFile := filepath.Join(fh.modCache, "example.com/m@v1.0.0/m.go")
	gorootFile := filepath.Join(fh.goroot, "src/fmt/print.go")
	userFile := filepath.Join(root, "app/app.go")
	for _, f := range []string{modFile, gorootFile, userFile} {
		write(t, "", f, "package x\n")
	}
	id := func(name string) string {
		s, err := fh.identify(name)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := map[string]string{modFile: id(modFile), gorootFile: id(gorootFile), userFile: id(userFile)}
	for _, f := range []string{modFile, gorootFile, userFile} {
		write(t, "", f, "package y // changed\n")
	}
	if id(modFile) != before[modFile] {
		t.Error("a module cache file's identity changed with its content")
	}
	if id(gorootFile) == before[gorootFile] {
		t.Error("a GOROOT file's identity did not change with its size")
	}
	if id(userFile) == before[userFile] {
		t.Error("a main module file's identity did not change with its content")
	}
	if _, err := fh.identify(filepath.Join(root, "missing.go")); err == nil {
		t.Error("a missing file has an identity; want an error (the run is not cached)")
	}
}

// TestConcurrentResultCache runs two scans of the same module at once
// with one cache, as two CI jobs on one machine would: both get the
// report, and the entry left behind is whole (the next run replays it).
func TestConcurrentResultCache(t *testing.T) {
	dir := writeFiles(t, cacheModule)
	cache := t.TempDir()
	cfg := Config{Analyzers: analyzers.All(), Dir: dir, Cache: cache}
	reports := make([]*report.Report, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range reports {
		wg.Go(func() { reports[i], errs[i] = Run(context.Background(), cfg) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	if encode(t, reports[0]) != encode(t, reports[1]) || len(reports[0].Findings) != 1 {
		t.Errorf("concurrent runs: %d and %d findings, or reports that differ", len(reports[0].Findings), len(reports[1].Findings))
	}
	after, cached := cachedRun(t, cfg, cache)
	if !cached || encode(t, after) != encode(t, reports[0]) {
		t.Errorf("the run after them: cached %v, same report %v", cached, encode(t, after) == encode(t, reports[0]))
	}
}
