package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
)

// The large target (issue 21): a real module the eval does not use, with
// hundreds of packages and few that touch OAuth, pinned and served by the
// module proxy. tailscale.com v1.102.5 has 477 packages (go list ./...)
// and loads with Go 1.26; most of it is networking, Noise and WireGuard,
// a few packages are OAuth clients.
const (
	largeModule  = "tailscale.com"
	largeVersion = "v1.102.5"
)

// largeDir is where the large module's copy lives: a module cache
// directory is read-only and go vet wants a main module, so the module is
// copied out of the cache, made writable, and its dependencies downloaded
// with go mod download in the copy.
func largeDir(o *options) string {
	return filepath.Join(o.cacheDir, "large", largeModule+"@"+largeVersion)
}

// prepareLarge makes the copy of the large module unless it is there
// (its go.sum marks a finished copy), and returns its directory and
// its package count. With -large-dir, the copy is that directory.
func prepareLarge(ctx context.Context, o *options, out io.Writer) (string, int, error) {
	dir := largeDir(o)
	if o.largeDir != "" {
		// A copy the go command has built in already: the build cache
		// keys a main module's packages by their directory.
		dir = o.largeDir
		mod, err := runOutput(ctx, dir, "go", "list", "-m")
		if err != nil {
			return "", 0, err
		}
		if strings.TrimSpace(mod) != largeModule {
			return "", 0, fmt.Errorf("-large-dir %s holds module %s, not %s", dir, strings.TrimSpace(mod), largeModule)
		}
	} else if _, err := os.Stat(filepath.Join(dir, ".bench-ready")); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(out, "copying %s@%s out of the module cache into %s\n", largeModule, largeVersion, dir)
		if err := copyLarge(ctx, dir); err != nil {
			return "", 0, err
		}
	} else if err != nil {
		return "", 0, err
	}
	list, err := runOutput(ctx, dir, "go", "list", "./...")
	if err != nil {
		return "", 0, err
	}
	return dir, strings.Count(list, "\n"), nil
}

// copyLarge downloads the large module into the module cache (through
// the proxy), copies it to dir and downloads its dependencies there.
func copyLarge(ctx context.Context, dir string) error {
	tmp, err := os.MkdirTemp("", "bench-large-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	js, err := runOutput(ctx, tmp, "go", "mod", "download", "-json", largeModule+"@"+largeVersion)
	if err != nil {
		return err
	}
	var m struct{ Dir, Error string }
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		return err
	}
	if m.Error != "" || m.Dir == "" {
		return fmt.Errorf("go mod download %s@%s: %s", largeModule, largeVersion, m.Error)
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	err = filepath.WalkDir(m.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(m.Dir, path)
		to := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "mod", "download")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go mod download in %s: %v", dir, err)
	}
	return os.WriteFile(filepath.Join(dir, ".bench-ready"), nil, 0o644)
}

// largeRows are the tools on the large module, warm: go vet ./... with
// its result cache full (a warm-up run fills it), pkcevet as a user runs
// it twice, with its result cache full (the warm-up fills it too) and
// without one, and pkcevet -all (every package type-checked: what
// deciding relevance first saves); with -baseline, another pkcevet
// binary too. None loads _test.go files: go vet does, but a cached go
// vet costs the same either way, and pkcevet's default is without.
func largeRows(o *options, dir string) []*shapeRow {
	t := &target{dir: dir}
	results := "PKCEVET_CACHE=" + filepath.Join(o.cacheDir, "pkcevet-results")
	rows := []*shapeRow{
		// go vet first: the ratios are to it.
		{key: "vet", name: "go vet ./..., cached", ok: exit01, cmd: func() *exec.Cmd {
			return command(t, nil, "go", "vet", "./...")
		}},
		{key: "pkcevet", name: "pkcevet ./..., cached", ok: exit012, cmd: func() *exec.Cmd {
			return command(t, []string{results}, o.pkcevet, "-no-fail", "./...")
		}},
		{key: "nocache", name: "pkcevet ./..., no result cache", ok: exit012, cmd: func() *exec.Cmd {
			return command(t, nil, o.pkcevet, "-no-fail", "./...")
		}},
		{key: "all", name: "pkcevet -all ./...", ok: exit012, cmd: func() *exec.Cmd {
			return command(t, nil, o.pkcevet, "-all", "-no-fail", "./...")
		}},
	}
	if o.baseline != "" {
		rows = append(rows, &shapeRow{key: "baseline", name: "pkcevet -baseline ./...", ok: exit012, cmd: func() *exec.Cmd {
			return command(t, nil, o.baseline, "-no-fail", "./...")
		}})
	}
	return rows
}

// largeColdRows are go vet and pkcevet with an empty build cache each
// (GOCACHE set to a new directory per run), and pkcevet with an empty
// result cache in it: a first run, which compiles the export data of
// every dependency it needs.
func largeColdRows(o *options, dir string) []*shapeRow {
	t := &target{dir: dir}
	fresh := func(name string, args ...string) func() *exec.Cmd {
		return func() *exec.Cmd {
			cache, err := os.MkdirTemp(o.cacheDir, "gocache-cold-")
			if err != nil {
				panic(err)
			}
			return command(t, []string{"GOCACHE=" + cache, "PKCEVET_CACHE=" + filepath.Join(cache, "pkcevet")}, name, args...)
		}
	}
	return []*shapeRow{
		{key: "vet", name: "go vet ./..., fresh GOCACHE", ok: exit01, cmd: fresh("go", "vet", "./...")},
		{key: "pkcevet", name: "pkcevet ./..., fresh GOCACHE", ok: exit012, cmd: fresh(o.pkcevet, "-no-fail", "./...")},
	}
}

