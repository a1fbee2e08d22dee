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
	t := &target{dir: dir}
	floor = func() *exec.Cmd {
		return command(t, nil, o.self, append([]string{"floor"}, monorepoPatterns...)...)
	}
	pkcevet = func() *exec.Cmd {
		return command(t, nil, o.pkcevet, append([]string{"-no-fail"}, monorepoPatterns...)...)
	}
	return floor, pkcevet
}

// monorepo measures the floor and pkcevet on the monorepo shape, o.monorepoRounds
// times each after an untimed warm-up, alternating, and prints Table 3.
func monorepo(ctx context.Context, o *options, out io.Writer) error {
	mv := ""
	for _, m := range modules {
		if strings.HasPrefix(m, monorepoModule+"@") {
			mv = m
		}
	}
	if mv == "" {
		return fmt.Errorf("the monorepo shape needs %s, which is not among the target modules", monorepoModule)
	}
	mod, version, _ := strings.Cut(mv, "@")
	dir := filepath.Join(o.work, scratchName(mv))
	if err := ensureScratch(ctx, dir, mod, version); err != nil {
		return err
	}
	floor, pkcevet := monorepoCommands(o, dir)
	type row struct {
		name string
		cmd  func() *exec.Cmd
		ok   func(int) bool
		runs []runSample
	}
	rows := []*row{
		{name: "(a) floor", cmd: floor, ok: func(code int) bool { return code == 0 }},
		// A few std packages need cgo or a build tag: exit 2 is allowed.
		{name: "(b) pkcevet", cmd: pkcevet, ok: exit012},
	}
	for r := -1; r < o.monorepoRounds; r++ {
		for _, rw := range rows {
			cmd := rw.cmd()
			s, err := measure(cmd)
			if err != nil {
				return err
			}
			if !rw.ok(s.code) {
				return fmt.Errorf("%s: exit status %d\n%s", strings.Join(cmd.Args, " "), s.code, s.stderr)
			}
			if r < 0 { // warm-up: say what was loaded
				if m := floorStats.FindStringSubmatch(s.stderr); m != nil {
					fmt.Fprintf(out, "  warm-up: the floor type-checked %s packages from source (%s files), %s with errors\n", m[1], m[2], m[3])
				} else if s.code != 0 {
					fmt.Fprintf(out, "  warm-up: %s exit %d (%d stderr lines)\n", rw.name, s.code, countLines(s.stderr))
				}
				continue
			}
			var rs runSample
			rs.add(s)
			rw.runs = append(rw.runs, rs)
		}
	}
	if o.monorepoRounds == 0 {
		return nil
	}
	w := tabwriter.NewWriter(out, 0, 0, 3, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "tool\truns\twall s (median)\twall min–max\tCPU s\tpeak RSS MB\twall/(a)\tRSS/(a)\t")
	base := summarize(rows[0].runs)
	for _, rw := range rows {
		st := summarize(rw.runs)
		fmt.Fprintf(w, "%s\t%d\t%s\t%s–%s\t%s\t%s\t%s\t%s\t\n", rw.name, st.n, seconds(st.wall),
			seconds(st.minWall), seconds(st.maxWall), seconds(st.cpu), mib(st.rssKB),
			ratio(st.wall.Seconds(), base.wall.Seconds()), ratio(float64(st.rssKB), float64(base.rssKB)))
	}
	return w.Flush()
}

// monorepoArgs is the command line of the shape, for the table's title.
func monorepoArgs() string {
	return strconv.Quote(strings.Join(monorepoPatterns, " "))
}
