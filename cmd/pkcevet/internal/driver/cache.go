package driver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/tools/go/packages"

	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/report"
)

// The result cache. A run whose inputs are the same as an earlier run's
// prints that run's report without type-checking or analysing anything,
// as go vet does with its results. The key covers every input of the
// findings (see runKey); only the listing (go list -deps, which
// compiles nothing) runs again, to find out what the inputs are now.
//
// Only complete runs are kept: a report with a failure (a package that
// does not load, a module that cannot be downloaded, an analyzer error)
// may be transient and is never replayed. The cache is off with -all,
// with analyzers that are not gated (they imply -all), with patterns that
// name files, and under an external GOPACKAGESDRIVER or an -overlay in
// GOFLAGS (inputs the key cannot see).

// cacheFormat changes when the key or the entry changes meaning.
const cacheFormat = "pkcevet result cache 1"

// Entries not used for cacheMaxAge are removed, at most once per
// cacheTrimInterval; an entry's age is refreshed when it is used and more
// than cacheTouchAfter old (as the go command's cache does).
const (
	cacheMaxAge       = 5 * 24 * time.Hour
	cacheTrimInterval = 24 * time.Hour
	cacheTouchAfter   = time.Hour
)

// cacheEntry is what the cache holds for a run: its report and the
// package counts of its done line.
type cacheEntry struct {
	Format  string
	Report  *report.Report
	Summary Summary
}

// resultCache is one run's place in the cache.
type resultCache struct {
	dir string // the cache directory
	key string // hex SHA-256 of the run's inputs
}

// file is the entry's file: dir/xx/key, as the go command spreads its
// cache over 256 directories.
func (c *resultCache) file() string {
	return filepath.Join(c.dir, c.key[:2], c.key)
}

// openCache returns the run's place in the cache in dir, or nil when the
// run cannot be cached (see runKey); why is for the -v output.
func openCache(ctx context.Context, dir string, cfg Config, patterns []string, tests bool, ls *listing) (c *resultCache, why string) {
	if d := os.Getenv("GOPACKAGESDRIVER"); d != "" && d != "off" {
		return nil, "GOPACKAGESDRIVER is set"
	}
	env, err := goEnv(ctx, dir)
	if err != nil {
		return nil, err.Error()
	}
	if strings.Contains(env["GOFLAGS"], "-overlay") {
		return nil, "GOFLAGS has -overlay"
	}
	key, err := runKey(dir, cfg, patterns, tests, ls, env)
	if err != nil {
		return nil, err.Error()
	}
	return &resultCache{dir: cfg.Cache, key: key}, ""
}

// goEnv is go env -json in dir: the go command's settings (GOOS, GOFLAGS,
// GOVERSION, CGO_CFLAGS, …), from the environment and from go env -w.
func goEnv(ctx context.Context, dir string) (map[string]string, error) {
	// Counted as the listings are, so that a signal waits for it to end
	// (exec.CommandContext kills it when ctx is cancelled).
	end, ok := startGoCommand(ctx)
	if !ok {
		return nil, context.Cause(ctx)
	}
	defer end()
	cmd := exec.CommandContext(ctx, "go", "env", "-json")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %v", err)
	}
	env := make(map[string]string)
	if err := json.Unmarshal(out, &env); err != nil {
		return nil, fmt.Errorf("go env: %v", err)
	}
	return env, nil
}

