// Command bench measures pkcevet's speed and memory against the
// type-checking floor, gosec, go vet and staticcheck, on three targets:
// the modules of the evaluation (package evaltargets) with -test, the
// standard library, and a repeat `go vet -vettool=pkcevet` run. It is
// `make bench`:
//
//	go build -o bin/pkcevet-bench ./cmd/pkcevet/internal/bench
//	bin/pkcevet-bench [-targets eval,std,vet] [-rounds 5] [-baseline old-pkcevet]
//
// It ends with the goals of issue 12, "met" or "NOT met": pkcevet within
// 1.3× of the floor in CPU time and in peak RSS on every target, and at
// least 10× faster than gosec in CPU time. Every figure is the median of
// alternating rounds (round r starts with the tool after the one round
// r-1 started with), after an untimed warm-up round that fills the
// module, build and export-data caches; the machine is shared, so CPU time
// is what the goals are judged on, not wall time.
//
// On the eval target, one "run" of a tool is the tool over all the
// modules: one invocation per scratch module (testdata/eval/work/<name>,
// made by go get -t like the eval does, on the eval's packages of it), one
// after the other. Its wall time is the sum of the wall times, its CPU
// time the sum of their user+system times (the process and every
// descendant it waited for), and its peak RSS the largest of the ru_maxrss
// values that wait4 returns for each child. That is what /usr/bin/time -v
// prints as "Maximum resident set size": the peak of the largest single
// process in the tree, not the sum of processes running at once (go vet
// runs a vet process per package, two at a time here).
//
// The tools on the eval target (-only picks some):
//
//	(a)  floor            this program's `floor` mode: the loader pkcevet uses (one
//	                      packages.Load, the roots from source, their dependencies from
//	                      export data, no other go list) and the checker, with one no-op
//	                      analyzer that requires inspect only (no facts, so no package
//	                      is loaded for its facts)
//	(a′) floor-allsyntax  the same analyzer on packages.LoadAllSyntax, nothing pruned
//	(a″) floor + buildssa the no-op also requiring buildssa: not a floor, the share
//	                      of pkcevet's cost that is SSA construction
//	(b)  pkcevet          bin/pkcevet -test, all analyzers
//	(b0) pkcevet -baseline another pkcevet binary, with -baseline: before and after
//	(c)  gosec            pinned, -fmt sarif -tests (see gosecArgs for the package list)
//	(d)  go vet           default analyzers, result cache defeated by a new -printf.funcs
//	(e)  staticcheck      pinned, -tests, an empty STATICCHECK_CACHE per invocation
//
// The vet target is the everyday case on the eval modules: the tools
// re-run with nothing changed, where go vet's and staticcheck's result
// caches answer, and go vet -vettool=pkcevet run twice, first with a
// pkcevet binary go vet has not seen, then again. The std target is the
// floor and pkcevet (and the baseline) on "std", one invocation each. With
// -monorepo-rounds, a fourth table is the shape of a large monorepo where
// few packages touch OAuth: std plus golang.org/x/oauth2 (see monorepo.go).
//
// The large target (-targets large, in the default) is issue 21's: a
// large real module, tailscale.com v1.102.5 (see large.go), where pkcevet
// is measured against go vet ./... with its results cached, warm, and then
// once each with an empty GOCACHE (-large-cold-rounds; minutes of CPU).
//
// Unless -no-profile, the program also writes CPU and heap profiles of
// pkcevet on the eval modules to .cache/bench and prints the top of `go
// tool pprof -top -cum`.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/driver"
)

