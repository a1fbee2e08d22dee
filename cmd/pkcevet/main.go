// Command pkcevet audits Go code for OAuth 2 PKCE mistakes.
//
// Usage:
//
//	pkcevet [flags] [packages]          # packages default to ./...
//
// It prints one line per finding (or a JSON or SARIF report) and exits 0
// when there is none, 1 when there are findings and 2 when the scan is
// incomplete: bad flags, a package that does not load or type-check, an
// analyzer failure. It also runs as a go vet tool:
//
//	go vet -vettool=$(command -v pkcevet) ./...
//
// Run pkcevet -help for the flags and pkcevet -explain PKCE00N for a rule.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/driver"
	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/report"
	"github.com/pkcevet/pkcevet/rules"
)

// Exit statuses.
const (
	exitClean    = 0 // no findings
	exitFindings = 1 // unsuppressed findings
	exitFailure  = 2 // the scan is incomplete or unusable
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "help" {
		// go vet's advice on a flag it does not know is "Run
		// 'pkcevet help' for a full list of flags and analyzers".
		os.Exit(help(os.Args[2:], os.Stdout, os.Stderr))
	}
	if vetMode(os.Args[1:]) {
		if cfg := os.Args[len(os.Args)-1]; strings.HasSuffix(cfg, ".cfg") {
			if status, handled := vetNewerGo(cfg, os.Stderr); handled {
				os.Exit(status)
			}
		}
		// unitchecker parses the command line with the flag package's
		// global set and exits itself.
		as := driver.Guard(analyzers(), false)
		driver.AddTestsFlag(flag.CommandLine, as)
		unitchecker.Main(as...)
		return
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// vetMode reports whether go vet is running pkcevet: to ask for its
// version (-V=full) or its flags (-flags), or to analyse one package
// described by a .cfg file (after the analyzer flags the user gave go vet).
func vetMode(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "-V", "-V=full", "--V=full", "-flags", "--flags":
		return true
	}
	last := args[len(args)-1]
	if !strings.HasSuffix(last, ".cfg") {
		return false
	}
	for _, a := range args[:len(args)-1] {
		if !strings.HasPrefix(a, "-") {
			return false
		}
	}
	return true
}

// options are the standalone command line.
type options struct {
	format     string
	output     string
	baseline   string
	tests      bool
	noFail     bool
	fix        bool
	diff       bool
	explain    string
	version    bool
	debug      bool
	verbose    bool
	all        bool // -all: type-check every package (driver.Config.All)
	cpuProfile string
	memProfile string
	enabled    []*analysis.Analyzer
	patterns   []string

	analyzers []*analysis.Analyzer // every analyzer, each with an enable flag
	enable    map[string]*bool     // analyzer name -> its enable flag
}

// parseFlags parses the standalone command line with a private FlagSet.
// Besides pkcevet's own flags it has, as go vet does, a bool flag per
// analyzer (-weakverifier=false turns it off; -weakverifier alone runs only
// the analyzers so named) and each analyzer's own flags as -name.flag.
//
// A bad flag or value is one line on stderr and the advice to run
// pkcevet -h, as the go command does; -h prints the usage.
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs, o := newFlagSet()
	// The flag package prints the error and the whole usage on every
	// mistake: print them here instead.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stderr, fs)
		return nil, err
	}
	if err != nil {
		return nil, usageError(stderr, err)
	}
	switch o.format {
	case "text", "json", "sarif", "github":
	default:
		return nil, usageError(stderr, fmt.Errorf("-format %q: want text, json, sarif or github", o.format))
	}
	o.enabled = o.selected(fs)
	o.patterns = fs.Args()
	return o, nil
}

// usageError prints a command-line mistake, as the go command does,
//
//	pkcevet: flag provided but not defined: -bogus
//	run 'pkcevet -h' for usage
//
// and returns it.
func usageError(stderr io.Writer, err error) error {
	fmt.Fprintf(stderr, "pkcevet: %v\nrun 'pkcevet -h' for usage\n", err)
	return err
}

