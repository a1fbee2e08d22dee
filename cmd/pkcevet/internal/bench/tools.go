package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// tool is one of the measured programs.
type tool struct {
	key, name string
	// cmd returns the command for one invocation on t and what to do
	// once it has run.
	cmd func(t *target) (*exec.Cmd, func())
	// ok reports whether an exit status means the tool ran to the end
	// (several exit 1 when they have findings).
	ok func(code int) bool
}

func exit01(code int) bool  { return code == 0 || code == 1 }
func exit012(code int) bool { return code >= 0 && code <= 2 }
func noCleanup()            {}

// command makes a command in the target's scratch module; GOWORK is off so
// that a go.work above it cannot change what is loaded, and pkcevet's
// result cache is off (the floor, gosec and the other tools have none)
// unless env sets PKCEVET_CACHE.
func command(t *target, env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = t.dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "PKCEVET_CACHE=off")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

func allTools(o *options) []*tool {
	args := func(t *target, args ...string) []string { return append(args, t.patterns...) }
	return []*tool{
		{
			key: "floor", name: "(a) floor",
			cmd: func(t *target) (*exec.Cmd, func()) {
				return command(t, nil, o.self, args(t, "floor", "-test")...), noCleanup
			},
			ok: func(code int) bool { return code == 0 },
		},
		{
			key: "allsyntax", name: "(a′) floor, LoadAllSyntax",
			cmd: func(t *target) (*exec.Cmd, func()) {
				return command(t, nil, o.self, args(t, "floor-allsyntax", "-test")...), noCleanup
			},
			ok: func(code int) bool { return code == 0 },
		},
		{
			key: "ssa", name: "(a″) floor + buildssa",
			cmd: func(t *target) (*exec.Cmd, func()) {
				return command(t, nil, o.self, args(t, "floor-ssa", "-test")...), noCleanup
			},
			ok: func(code int) bool { return code == 0 },
		},
		{
			key: "pkcevet", name: "(b) pkcevet",
			cmd: func(t *target) (*exec.Cmd, func()) {
				// Exit 2 is a package that does not load (a few
				// test packages need a build tag or cgo): the
				// others are still analysed.
				return command(t, nil, o.pkcevet, args(t, "-test", "-no-fail")...), noCleanup
			},
			ok: exit012,
		},
		{
			// Every package type-checked, as before relevance was
			// decided first: what the selection costs or saves.
			key: "all", name: "(b′) pkcevet -all",
			cmd: func(t *target) (*exec.Cmd, func()) {
				return command(t, nil, o.pkcevet, args(t, "-all", "-test", "-no-fail")...), noCleanup
			},
			ok: exit012,
		},
		{
			// -baseline: another pkcevet binary (say, built from
			// main), measured in the same alternating rounds.
			key: "baseline", name: "(b0) pkcevet -baseline",
			cmd: func(t *target) (*exec.Cmd, func()) {
				return command(t, nil, o.baseline, args(t, "-test", "-no-fail")...), noCleanup
			},
			ok: exit012,
		},
		{
			key: "gosec", name: "(c) gosec " + gosecVersion,
			cmd: func(t *target) (*exec.Cmd, func()) {
				return command(t, nil, o.gosec, gosecArgs(t, "sarif", os.DevNull)...), noCleanup
			},
			ok: exit01,
		},
		{
			key: "vet", name: "(d) go vet, uncached",
			cmd: func(t *target) (*exec.Cmd, func()) {
				// vet's result cache is keyed by its flags: a new
				// -printf.funcs value makes every vet action run
				// again, dependencies' included, while the
				// compiled packages stay cached.
				return command(t, nil, "go", args(t, "vet", "-printf.funcs=bench"+randomHex())...), noCleanup
			},
			ok: exit01,
		},
		{
			key: "staticcheck", name: "(e) staticcheck " + staticcheckVer,
			cmd: func(t *target) (*exec.Cmd, func()) {
				// An empty cache, as go vet's is defeated: with its
				// cache warm, staticcheck reuses every result (see
				// the everyday table).
				cache, err := os.MkdirTemp(o.cacheDir, "staticcheck-cold-")
				if err != nil {
					panic(err)
				}
				cmd := command(t, []string{"STATICCHECK_CACHE=" + cache}, o.staticcheck, args(t, "-tests")...)
				return cmd, func() { os.RemoveAll(cache) }
			},
			ok: exit01,
		},
	}
}