// runKey hashes every input of a run's findings: pkcevet itself (its
// executable), the configuration (analyzers and their flags, -test,
// patterns, directory), the go command's settings, and every package of
// the listing, dependencies and standard library included: its identity,
// imports and files. A file's content is hashed unless it is in the
// module cache, whose directories are named for the module's version and
// never change (the go command verifies them), or in GOROOT, whose files
// are identified by size and modification time next to GOVERSION. The
// go.mod and go.work files that are not in the module cache are hashed
// too. A package with list errors makes the run uncacheable.
func runKey(dir string, cfg Config, patterns []string, tests bool, ls *listing, env map[string]string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", cacheFormat)
	if err := hashExecutable(h); err != nil {
		return "", err
	}
	fmt.Fprintf(h, "version %q\ndir %q\ntests %v\nstacks %v\npatterns %q\n", cfg.Version, dir, tests, cfg.Stacks, patterns)
	for _, a := range cfg.Analyzers {
		fmt.Fprintf(h, "analyzer %s\n", a.Name)
		a.Flags.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(h, "flag %s.%s=%q\n", a.Name, f.Name, f.Value.String())
		})
	}
	for _, k := range slices.Sorted(maps.Keys(env)) {
		if k == "GOGCCFLAGS" {
			continue // names a new temporary directory each time; derived from CC and CGO_CFLAGS
		}
		fmt.Fprintf(h, "env %s=%q\n", k, env[k])
	}
	fh := &fileHasher{
		modCache: env["GOMODCACHE"],
		goroot:   env["GOROOT"],
		seen:     make(map[string]string),
	}
	if work := env["GOWORK"]; work != "" && work != "off" {
		if err := fh.hash(h, "go.work", work); err != nil {
			return "", err
		}
	}
	var all []*packages.Package
	packages.Visit(ls.pkgs, nil, func(p *packages.Package) { all = append(all, p) })
	slices.SortFunc(all, func(a, b *packages.Package) int { return strings.Compare(a.ID, b.ID) })
	modules := make(map[string]bool)
	for _, p := range all {
		if len(p.Errors) > 0 {
			return "", fmt.Errorf("package %s has errors", p.ID)
		}
		fmt.Fprintf(h, "package %q %q %q\n", p.ID, p.PkgPath, p.Name)
		if m := p.Module; m != nil {
			fmt.Fprintf(h, "module %q %q %q %v\n", m.Path, m.Version, m.Dir, m.Main)
			if r := m.Replace; r != nil {
				fmt.Fprintf(h, "replace %q %q %q\n", r.Path, r.Version, r.Dir)
			}
			if m.GoMod != "" && !modules[m.GoMod] {
				modules[m.GoMod] = true
				if err := fh.hash(h, "go.mod", m.GoMod); err != nil {
					return "", err
				}
			}
		}
		for _, path := range slices.Sorted(maps.Keys(p.Imports)) {
			fmt.Fprintf(h, "import %q %q\n", path, p.Imports[path].ID)
		}
		for _, name := range p.GoFiles {
			if err := fh.hash(h, "go", name); err != nil {
				return "", err
			}
		}
		for _, name := range p.OtherFiles { // C and headers: what cgo makes of them
			if err := fh.hash(h, "other", name); err != nil {
				return "", err
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fileHasher writes what identifies a file to a run's hash, hashing the
// content of each file at most once.
type fileHasher struct {
	modCache, goroot string
	seen             map[string]string // file -> what identifies it
}

func (fh *fileHasher) hash(h io.Writer, kind, name string) error {
	id, ok := fh.seen[name]
	if !ok {
		var err error
		if id, err = fh.identify(name); err != nil {
			return err
		}
		fh.seen[name] = id
	}
	fmt.Fprintf(h, "%s %q %s\n", kind, name, id)
	return nil
}

// identify returns what identifies the content of the file name: nothing
// in the module cache, the size and modification time in GOROOT, the
// SHA-256 of its bytes elsewhere.
func (fh *fileHasher) identify(name string) (string, error) {
	switch {
	case within(fh.modCache, name):
		return "", nil
	case within(fh.goroot, name):
		fi, err := os.Stat(name)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d %d", fi.Size(), fi.ModTime().UnixNano()), nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// within reports whether the file name is in the directory dir.
func within(dir, name string) bool {
	return dir != "" && strings.HasPrefix(name, dir+string(filepath.Separator))
}

// hashExecutable writes the SHA-256 of pkcevet's executable to h: a
// rebuilt pkcevet, with other rules or fixes, never replays the results
// of the one before.
func hashExecutable(h hash.Hash) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	f, err := os.Open(exe)
	if err != nil {
		return err
	}
	defer f.Close()
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return err
	}
	fmt.Fprintf(h, "executable %x\n", sum.Sum(nil))
	return nil
}

// get returns the entry of the run, if the cache has one.
func (c *resultCache) get() (*cacheEntry, bool) {
	data, err := os.ReadFile(c.file())
	if err != nil {
		return nil, false
	}
	var e cacheEntry
	if err := json.Unmarshal(data, &e); err != nil || e.Format != cacheFormat || e.Report == nil {
		return nil, false // damaged: the run writes it again
	}
	if fi, err := os.Stat(c.file()); err == nil && time.Since(fi.ModTime()) > cacheTouchAfter {
		now := time.Now()
		os.Chtimes(c.file(), now, now)
	}
	return &e, true
}

// put stores the run's report and counts, unless the report has
// failures, and removes the entries not used for cacheMaxAge.
func (c *resultCache) put(r *report.Report, s Summary) error {
	if len(r.Failures) > 0 {
		return nil
	}
	data, err := json.Marshal(cacheEntry{Format: cacheFormat, Report: r, Summary: s})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.file()), 0o777); err != nil {
		return err
	}
	// Written aside and renamed: a reader (another pkcevet at the same
	// time) sees the whole entry or none.
	tmp, err := os.CreateTemp(filepath.Dir(c.file()), c.key+".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), c.file())
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	c.trim()
	return nil
}

// trim removes the entries (and stray temporary files) not used for
// cacheMaxAge, at most once per cacheTrimInterval: the time of the last
// trim is the modification time of the file trim.txt.
func (c *resultCache) trim() {
	mark := filepath.Join(c.dir, "trim.txt")
	if fi, err := os.Stat(mark); err == nil && time.Since(fi.ModTime()) < cacheTrimInterval {
		return
	}
	os.WriteFile(mark, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o666)
	subdirs, _ := filepath.Glob(filepath.Join(c.dir, "[0-9a-f][0-9a-f]"))
	for _, sub := range subdirs {
		entries, _ := os.ReadDir(sub)
		for _, e := range entries {
			if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > cacheMaxAge {
				os.Remove(filepath.Join(sub, e.Name()))
			}
		}
	}
}
