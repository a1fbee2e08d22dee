// Command eval measures pkcevet's precision and recall on real OAuth code.
//
// It pins twelve public modules (package evaltargets), downloads each through the Go module proxy
// into a scratch module of its own (so that one module's requirements do
// not upgrade another's dependencies past what it builds with), runs
// pkcevet (with -test) on their packages and
// compares the findings with testdata/eval/labels.tsv, whose rows were
// written by reading the code: file, line, rule, MISTAKE or OK, reason.
//
//	go run ./cmd/pkcevet/internal/eval [-pkcevet bin/pkcevet]
//
// It prints, per rule, true positives (findings on MISTAKE rows), false
// positives (findings on OK rows), false negatives (MISTAKE rows without a
// finding), precision and recall, then every finding that has no label
// and every missed mistake.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/module"

	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/evaltargets"
	"github.com/pkcevet/pkcevet/rules"
)

// target is one pinned module and, optionally, the packages of it to
// evaluate.
type target = evaltargets.Module

func main() {
	pkcevet := flag.String("pkcevet", "bin/pkcevet", "the pkcevet binary to evaluate")
	labelsFile := flag.String("labels", "testdata/eval/labels.tsv", "the label file")
	work := flag.String("work", "testdata/eval/work", "scratch directory for the evaluation module")
	strict := flag.Bool("strict", false, "exit 1 unless precision and recall are 1.0 and every finding is labelled")
	flag.Parse()
	if err := run(*pkcevet, *labelsFile, *work, *strict, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
}

type key struct {
	file string // module@version/path
	line int
	rule string
}

type label struct {
	verdict, reason string
}

func run(pkcevet, labelsFile, work string, strict bool, out io.Writer) error {
	pkcevet, err := filepath.Abs(pkcevet)
	if err != nil {
		return err
	}
	labels, err := readLabels(labelsFile)
	if err != nil {
		return err
	}
	findings := make(map[key]string)
	var failures []string
	for _, t := range evaltargets.All() {
		dir := filepath.Join(work, t.ScratchName())
		if err := prepare(dir, t); err != nil {
			return err
		}
		if err := scan(pkcevet, dir, t, findings, &failures); err != nil {
			return err
		}
	}
	return compare(out, labels, findings, failures, strict)
}

func readLabels(path string) (map[key]label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	labels := make(map[key]label)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if n == 1 || strings.TrimSpace(sc.Text()) == "" {
			continue // header
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 5 {
			return nil, fmt.Errorf("%s:%d: want 5 tab-separated columns, have %d", path, n, len(cols))
		}
		line, err := strconv.Atoi(cols[1])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: line %q: %v", path, n, cols[1], err)
		}
		if cols[3] != "MISTAKE" && cols[3] != "OK" {
			return nil, fmt.Errorf("%s:%d: verdict %q is neither MISTAKE nor OK", path, n, cols[3])
		}
		k := key{cols[0], line, cols[2]}
		if _, dup := labels[k]; dup {
			return nil, fmt.Errorf("%s:%d: duplicate label for %s:%d %s", path, n, k.file, k.line, k.rule)
		}
		labels[k] = label{cols[3], cols[4]}
	}
	return labels, sc.Err()
}

// prepare makes the scratch module for one pinned module and downloads its
// packages with their test dependencies.
func prepare(work string, t target) error {
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	gomod := filepath.Join(work, "go.mod")
	if _, err := os.Stat(gomod); errors.Is(err, os.ErrNotExist) {
		if err := os.WriteFile(gomod, []byte("module pkcevet.eval/scratch\n\ngo 1.26.0\n"), 0o644); err != nil {
			return err
		}
	}
	version := t.Version()
	args := []string{"get", "-t"}
	for _, p := range t.Patterns() {
		args = append(args, p+"@"+version)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = work
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go get: %v", err)
	}
	return nil
}