// help is pkcevet help [rule]: the usage on stdout, or a rule's
// documentation as -explain prints it.
func help(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		fs, _ := newFlagSet()
		printUsage(stdout, fs)
		return exitClean
	case 1:
		return explain(args[0], stdout, stderr)
	}
	usageError(stderr, errors.New("help takes one rule at most"))
	return exitFailure
}

// printUsage writes the usage and the flags of fs to w.
func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `pkcevet audits Go code for OAuth 2 PKCE mistakes.

Usage:
	pkcevet [flags] [packages]    # packages default to ./...
	go vet -vettool=$(command -v pkcevet) [packages]
	pkcevet help [rule]           # this text, or a rule's documentation

Exit status: 0 no findings, 1 findings, 2 the scan is incomplete.

Environment:
	PKCEVET_CACHE    directory of the result cache, which replays the report of a run
	                 whose inputs are unchanged (default: pkcevet in the user cache
	                 directory); off turns it off

Flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// newFlagSet returns the standalone command's flags, bound to the options
// it returns: pkcevet's own, and for each analyzer its enable flag and its
// own flags.
func newFlagSet() (*flag.FlagSet, *options) {
	o := &options{enable: make(map[string]*bool)}
	fs := flag.NewFlagSet("pkcevet", flag.ContinueOnError)
	fs.StringVar(&o.format, "format", "text", "report `format`: text, json, sarif or github (GitHub Actions annotations)")
	fs.StringVar(&o.output, "o", "", "write the report to `file` (default stdout)")
	fs.StringVar(&o.baseline, "baseline", "", "report and fail on only the findings that are not in `file`, an earlier pkcevet SARIF log or JSON report")
	fs.BoolVar(&o.tests, "test", false, "also analyze _test.go files")
	fs.BoolVar(&o.noFail, "no-fail", false, "exit 0 even when there are findings")
	fs.BoolVar(&o.fix, "fix", false, "apply the suggested fixes in place, then report the findings left")
	fs.BoolVar(&o.diff, "diff", false, "print the suggested fixes as a unified diff instead of the report; change nothing")
	fs.StringVar(&o.explain, "explain", "", "print the documentation of `rule` (PKCE00N, analyzer or rule name) and exit")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.BoolVar(&o.all, "all", false, "type-check every package, not only those with a mark of OAuth or PKCE code and what they import (the findings are the same; -all also reports the type errors of the others, and uses no result cache)")
	fs.BoolVar(&o.verbose, "v", false, "print progress on stderr, one line per step (when stderr is a terminal, progress is shown on one line anyway)")
	fs.BoolVar(&o.debug, "debug", false, "add the stack to the error of an analyzer that panics, or of an internal error")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile to `file`")
	fs.StringVar(&o.memProfile, "memprofile", "", "write a heap profile to `file`")

	o.analyzers = analyzers()
	for _, a := range o.analyzers {
		rule := rules.MustGet(a.Name)
		o.enable[a.Name] = fs.Bool(a.Name, true, fmt.Sprintf("enable %s (%s: %s)", a.Name, rule.ID, rule.Title))
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	return fs, o
}

// selected returns the analyzers to run after fs parsed the command line.
// As in go vet: naming analyzers (-x or -x=true) runs only those, else
// -x=false turns x off.
func (o *options) selected(fs *flag.FlagSet) []*analysis.Analyzer {
	only := false
	fs.Visit(func(f *flag.Flag) {
		if p, ok := o.enable[f.Name]; ok && *p {
			only = true
		}
	})
	set := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var enabled []*analysis.Analyzer
	for _, a := range o.analyzers {
		if *o.enable[a.Name] && (!only || set[a.Name]) {
			enabled = append(enabled, a)
		}
	}
	return enabled
}

// run is the standalone command: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) (status int) {
	debugging := false
	defer func() {
		// A bug outside the analyzers (whose panics the driver turns
		// into failures): one line, not a goroutine dump, and status 2.
		if v := recover(); v != nil {
			msg := strings.Join(strings.Fields(fmt.Sprint(v)), " ")
			if debugging {
				fmt.Fprintf(stderr, "pkcevet: internal error: %s\n%s", msg, debug.Stack())
			} else {
				fmt.Fprintf(stderr, "pkcevet: internal error: %s (please report it, with the stack that -debug adds)\n", msg)
			}
			status = exitFailure
		}
	}()
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		return exitFailure
	}
	debugging = o.debug
	switch {
	case o.version:
		fmt.Fprintf(stdout, "pkcevet %s\n", version())
		return exitClean
	case o.explain != "":
		return explain(o.explain, stdout, stderr)
	}

	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "pkcevet: %v\n", err)
			return exitFailure
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "pkcevet: %v\n", err)
			return exitFailure
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}

	var baseline *report.Baseline
	if o.baseline != "" {
		// Read before the scan, so that a bad file fails fast.
		baseline, err = report.ReadBaseline(o.baseline)
		if err != nil {
			fmt.Fprintf(stderr, "pkcevet: -baseline: %v\n", err)
			return exitFailure
		}
	}

	var progress *driver.Progress
	switch {
	case o.verbose:
		progress = driver.NewProgress(stderr, false)
	case isTerminal(stderr):
		progress = driver.NewProgress(stderr, true)
	}
	// SIGINT and SIGTERM end the go command too, then pkcevet (130, 143).
	ctx, stopSignals := driver.NotifySignals(context.Background(), progress, stderr, os.Exit)
	r, err := driver.Run(ctx, driver.Config{
		Analyzers: o.enabled,
		Patterns:  o.patterns,
		Tests:     o.tests,
		Stacks:    o.debug,
		Version:   version(),
		Progress:  progress,
		All:       o.all,
		Cache:     cacheDir(),
	})
	if stopSignals() {
		return exitFailure // not reached: NotifySignals exits
	}
	if err != nil {
		// Nothing could be analysed (go list failed: no go.mod, a
		// malformed pattern). Still write a report that says so, for the
		// CI step that uploads it.
		wd, _ := os.Getwd()
		patterns := o.patterns
		if len(patterns) == 0 {
			patterns = []string{"./..."}
		}
		r = &report.Report{Version: version(), Root: wd, WorkDir: wd, Scanned: []string{}, Failures: []report.Failure{{
			Package: strings.Join(patterns, " "),
			Message: err.Error(),
		}}}
	}

	if o.memProfile != "" {
		if err := writeHeapProfile(o.memProfile); err != nil {
			fmt.Fprintf(stderr, "pkcevet: %v\n", err)
			return exitFailure
		}
	}

	if baseline != nil {
		baseline.Apply(r)
		if o.verbose {
			fmt.Fprintf(stderr, "pkcevet: %s\n", r.Baseline.String(r))
		}
	}

	status = exitClean
	for _, f := range r.Failures {
		fmt.Fprintf(stderr, "pkcevet: %s\n", failureLine(r.WorkDir, f))
		status = exitFailure
	}
	if o.fix || o.diff {
		if st := fixOrDiff(r, o, stdout, stderr); st != exitClean {
			return st
		}
	}
	if !o.diff {
		if err := writeReport(r, o.format, o.output, stdout); err != nil {
			fmt.Fprintf(stderr, "pkcevet: %v\n", err)
			return exitFailure
		}
	}
	if status == exitClean && r.Unsuppressed() > 0 && !o.noFail {
		status = exitFindings
	}
	return status
}

// cacheDir is the directory of the result cache (driver.Config.Cache):
// $PKCEVET_CACHE, else pkcevet in the user's cache directory, as the go
// command's GOCACHE and staticcheck's STATICCHECK_CACHE default to theirs.
// PKCEVET_CACHE=off, or no user cache directory (no $HOME), turns it off.
func cacheDir() string {
	switch dir := os.Getenv("PKCEVET_CACHE"); dir {
	case "off":
		return ""
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		return filepath.Join(base, "pkcevet")
	default:
		abs, err := filepath.Abs(dir)
		if err != nil {
			return ""
		}
		return abs
	}
}

// explain prints the documentation of a rule (ID, analyzer or rule name).
func explain(key string, stdout, stderr io.Writer) int {
	rule, ok := rules.Get(key)
	if !ok {
		var ids []string
		for _, r := range rules.All() {
			ids = append(ids, r.ID)
		}
		fmt.Fprintf(stderr, "pkcevet: -explain: no rule %q; the rules are %s\n", key, strings.Join(ids, ", "))
		return exitFailure
	}
	fmt.Fprint(stdout, rule.Markdown())
	return exitClean
}

// fixOrDiff applies the fixes of r's findings (-fix), removing the findings
// fixed from r, or writes them as a diff (-diff). It returns exitFailure
// when files cannot be read or written, exitClean otherwise.
func fixOrDiff(r *report.Report, o *options, stdout, stderr io.Writer) int {
	x, err := applyFixes(r)
	if err != nil {
		fmt.Fprintf(stderr, "pkcevet: %v\n", err)
		return exitFailure
	}
	if x.skipped > 0 {
		fmt.Fprintf(stderr, "pkcevet: %d fixes overlap others and were left out; run again to apply them\n", x.skipped)
	}
	if o.diff {
		w := stdout
		if o.output != "" {
			f, err := os.Create(o.output)
			if err != nil {
				fmt.Fprintf(stderr, "pkcevet: %v\n", err)
				return exitFailure
			}
			defer f.Close()
			w = f
		}
		if err := x.diff(w, r.WorkDir); err != nil {
			fmt.Fprintf(stderr, "pkcevet: %v\n", err)
			return exitFailure
		}
		return exitClean
	}
	if err := x.write(); err != nil {
		fmt.Fprintf(stderr, "pkcevet: %v\n", err)
		return exitFailure
	}
	if len(x.applied) > 0 {
		fmt.Fprintf(stderr, "pkcevet: applied %d fixes in %d files\n", len(x.applied), len(x.files))
	}
	for _, i := range slices.Backward(x.applied) {
		r.Findings = slices.Delete(r.Findings, i, i+1)
	}
	return exitClean
}

// writeReport writes r in the format to the file, or to stdout.
func writeReport(r *report.Report, format, file string, stdout io.Writer) error {
	write := report.WriteText
	switch format {
	case "json":
		write = report.WriteJSON
	case "sarif":
		write = report.WriteSARIF
	case "github":
		// Paths relative to the repository root, where GitHub looks
		// for the files of annotations.
		write = report.GitHubWriter(os.Getenv("GITHUB_WORKSPACE"))
	}
	if file == "" {
		return write(stdout, r)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := write(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeHeapProfile(file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	runtime.GC() // up-to-date statistics
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// version is pkcevet's version as -version, JSON and SARIF all say it
// (report.Version): "1.2.3" for go install …@v1.2.3, 0.0.0-dev for a
// build the go command did not stamp.
func version() string {
	var stamped string
	if bi, ok := debug.ReadBuildInfo(); ok {
		stamped = bi.Main.Version
	}
	return report.Version(stamped)
}

// isTerminal reports whether w is a terminal, where progress may be shown
// on a line that is rewritten in place. It is the character-device test,
// without a dependency on golang.org/x/term: a pipe or a file (a CI log) is
// not one; /dev/null is, which is harmless.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// failureLine is a failure as stderr shows it:
//
//	example.com/app/broken: broken/b.go:3:9: undefined: x
func failureLine(workDir string, f report.Failure) string {
	var b strings.Builder
	if f.Package != "" {
		b.WriteString(f.Package + ": ")
	}
	if p := f.Pos; p != nil {
		file := p.File
		if rel, err := filepath.Rel(workDir, file); err == nil && filepath.IsLocal(rel) {
			file = rel
		}
		fmt.Fprintf(&b, "%s:%d:", file, p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, "%d:", p.Column)
		}
		b.WriteString(" ")
	}
	b.WriteString(f.Message)
	return b.String()
}
