package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/evaltargets"
)

// The monorepo shape (issue 13): a large repository where few packages
// touch OAuth. A warm run of pkcevet on one with 491 packages peaked at
// 1.53 GB. Its stand-in is the standard library, some 300 packages that
// import nothing OAuth, scanned together with golang.org/x/oauth2 from the
// oauth2 scratch module: what pkcevet costs there over the floor is spent
// on packages where no rule can fire.
const monorepoModule = "golang.org/x/oauth2"

var monorepoPatterns = []string{"std", monorepoModule + "/..."}

// monorepoCommands are the floor's and pkcevet's commands on the monorepo
// shape, in dir. Neither loads _test.go files: a user's default run.
func monorepoCommands(o *options, dir string) (floor, pkcevet func() *exec.Cmd) {
	rows := shapeRows(o, dir, monorepoPatterns)
	return rows[0].cmd, rows[1].cmd
}

// shapeRow is one tool measured on one invocation over a set of patterns.
type shapeRow struct {
	key, name string
	cmd       func() *exec.Cmd
	ok        func(int) bool
	runs      []runSample
}

// shapeRows are the floor, pkcevet and, with -baseline, the baseline
// pkcevet on patterns in dir, without _test.go files.
func shapeRows(o *options, dir string, patterns []string) []*shapeRow {
	t := &target{dir: dir}
	rows := []*shapeRow{
		{key: "floor", name: "(a) floor", ok: func(code int) bool { return code == 0 }, cmd: func() *exec.Cmd {
			return command(t, nil, o.self, append([]string{"floor"}, patterns...)...)
		}},
		// A few std packages need cgo or a build tag: exit 2 is allowed.
		{key: "pkcevet", name: "(b) pkcevet", ok: exit012, cmd: func() *exec.Cmd {
			return command(t, nil, o.pkcevet, append([]string{"-no-fail"}, patterns...)...)
		}},
	}
	if o.baseline != "" {
		rows = append(rows, &shapeRow{key: "baseline", name: "(b0) pkcevet -baseline", ok: exit012, cmd: func() *exec.Cmd {
			return command(t, nil, o.baseline, append([]string{"-no-fail"}, patterns...)...)
		}})
	}
	return rows
}

// oauth2Scratch is the scratch module of the golang.org/x/oauth2 target,
// made if need be: the directory the shapes run in.
func oauth2Scratch(ctx context.Context, o *options) (string, error) {
	for _, m := range evaltargets.All() {
		if m.Path() == monorepoModule {
			dir := filepath.Join(o.work, m.ScratchName())
			return dir, ensureScratch(ctx, dir, m)
		}
	}
	return "", fmt.Errorf("the shapes need %s, which is not among the target modules", monorepoModule)
}

// measureShape measures the rows rounds times each after an untimed
// warm-up, alternating (round r starts with the row after the one round
// r-1 started with), and prints their table. It returns the runs by key.
func measureShape(rows []*shapeRow, rounds int, out io.Writer) (map[string][]runSample, error) {
	_, err := measureRounds(rows, rounds, func(rw *shapeRow, s sample) { // say what was loaded
		if m := floorStats.FindStringSubmatch(s.stderr); m != nil {
			fmt.Fprintf(out, "  warm-up: the floor type-checked %s packages from source (%s files), %s with errors\n", m[1], m[2], m[3])
		} else if s.code != 0 {
			fmt.Fprintf(out, "  warm-up: %s exit %d (%d stderr lines)\n", rw.name, s.code, countLines(s.stderr))
		}
	}, out)
	if err != nil {
		return nil, err
	}
	res := make(map[string][]runSample)
	if rounds == 0 {
		return res, nil
	}
	fmt.Fprintln(out)
	w := tabwriter.NewWriter(out, 0, 0, 3, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "tool\truns\twall s (median)\twall min–max\tCPU s\tpeak RSS MB\twall/(a)\tCPU/(a)\tRSS/(a)\t")
	base := summarize(rows[0].runs)
	for _, rw := range rows {
		res[rw.key] = rw.runs
		st := summarize(rw.runs)
		fmt.Fprintf(w, "%s\t%d\t%s\t%s–%s\t%s\t%s\t%s\t%s\t%s\t\n", rw.name, st.n, seconds(st.wall),
			seconds(st.minWall), seconds(st.maxWall), seconds(st.cpu), mib(st.rssKB),
			ratio(st.wall.Seconds(), base.wall.Seconds()), ratio(st.cpu.Seconds(), base.cpu.Seconds()),
			ratio(float64(st.rssKB), float64(base.rssKB)))
	}
	return res, w.Flush()
}

// monorepo measures the floor and pkcevet on the monorepo shape,
// o.monorepoRounds times each, and prints Table 3.
func monorepo(ctx context.Context, o *options, out io.Writer) error {
	dir, err := oauth2Scratch(ctx, o)
	if err != nil {
		return err
	}
	_, err = measureShape(shapeRows(o, dir, monorepoPatterns), o.monorepoRounds, out)
	return err
}

// stdTarget measures the floor and pkcevet on the standard library alone
// (no _test.go files), o.rounds times each, prints its table and returns
// the runs by key.
func stdTarget(ctx context.Context, o *options, out io.Writer) (map[string][]runSample, error) {
	dir, err := oauth2Scratch(ctx, o)
	if err != nil {
		return nil, err
	}
	return measureShape(shapeRows(o, dir, []string{"std"}), o.rounds, out)
}

// monorepoArgs is the command line of the shape, for the table's title.
func monorepoArgs() string {
	return strconv.Quote(strings.Join(monorepoPatterns, " "))
}