// gosecArgs are gosec's arguments for the target's packages.
//
// gosec takes directories, not import paths: "dir/..." walks the tree (a
// module path like github.com/ory/fosite/... is a directory that does not
// exist, and gosec scans nothing), and for each directory it runs
// packages.Load on the files in it with Dir set to the nearest go.mod. So
// it is given the directories of the packages that `go list mod/...`
// finds, in the module cache: the same packages the others scan, not the
// testdata trees that walking the module's directory would add. Those
// packages are loaded against the module's own go.mod in the module cache,
// whose dependencies the scratch module's go get -t has downloaded. The
// warm-up round checks with -fmt json that gosec scanned as many files as
// go list counts.
func gosecArgs(t *target, format, out string) []string {
	args := []string{"-fmt", format, "-out", out, "-quiet", "-tests"}
	return append(args, t.pkgDirs...)
}

func randomHex() string {
	b := make([]byte, 6)
	rand.Read(b)
	return fmt.Sprintf("%x", b)
}

func selectTools(all []*tool, only string) []*tool {
	if only == "" {
		return all
	}
	want := make(map[string]bool)
	for _, k := range strings.Split(only, ",") {
		want[strings.TrimSpace(k)] = true
	}
	var out []*tool
	for _, t := range all {
		if want[t.key] {
			out = append(out, t)
		}
	}
	return out
}

// installTools builds the pinned gosec and staticcheck into o.toolsDir
// unless the binaries there are those versions already.
func installTools(ctx context.Context, o *options, tools []*tool, out io.Writer) error {
	o.gosec = filepath.Join(o.toolsDir, "gosec")
	o.staticcheck = filepath.Join(o.toolsDir, "staticcheck")
	for _, tl := range []struct{ key, bin, pkg, mod, version string }{
		{"gosec", o.gosec, gosecModule, "github.com/securego/gosec/v2", gosecVersion},
		{"staticcheck", o.staticcheck, staticcheckModule, "honnef.co/go/tools", staticcheckVer},
	} {
		if !slices.ContainsFunc(tools, func(t *tool) bool { return t.key == tl.key }) {
			continue
		}
		if v, _ := runOutput(ctx, "", "go", "version", "-m", tl.bin); strings.Contains(v, "\tmod\t"+tl.mod+"\t"+tl.version+"\t") {
			continue
		}
		fmt.Fprintf(out, "installing %s@%s into %s\n", tl.pkg, tl.version, o.toolsDir)
		cmd := exec.CommandContext(ctx, "go", "install", tl.pkg+"@"+tl.version)
		cmd.Env = append(os.Environ(), "GOBIN="+o.toolsDir, "GOWORK=off")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go install %s@%s: %v", tl.pkg, tl.version, err)
		}
	}
	return nil
}

var floorStats = regexp.MustCompile(`floor: (\d+) packages type-checked from source, (\d+) files, (\d+) with errors`)

