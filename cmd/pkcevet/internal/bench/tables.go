package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
)

// printTable1 prints the medians of each tool and their ratios to the
// floor; printGoals says how pkcevet stands against the goals.
func printTable1(out io.Writer, tools []*tool, targets []*target, res map[string][]runSample) {
	floor, haveFloor := res["floor"]
	var fs stats
	if haveFloor {
		fs = summarize(floor)
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "tool\t runs\t wall s (median)\t wall min–max\t CPU s\t peak RSS MB\t wall/(a)\t CPU/(a)\t RSS/(a)\t")
	for _, tl := range tools {
		st := summarize(res[tl.key])
		fmt.Fprintf(w, "%s\t %d\t %s\t %s–%s\t %s\t %s\t %s\t %s\t %s\t\n", tl.name, st.n,
			seconds(st.wall), seconds(st.minWall), seconds(st.maxWall), seconds(st.cpu), mib(st.rssKB),
			ratio(st.wall.Seconds(), fs.wall.Seconds()), ratio(st.cpu.Seconds(), fs.cpu.Seconds()),
			ratio(float64(st.rssKB), float64(fs.rssKB)))
	}
	w.Flush()

	// Per module, the median wall time: where the time goes.
	if len(tools) > 0 && len(res[tools[0].key]) > 0 {
		fmt.Fprintln(out, "\nmedian wall s per module:")
		w = tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(w, "tool\t")
		for _, t := range targets {
			fmt.Fprintf(w, " %s\t", shortMod(t.mod))
		}
		fmt.Fprintln(w)
		for _, tl := range tools {
			st := summarize(res[tl.key])
			fmt.Fprintf(w, "%s\t", tl.name)
			for _, d := range st.perModule {
				fmt.Fprintf(w, " %s\t", seconds(d))
			}
			fmt.Fprintln(w)
		}
		w.Flush()
	}

}