// Pinned tool versions. staticcheck v0.8.2 builds with go1.26.
const (
	gosecModule       = "github.com/securego/gosec/v2/cmd/gosec"
	gosecVersion      = "v2.30.0"
	staticcheckModule = "honnef.co/go/tools/cmd/staticcheck"
	staticcheckVer    = "v0.8.2"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "floor", "floor-allsyntax", "floor-ssa":
			os.Exit(floorMain(os.Args[1], os.Args[2:]))
		}
	}
	var o options
	flag.StringVar(&o.targets, "targets", "eval,std,vet,large", "comma-separated targets: eval (the eval modules, -test), std (the standard library), vet (go vet -vettool=pkcevet, first run and repeat), large ("+largeModule+"@"+largeVersion+" against go vet)")
	flag.StringVar(&o.largeDir, "large-dir", "", "an existing copy of "+largeModule+"@"+largeVersion+" (its dependencies downloaded) to measure the large target in; default a copy made in -cache")
	flag.IntVar(&o.largeColdRounds, "large-cold-rounds", 1, "rounds of the first-run (empty GOCACHE) comparison on the large target, each minutes of CPU; 0 skips it")
	flag.IntVar(&o.rounds, "rounds", 5, "timed rounds of every tool on the eval and std targets (after one untimed warm-up round)")
	flag.StringVar(&o.baseline, "baseline", "", "another pkcevet `binary` (say, built from main) to measure in the same rounds as -pkcevet, on the eval and std targets")
	flag.IntVar(&o.everydayRounds, "everyday-rounds", 3, "timed rounds of the everyday (nothing changed) table: the vet target")
	flag.StringVar(&o.work, "work", "testdata/eval/work", "directory of the scratch modules, one per target module")
	flag.StringVar(&o.pkcevet, "pkcevet", "bin/pkcevet", "the pkcevet binary")
	flag.StringVar(&o.toolsDir, "tools", ".cache/tools", "GOBIN for the pinned gosec and staticcheck")
	flag.StringVar(&o.cacheDir, "cache", ".cache/bench", "directory for profiles and tool caches")
	flag.StringVar(&o.only, "only", "", "comma-separated tool keys to run on the eval target (floor,allsyntax,ssa,pkcevet,all,gosec,vet,staticcheck); default all")
	flag.StringVar(&o.modulesOnly, "modules", "", "comma-separated subset of the module paths (for trying the program out); default all of the eval's")
	flag.IntVar(&o.monorepoRounds, "monorepo-rounds", 0, "timed rounds of the monorepo shape (std plus golang.org/x/oauth2, floor and pkcevet); 0 skips it")
	flag.BoolVar(&o.noProfile, "no-profile", false, "skip the profiles")
	flag.Parse()
	if o.rounds < 1 {
		fmt.Fprintln(os.Stderr, "bench: -rounds must be at least 1")
		os.Exit(2)
	}
	if err := run(context.Background(), &o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type options struct {
	targets                         string
	rounds, everydayRounds          int
	monorepoRounds, largeColdRounds int
	work, pkcevet, baseline         string
	toolsDir, largeDir              string
	cacheDir, only, modulesOnly     string
	noProfile                       bool
	self, gosec, staticcheck, goBin string // resolved binaries
}

// floorMain is the floor: pkcevet's loader and checker (driver.Check) with
// one analyzer that does nothing, so what it costs is loading and type
// checking: one packages.Load, no package added for its facts. It prints what it loaded on stderr.
//
// floor-allsyntax loads with packages.LoadAllSyntax instead; floor-ssa is
// the floor with buildssa required too (the no-op then requires inspect
// and buildssa, as pkcevet's shared analyzer does): it is not a floor, it
// separates what SSA construction costs from what pkcevet's own analysis
// costs.
func floorMain(mode string, args []string) int {
	fs := flag.NewFlagSet("floor", flag.ContinueOnError)
	tests := fs.Bool("test", false, "also load _test.go files")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to `file`")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			return 2
		}
		defer stop()
	}
	noop := &analysis.Analyzer{
		Name:     "noop",
		Doc:      "noop requires inspect and does nothing: the floor of any analyzer",
		Requires: []*analysis.Analyzer{inspect.Analyzer},
		Run:      func(*analysis.Pass) (any, error) { return nil, nil },
	}
	if mode == "floor-ssa" {
		noop.Requires = append(noop.Requires, buildssa.Analyzer)
	}
	st, err := driver.Check(context.Background(), "", fs.Args(), *tests, []*analysis.Analyzer{noop}, mode == "floor-allsyntax")
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		return 2
	}
	fmt.Fprintf(os.Stderr, "floor: %d packages type-checked from source, %d files, %d with errors\n", st.Packages, st.Files, st.Broken)
	return 0
}