// warmUp runs every tool once over every target, untimed, to fill the
// caches, and checks that each ran to the end; it prints what each loaded
// where the tool says.
func warmUp(ctx context.Context, o *options, tools []*tool, targets []*target, out io.Writer) error {
	for _, tl := range tools {
		var notes []string
		var pkgs, files, broken int
		for _, t := range targets {
			cmd, cleanup := tl.cmd(t)
			s, err := measure(cmd)
			cleanup()
			if err != nil {
				return err
			}
			if !tl.ok(s.code) {
				return fmt.Errorf("%s on %s: exit status %d\n%s", tl.name, t.mod, s.code, s.stderr)
			}
			if m := floorStats.FindStringSubmatch(s.stderr); m != nil {
				p, _ := strconv.Atoi(m[1])
				f, _ := strconv.Atoi(m[2])
				b, _ := strconv.Atoi(m[3])
				pkgs, files, broken = pkgs+p, files+f, broken+b
			}
			if s.code != 0 {
				notes = append(notes, fmt.Sprintf("%s exit %d (%d stderr lines)", shortMod(t.mod), s.code, countLines(s.stderr)))
			}
		}
		fmt.Fprintf(out, "  %-28s ran on %d modules", tl.name, len(targets))
		if pkgs > 0 {
			fmt.Fprintf(out, "; type-checked %d packages from source (%d files parsed, test variants counted again), %d with errors", pkgs, files, broken)
		}
		fmt.Fprintln(out)
		if len(notes) > 0 {
			fmt.Fprintf(out, "  %-28s %s\n", "", strings.Join(notes, ", "))
		}
		if tl.key == "gosec" {
			if err := checkGosec(ctx, o, targets, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkGosec runs gosec once with -fmt json to count what it scanned.
func checkGosec(ctx context.Context, o *options, targets []*target, out io.Writer) error {
	var files, lines, issues, goErrors, listed int
	for _, t := range targets {
		f, err := os.CreateTemp(o.cacheDir, "gosec-*.json")
		if err != nil {
			return err
		}
		f.Close()
		defer os.Remove(f.Name())
		cmd := command(t, nil, o.gosec, gosecArgs(t, "json", f.Name())...)
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		_ = cmd.Run() // exit 1: issues found
		data, err := os.ReadFile(f.Name())
		if err != nil {
			return err
		}
		var rep struct {
			Errors map[string][]json.RawMessage `json:"Golang errors"`
			Issues []json.RawMessage
			Stats  struct{ Files, Lines, Found int }
		}
		if err := json.Unmarshal(data, &rep); err != nil {
			return fmt.Errorf("gosec -fmt json on %s: %v", t.mod, err)
		}
		files += rep.Stats.Files
		lines += rep.Stats.Lines
		issues += len(rep.Issues)
		for _, errs := range rep.Errors {
			goErrors += len(errs)
		}
		listed += t.files
	}
	fmt.Fprintf(out, "  %-28s check (-fmt json): scanned %d files, %d lines (go list: %d files), %d issues, %d load/type errors\n",
		"", files, lines, listed, issues, goErrors)
	return nil
}

func shortMod(mod string) string {
	parts := strings.Split(mod, "/")
	if len(parts) >= 2 {
		return strings.Join(parts[len(parts)-2:], "/")
	}
	return mod
}

func countLines(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	return strings.Count(s, "\n") + 1
}

// rounds measures every tool o.rounds times, alternating: round r starts
// with the tool after the one round r-1 started with, so none always runs
// right after the same other one.
func rounds(ctx context.Context, o *options, tools []*tool, targets []*target, out io.Writer) (map[string][]runSample, error) {
	res := make(map[string][]runSample)
	for r := 0; r < o.rounds; r++ {
		fmt.Fprintf(out, "  round %d:", r+1)
		for i := range tools {
			tl := tools[(i+r)%len(tools)]
			var rs runSample
			for _, t := range targets {
				cmd, cleanup := tl.cmd(t)
				s, err := measure(cmd)
				cleanup()
				if err != nil {
					return nil, err
				}
				if !tl.ok(s.code) {
					return nil, fmt.Errorf("%s on %s: exit status %d\n%s", tl.name, t.mod, s.code, s.stderr)
				}
				rs.add(s)
			}
			res[tl.key] = append(res[tl.key], rs)
			fmt.Fprintf(out, " %s %ss", tl.key, seconds(rs.wall))
		}
		fmt.Fprintf(out, "  (load %s)\n", loadavg())
	}
	return res, nil
}