// everyday measures the repeat run of the tools that cache results — go
// vet (its own analyzers, and pkcevet as its vet tool) and staticcheck —
// and of pkcevet, which has no cache; the floor and gosec have none either
// and are shown with their table 1 numbers.
func everyday(ctx context.Context, o *options, targets []*target, res map[string][]runSample, out io.Writer) (vettool [2][]runSample, err error) {
	has := func(k string) bool { _, ok := res[k]; return ok }
	scCache := filepath.Join(o.cacheDir, "staticcheck-warm")
	measureAll := func(mk func(t *target) *exec.Cmd, ok func(int) bool) (runSample, error) {
		var rs runSample
		for _, t := range targets {
			cmd := mk(t)
			s, err := measure(cmd)
			if err != nil {
				return rs, err
			}
			if !ok(s.code) {
				return rs, fmt.Errorf("%s: exit status %d\n%s", strings.Join(cmd.Args, " "), s.code, s.stderr)
			}
			rs.add(s)
		}
		return rs, nil
	}
	args := func(t *target, args ...string) []string { return append(args, t.patterns...) }
	vet := func(t *target) *exec.Cmd { return command(t, nil, "go", args(t, "vet")...) }
	sc := func(t *target) *exec.Cmd {
		return command(t, []string{"STATICCHECK_CACHE=" + scCache}, o.staticcheck, args(t, "-tests")...)
	}
	pkcevet := func(t *target) *exec.Cmd { return command(t, nil, o.pkcevet, args(t, "-test", "-no-fail")...) }

	// Fill the caches the repeat runs read.
	if has("vet") {
		if _, err := measureAll(vet, exit01); err != nil {
			return vettool, err
		}
	}
	if has("staticcheck") {
		if _, err := measureAll(sc, exit01); err != nil {
			return vettool, err
		}
	}

	var vetFirst, vetRepeat, vettoolFirst, vettoolRepeat, scRepeat, pkRepeat []runSample
	for r := 0; r < o.everydayRounds; r++ {
		fmt.Fprintf(out, "  round %d:", r+1)
		{
			// A copy of pkcevet with random bytes appended: go vet
			// keys its cache by the tool's -V=full, which hashes the
			// executable, so the first run with a copy is uncached.
			tool, err := vettoolCopy(o, r)
			if err != nil {
				return vettool, err
			}
			vt := func(t *target) *exec.Cmd {
				return command(t, nil, "go", args(t, "vet", "-vettool="+tool)...)
			}
			first, err := measureAll(vt, exit01)
			if err != nil {
				return vettool, err
			}
			repeat, err := measureAll(vt, exit01)
			if err != nil {
				return vettool, err
			}
			os.Remove(tool)
			vettoolFirst, vettoolRepeat = append(vettoolFirst, first), append(vettoolRepeat, repeat)
			fmt.Fprintf(out, " vet-vettool first %ss repeat %ss;", seconds(first.wall), seconds(repeat.wall))
		}
		if has("pkcevet") {
			pr, err := measureAll(pkcevet, exit012)
			if err != nil {
				return vettool, err
			}
			pkRepeat = append(pkRepeat, pr)
			fmt.Fprintf(out, " pkcevet %ss;", seconds(pr.wall))
		}
		if has("vet") {
			rs, err := measureAll(vet, exit01)
			if err != nil {
				return vettool, err
			}
			vetRepeat = append(vetRepeat, rs)
			fmt.Fprintf(out, " vet repeat %ss;", seconds(rs.wall))
		}
		if has("staticcheck") {
			rs, err := measureAll(sc, exit01)
			if err != nil {
				return vettool, err
			}
			scRepeat = append(scRepeat, rs)
			fmt.Fprintf(out, " staticcheck repeat %ss;", seconds(rs.wall))
		}
		fmt.Fprintf(out, " (load %s)\n", loadavg())
	}
	vetFirst = res["vet"]

	fs := summarize(res["floor"])
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "tool\t first run: wall s\t repeat: wall s\t CPU s\t peak RSS MB\t wall/(a)\t cache\t")
	line := func(name string, first, repeat []runSample, cache string) {
		f, rp := summarize(first), summarize(repeat)
		fw := "-"
		if len(first) > 0 {
			fw = seconds(f.wall)
		}
		fmt.Fprintf(w, "%s\t %s\t %s\t %s\t %s\t %s\t %s\t\n", name, fw, seconds(rp.wall), seconds(rp.cpu), mib(rp.rssKB),
			ratio(rp.wall.Seconds(), fs.wall.Seconds()), cache)
	}
	if has("floor") {
		line("(a) floor", res["floor"], res["floor"], "none (table 1)")
	}
	if has("pkcevet") {
		line("(b) pkcevet", res["pkcevet"], pkRepeat, "none")
	}
	line("(b′) go vet -vettool=pkcevet", vettoolFirst, vettoolRepeat, "go vet's")
	if has("gosec") {
		line("(c) gosec", res["gosec"], res["gosec"], "none (table 1)")
	}
	if has("vet") {
		line("(d) go vet", vetFirst, vetRepeat, "go vet's")
	}
	if has("staticcheck") {
		line("(e) staticcheck", res["staticcheck"], scRepeat, "STATICCHECK_CACHE")
	}
	w.Flush()
	fmt.Fprintln(out, "first run: (b′) with a pkcevet binary go vet has not seen (vet analyses every dependency, standard library included, for pkcevet's facts); (d), (e) as in table 1")
	return [2][]runSample{vettoolFirst, vettoolRepeat}, nil
}

// vettoolCopy copies pkcevet with 16 random bytes appended (an ELF file
// runs the same with trailing bytes).
func vettoolCopy(o *options, round int) (string, error) {
	data, err := os.ReadFile(o.pkcevet)
	if err != nil {
		return "", err
	}
	name := filepath.Join(o.cacheDir, fmt.Sprintf("pkcevet-vettool-%d", round))
	data = append(data, []byte(randomHex()+randomHex())...)
	if err := os.WriteFile(name, data, 0o755); err != nil {
		return "", err
	}
	return name, nil
}