func run(ctx context.Context, o *options, out io.Writer) error {
	var err error
	if o.self, err = os.Executable(); err != nil {
		return err
	}
	for _, p := range []*string{&o.work, &o.pkcevet, &o.baseline, &o.toolsDir, &o.cacheDir, &o.largeDir} {
		if *p == "" {
			continue
		}
		if *p, err = filepath.Abs(*p); err != nil {
			return err
		}
	}
	want, err := selectTargets(o.targets)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.cacheDir, 0o755); err != nil {
		return err
	}
	started := time.Now()
	header(out, o)

	var g goals
	var targets []*target
	if want["eval"] || want["vet"] {
		if targets, err = prepareTargets(ctx, o, out); err != nil {
			return err
		}
		g.modules = len(targets)
	}
	res := make(map[string][]runSample)
	if want["eval"] {
		tools := selectTools(allTools(o), o.only)
		if o.baseline == "" {
			tools = slices.DeleteFunc(tools, func(t *tool) bool { return t.key == "baseline" })
		}
		if len(tools) == 0 {
			return fmt.Errorf("-only %q selects no tool", o.only)
		}
		if err := installTools(ctx, o, tools, out); err != nil {
			return err
		}
		fmt.Fprintf(out, "\nwarm-up round (untimed; checks each tool scans the modules):\n")
		if err := warmUp(ctx, o, tools, targets, out); err != nil {
			return err
		}
		fmt.Fprintf(out, "\ntimed rounds: %d, tools alternating round-robin\n", o.rounds)
		if res, err = rounds(ctx, o, tools, targets, out); err != nil {
			return err
		}
		fmt.Fprintf(out, "\nTable 1 — one run = the tool over all %d target modules with -test, warm module/build caches, no result caches\n\n", len(targets))
		printTable1(out, tools, targets, res)
		g.eval = res
	}
	if want["vet"] {
		fmt.Fprintf(out, "\nTable 2 — the everyday case: the same run repeated with nothing changed (%d rounds)\n\n", o.everydayRounds)
		if g.vettool, err = everyday(ctx, o, targets, res, out); err != nil {
			return err
		}
	}
	if want["std"] {
		fmt.Fprintf(out, "\nTable 3 — the standard library: \"std\", one invocation, no _test.go files (%d rounds, alternating)\n\n", o.rounds)
		if g.std, err = stdTarget(ctx, o, out); err != nil {
			return err
		}
	}
	if o.monorepoRounds > 0 {
		fmt.Fprintf(out, "\nTable 4 — a large monorepo where few packages touch OAuth: %s, one invocation, no _test.go files (%d rounds)\n\n", monorepoArgs(), o.monorepoRounds)
		if err := monorepo(ctx, o, out); err != nil {
			return err
		}
	}
	if want["large"] {
		fmt.Fprintf(out, "\nTable 5 — a large module where few packages touch OAuth: %s@%s, ./..., no _test.go files for pkcevet\n\n", largeModule, largeVersion)
		if g.large, g.largeCold, err = largeTarget(ctx, o, out); err != nil {
			return err
		}
	}
	if want["eval"] && !o.noProfile {
		fmt.Fprintf(out, "\nProfiles of pkcevet on the %d modules (merged over the invocations)\n", len(targets))
		if err := profile(ctx, o, targets, out); err != nil {
			return err
		}
	}
	printGoals(out, &g, o.baseline != "")
	fmt.Fprintf(out, "\nload average at the end: %s\nbench took %s\n", loadavg(), time.Since(started).Round(time.Second))
	return nil
}

// header describes the machine: the numbers mean little without it.
func header(out io.Writer, o *options) {
	fmt.Fprintf(out, "pkcevet bench — %s\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(out, "machine: %s, nproc %d (GOMAXPROCS %d), %s RAM, %s/%s, %s\n",
		cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), memTotal(), runtime.GOOS, runtime.GOARCH, goVersion())
	fmt.Fprintf(out, "pkcevet: %s\n", revision())
	fmt.Fprintf(out, "note: the machine is shared with other jobs; load average at the start: %s\n", loadavg())
	fmt.Fprintf(out, "      wall times include waiting for the CPU, so CPU time (user+sys) is printed too\n")
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func memTotal() string {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	return "?"
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// revision is the commit bin/pkcevet was built from, as git describes it.
func revision() string {
	out, err := runOutput(context.Background(), "", "git", "describe", "--always", "--dirty")
	if err != nil {
		return "unknown revision"
	}
	return "commit " + strings.TrimSpace(out)
}

func goVersion() string {
	out, err := runOutput(context.Background(), "", "go", "env", "GOVERSION")
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(out)
}
