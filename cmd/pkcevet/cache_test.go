package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestResultCacheCommand checks the result cache through the binary: a
// second run with the same inputs replays the first one's report, exit
// status and fixes; another pkcevet executable does not.
func TestResultCacheCommand(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"weak/weak.go": weakSrc})
	env := []string{"PKCEVET_CACHE=" + t.TempDir()}
	const fromCache = "from the result cache"

	first := runInEnv(t, dir, env, binary, "-v")
	first.check(t, 1, weakLine("weak"))
	if strings.Contains(first.stderr, fromCache) {
		t.Fatalf("first run said it used the cache:\n%s", first.stderr)
	}
	again := runInEnv(t, dir, env, binary, "-v")
	again.check(t, 1, weakLine("weak"))
	if !strings.Contains(again.stderr, fromCache) {
		t.Errorf("second run did not use the cache:\n%s", again.stderr)
	}
	for _, args := range [][]string{{"-format", "json"}, {"-format", "sarif"}, {"-diff"}} {
		uncached := runInEnv(t, dir, []string{"PKCEVET_CACHE=off"}, binary, args...)
		runInEnv(t, dir, env, binary, args...) // fills the cache, if this is a new key
		cached := runInEnv(t, dir, env, binary, append(args, "-v")...)
		cached.check(t, uncached.code, uncached.stdout)
		if !strings.Contains(cached.stderr, fromCache) {
			t.Errorf("%v: the second run did not use the cache:\n%s", args, cached.stderr)
		}
	}

	// Another executable (a rebuilt pkcevet, other rules): the same bytes
	// and one more still run the analysis.
	data, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "pkcevet")
	if err := os.WriteFile(other, append(data, 0), 0o755); err != nil {
		t.Fatal(err)
	}
	rebuilt := runInEnv(t, dir, env, other, "-v")
	rebuilt.check(t, 1, weakLine("weak"))
	if strings.Contains(rebuilt.stderr, fromCache) {
		t.Errorf("another executable used the first one's results:\n%s", rebuilt.stderr)
	}
}

func TestCacheDir(t *testing.T) {
	t.Setenv("PKCEVET_CACHE", "off")
	if d := cacheDir(); d != "" {
		t.Errorf("PKCEVET_CACHE=off: cache in %q, want none", d)
	}
	t.Setenv("PKCEVET_CACHE", "rel/dir")
	wd, _ := os.Getwd()
	if d, want := cacheDir(), filepath.Join(wd, "rel", "dir"); d != want {
		t.Errorf("PKCEVET_CACHE=rel/dir: cache in %q, want %q", d, want)
	}
	if runtime.GOOS != "linux" {
		return // os.UserCacheDir reads XDG_CACHE_HOME on Linux only
	}
	t.Setenv("PKCEVET_CACHE", "")
	t.Setenv("XDG_CACHE_HOME", "/somewhere")
	if d := cacheDir(); d != "/somewhere/pkcevet" {
		t.Errorf("PKCEVET_CACHE unset, XDG_CACHE_HOME=/somewhere: cache in %q, want /somewhere/pkcevet", d)
	}
}