type finding struct {
	Rule    string `json:"rule"`
	AbsFile string `json:"absFile"`
	Line    int    `json:"line"`
	Message string `json:"message"`
	Related []struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"related"`
}

// redeemedHere is the message of the related location under which PKCE001
// reports a flow's redemption without code_verifier (one finding per flow,
// at the authorization request): a label at that line is found.
const redeemedHere = "the code is redeemed here without code_verifier"

type report struct {
	Findings []finding `json:"findings"`
	Errors   []struct {
		Package string `json:"package"`
		Message string `json:"message"`
	} `json:"errors"`
}

// scan runs pkcevet over the target's packages and adds its findings,
// keyed by module@version/path.
func scan(pkcevet, work string, t target, findings map[key]string, failures *[]string) error {
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return err
	}
	cache := strings.TrimSpace(string(modcache)) + string(filepath.Separator)
	mod := t.Mod
	cmd := exec.Command(pkcevet, append([]string{"-test", "-format", "json", "-no-fail"}, t.Patterns()...)...)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "PKCEVET_CACHE=off") // the eval judges the analyzers: every run analyses
	cmd.Stderr = os.Stderr
	data, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 2) {
		return fmt.Errorf("pkcevet %s: %v", mod, err)
	}
	var rep report
	if err := json.Unmarshal(data, &rep); err != nil {
		return fmt.Errorf("pkcevet %s output: %v", mod, err)
	}
	for _, f := range rep.Findings {
		rel, ok := strings.CutPrefix(f.AbsFile, cache)
		if !ok {
			continue // not in a module of the evaluation
		}
		findings[key{unescape(filepath.ToSlash(rel)), f.Line, f.Rule}] = f.Message
		for _, r := range f.Related {
			if r.Message != redeemedHere {
				continue
			}
			file := r.File
			if !filepath.IsAbs(file) {
				file = filepath.Join(work, file)
			}
			if rel, ok := strings.CutPrefix(file, cache); ok {
				findings[key{unescape(filepath.ToSlash(rel)), r.Line, f.Rule}] = f.Message + " (its redemption)"
			}
		}
	}
	for _, e := range rep.Errors {
		*failures = append(*failures, e.Package+": "+e.Message)
	}
	return nil
}

// unescape turns the module cache's case-escaped path (!x for X) back into
// the module path.
func unescape(p string) string {
	modver, rest, _ := strings.Cut(p, "@")
	if u, err := module.UnescapePath(modver); err == nil {
		modver = u
	}
	return modver + "@" + rest
}

type counts struct{ tp, fp, fn, unlabelled int }

// compare prints the scores twice: over every file, and over library and
// example code alone (no _test.go files), where a test's deliberate
// fixtures do not count.
func compare(out io.Writer, labels map[key]label, findings map[key]string, failures []string, strict bool) error {
	fmt.Fprintln(out, "library and example code (no _test.go files):")
	nonTest := func(k key) bool { return !strings.HasSuffix(k.file, "_test.go") }
	if _, err := score(io.Discard, out, labels, findings, nil, nonTest); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nall files, tests included:")
	total, err := score(out, out, labels, findings, failures, func(key) bool { return true })
	if err != nil {
		return err
	}
	if strict && (total.fp > 0 || total.fn > 0 || total.unlabelled > 0) {
		return fmt.Errorf("precision or recall below 1.0, or unlabelled findings")
	}
	return nil
}

// score prints the table of the findings and labels that keep selects to
// table, and the lists behind it to lists.
func score(lists, table io.Writer, labels map[key]label, findings map[key]string, failures []string, keep func(key) bool) (counts, error) {
	var ids []string // every rule's, so a new rule is scored without an edit here
	for _, r := range rules.All() {
		ids = append(ids, r.ID)
	}
	per := make(map[string]*counts)
	for _, r := range ids {
		per[r] = &counts{}
	}
	var unlabelled, falsePos, missed []string
	for k, msg := range findings {
		c := per[k.rule]
		if c == nil || !keep(k) {
			continue
		}
		l, ok := labels[k]
		switch {
		case !ok:
			c.unlabelled++
			unlabelled = append(unlabelled, fmt.Sprintf("%s:%d %s %s", k.file, k.line, k.rule, msg))
		case l.verdict == "MISTAKE":
			c.tp++
		default:
			c.fp++
			falsePos = append(falsePos, fmt.Sprintf("%s:%d %s (labelled OK: %s) %s", k.file, k.line, k.rule, l.reason, msg))
		}
	}
	for k, l := range labels {
		if l.verdict != "MISTAKE" || !keep(k) {
			continue
		}
		if _, ok := findings[k]; !ok {
			if c := per[k.rule]; c != nil {
				c.fn++
			}
			missed = append(missed, fmt.Sprintf("%s:%d %s %s", k.file, k.line, k.rule, l.reason))
		}
	}
	fmt.Fprintf(table, "%-8s %5s %5s %5s %10s %10s %10s\n", "rule", "TP", "FP", "FN", "precision", "recall", "unlabelled")
	var total counts
	for _, r := range ids {
		c := per[r]
		printRow(table, r, *c)
		total.tp += c.tp
		total.fp += c.fp
		total.fn += c.fn
		total.unlabelled += c.unlabelled
	}
	printRow(table, "all", total)
	for _, section := range []struct {
		title string
		rows  []string
	}{{"false positives", falsePos}, {"unlabelled findings", unlabelled}, {"missed mistakes (false negatives)", missed}, {"packages that failed to load", failures}} {
		if len(section.rows) == 0 {
			continue
		}
		sort.Strings(section.rows)
		fmt.Fprintf(lists, "\n%s (%d):\n", section.title, len(section.rows))
		for _, r := range section.rows {
			fmt.Fprintln(lists, "  "+r)
		}
	}
	return total, nil
}

func printRow(out io.Writer, name string, c counts) {
	ratio := func(a, b int) string {
		if b == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f", float64(a)/float64(b))
	}
	fmt.Fprintf(out, "%-8s %5d %5d %5d %10s %10s %10d\n", name, c.tp, c.fp, c.fn, ratio(c.tp, c.tp+c.fp), ratio(c.tp, c.tp+c.fn), c.unlabelled)
}