// largeTarget measures the large module: warm rounds of largeRows, then,
// unless o.largeColdRounds is 0, cold rounds of largeColdRows (a fresh
// go vet there costs minutes of CPU). It prints both tables with the
// ratios to go vet and returns the runs by key.
func largeTarget(ctx context.Context, o *options, out io.Writer) (warm, cold map[string][]runSample, err error) {
	dir, n, err := prepareLarge(ctx, o, out)
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(out, "  %s@%s: %d packages (go list ./...), in %s\n", largeModule, largeVersion, n, dir)
	fmt.Fprintf(out, "  warm: module and build caches full, go vet's result cache full (%d rounds, alternating)\n", o.rounds)
	if warm, err = measureAgainst(largeRows(o, dir), o.rounds, out); err != nil {
		return nil, nil, err
	}
	if o.largeColdRounds == 0 {
		return warm, nil, nil
	}
	fmt.Fprintf(out, "\n  first run: an empty GOCACHE per run (%d rounds, no warm-up)\n", o.largeColdRounds)
	rows := largeColdRows(o, dir)
	defer removeColdCaches(o)
	cold, err = measureRounds(rows, o.largeColdRounds, nil, out)
	if err != nil {
		return warm, nil, err
	}
	return warm, cold, printAgainst(rows, out)
}

// removeColdCaches removes the build caches of the cold runs.
func removeColdCaches(o *options) {
	dirs, _ := filepath.Glob(filepath.Join(o.cacheDir, "gocache-cold-*"))
	for _, d := range dirs {
		os.RemoveAll(d)
	}
}

// measureAgainst is measureShape with the ratios to the first row
// instead of the floor, and a go vet warm-up: an untimed round first.
func measureAgainst(rows []*shapeRow, rounds int, out io.Writer) (map[string][]runSample, error) {
	res, err := measureRounds(rows, rounds, func(*shapeRow, sample) {}, out)
	if err != nil {
		return nil, err
	}
	return res, printAgainst(rows, out)
}

// measureRounds runs the rows rounds times each, alternating (round r
// starts with the row after the one round r-1 started with), after an
// untimed warm-up round when warmUp is not nil (it is shown each warm-up
// run), and returns the runs by key. The cold rows' caches are removed
// after each run.
func measureRounds(rows []*shapeRow, rounds int, warmUp func(*shapeRow, sample), out io.Writer) (map[string][]runSample, error) {
	first := 0
	if warmUp != nil {
		first = -1
	}
	for r := first; r < rounds; r++ {
		if r >= 0 {
			fmt.Fprintf(out, "  round %d:", r+1)
		}
		for i := range rows {
			rw := rows[(i+max(r, 0))%len(rows)]
			cmd := rw.cmd()
			s, err := measure(cmd)
			for _, e := range cmd.Env {
				if c, ok := strings.CutPrefix(e, "GOCACHE="); ok && strings.Contains(c, "gocache-cold-") {
					os.RemoveAll(c)
				}
			}
			if err != nil {
				return nil, err
			}
			if !rw.ok(s.code) {
				return nil, fmt.Errorf("%s: exit status %d\n%s", strings.Join(cmd.Args, " "), s.code, s.stderr)
			}
			if r < 0 {
				warmUp(rw, s)
				continue
			}
			var rs runSample
			rs.add(s)
			rw.runs = append(rw.runs, rs)
			fmt.Fprintf(out, " %s %ss", rw.key, seconds(s.wall))
		}
		if r >= 0 {
			fmt.Fprintf(out, "  (load %s)\n", loadavg())
		}
	}
	res := make(map[string][]runSample)
	for _, rw := range rows {
		res[rw.key] = rw.runs
	}
	return res, nil
}

// printAgainst prints the rows' medians and their ratios to the first
// row's.
func printAgainst(rows []*shapeRow, out io.Writer) error {
	fmt.Fprintln(out)
	w := tabwriter.NewWriter(out, 0, 0, 3, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "tool\truns\twall s (median)\twall min–max\tCPU s\tpeak RSS MB\twall/vet\tCPU/vet\tRSS/vet\t")
	base := summarize(rows[0].runs)
	for _, rw := range rows {
		st := summarize(rw.runs)
		fmt.Fprintf(w, "%s\t%d\t%s\t%s–%s\t%s\t%s\t%s\t%s\t%s\t\n", rw.name, st.n, seconds(st.wall),
			seconds(st.minWall), seconds(st.maxWall), seconds(st.cpu), mib(st.rssKB),
			ratio(st.wall.Seconds(), base.wall.Seconds()), ratio(st.cpu.Seconds(), base.cpu.Seconds()),
			ratio(float64(st.rssKB), float64(base.rssKB)))
	}
	return w.Flush()
}
