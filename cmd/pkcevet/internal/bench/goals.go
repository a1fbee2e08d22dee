package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// The goals of issue 12.
const (
	maxFloorRatio = 1.3 // pkcevet ÷ floor, CPU time and peak RSS, on every target
	minGosecRatio = 10  // gosec ÷ pkcevet, CPU time, on the eval modules
)

// targetNames are the targets -targets may name, in the order they run.
const targetNames = "eval,vet,std,large"

// selectTargets parses -targets.
func selectTargets(list string) (map[string]bool, error) {
	want := make(map[string]bool)
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !slices.Contains(strings.Split(targetNames, ","), name) {
			return nil, fmt.Errorf("-targets: unknown target %q (want some of %s)", name, targetNames)
		}
		want[name] = true
	}
	if len(want) == 0 {
		return nil, fmt.Errorf("-targets %q selects no target", list)
	}
	return want, nil
}

// goals holds what the targets measured, for printGoals.
type goals struct {
	modules int                    // eval modules
	eval    map[string][]runSample // by tool key; nil if not measured
	std     map[string][]runSample // by tool key; nil if not measured
	vettool [2][]runSample         // go vet -vettool=pkcevet: first runs, repeat runs
	// large and largeCold are the large target's warm and first
	// (empty GOCACHE) runs, by key (vet, pkcevet, all); nil if not
	// measured.
	large, largeCold map[string][]runSample
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// printGoals prints, per target, the medians of pkcevet and the floor and
// their ratios, then "met" or "NOT met" for each goal. A goal is judged on
// the targets that were measured; one that none of them measures is said
// to be unmeasured, not met.
func printGoals(out io.Writer, g *goals, baseline bool) {
	type row struct {
		name string
		res  map[string][]runSample
	}
	var rows []row
	if g.eval != nil {
		rows = append(rows, row{fmt.Sprintf("eval modules, -test (%d)", g.modules), g.eval})
	}
	if g.std != nil {
		rows = append(rows, row{"std", g.std})
	}
	fmt.Fprintf(out, "\nGoals (issue 12) — medians of alternating rounds; CPU = user+sys including child processes; RSS = peak of the largest process\n\n")
	// Only the targets where both the floor and pkcevet ran.
	rows = slices.DeleteFunc(rows, func(r row) bool { return len(r.res["floor"]) == 0 || len(r.res["pkcevet"]) == 0 })
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := "target\t runs\t floor CPU s\t pkcevet CPU s\t CPU ÷ floor\t floor RSS MB\t pkcevet RSS MB\t RSS ÷ floor\t"
	if baseline {
		header += " baseline CPU s\t CPU ÷ floor\t baseline RSS MB\t RSS ÷ floor\t pkcevet ÷ baseline CPU\t"
	}
	if len(rows) > 0 {
		fmt.Fprintln(w, header)
	}
	var cpuRatios, rssRatios []string
	cpuOK, rssOK, measured := true, true, false
	for _, r := range rows {
		fl, pk := r.res["floor"], r.res["pkcevet"]
		measured = true
		fs, ps := summarize(fl), summarize(pk)
		cr, rr := ps.cpu.Seconds()/fs.cpu.Seconds(), float64(ps.rssKB)/float64(fs.rssKB)
		cpuOK, rssOK = cpuOK && cr <= maxFloorRatio, rssOK && rr <= maxFloorRatio
		cpuRatios = append(cpuRatios, fmt.Sprintf("%s %.2f×", r.name, cr))
		rssRatios = append(rssRatios, fmt.Sprintf("%s %.2f×", r.name, rr))
		fmt.Fprintf(w, "%s\t %d\t %s\t %s\t %.2f×\t %s\t %s\t %.2f×\t", r.name, min(fs.n, ps.n),
			seconds(fs.cpu), seconds(ps.cpu), cr, mib(fs.rssKB), mib(ps.rssKB), rr)
		if bl := r.res["baseline"]; baseline && len(bl) > 0 {
			bs := summarize(bl)
			fmt.Fprintf(w, " %s\t %s\t %s\t %s\t %s\t", seconds(bs.cpu), ratio(bs.cpu.Seconds(), fs.cpu.Seconds()),
				mib(bs.rssKB), ratio(float64(bs.rssKB), float64(fs.rssKB)), ratio(ps.cpu.Seconds(), bs.cpu.Seconds()))
		}
		fmt.Fprintln(w)
	}
	w.Flush()
	fmt.Fprintln(out)
	if measured {
		fmt.Fprintf(out, "  pkcevet ≤ %.1f× floor CPU on every target:      %s — %s\n", maxFloorRatio, strings.Join(cpuRatios, ", "), verdict(cpuOK))
		fmt.Fprintf(out, "  pkcevet ≤ %.1f× floor peak RSS on every target: %s — %s\n", maxFloorRatio, strings.Join(rssRatios, ", "), verdict(rssOK))
	} else {
		fmt.Fprintf(out, "  pkcevet ≤ %.1f× floor CPU and peak RSS: not measured (targets eval or std, tools floor and pkcevet)\n", maxFloorRatio)
	}
	if gs, pk := g.eval["gosec"], g.eval["pkcevet"]; len(gs) > 0 && len(pk) > 0 {
		gc, pc := summarize(gs).cpu, summarize(pk).cpu
		r := gc.Seconds() / pc.Seconds()
		fmt.Fprintf(out, "  pkcevet ≥ %d× faster than gosec (CPU, eval modules): gosec %ss ÷ pkcevet %ss = %.2f× — %s\n",
			minGosecRatio, seconds(gc), seconds(pc), r, verdict(r >= minGosecRatio))
	} else {
		fmt.Fprintf(out, "  pkcevet ≥ %d× faster than gosec (CPU): not measured (target eval, tools gosec and pkcevet)\n", minGosecRatio)
	}
	if first, repeat := g.vettool[0], g.vettool[1]; len(first) > 0 && len(repeat) > 0 {
		fs, rs := summarize(first), summarize(repeat)
		fmt.Fprintf(out, "  go vet -vettool=pkcevet, repeat run ÷ first run (nothing changed, %d rounds): CPU %ss ÷ %ss = %.2f×, wall %ss ÷ %ss = %.2f×\n",
			len(repeat), seconds(rs.cpu), seconds(fs.cpu), rs.cpu.Seconds()/fs.cpu.Seconds(),
			seconds(rs.wall), seconds(fs.wall), rs.wall.Seconds()/fs.wall.Seconds())
	}
	printGoals21(out, g)
}

// The goals of issue 21.
const (
	maxEvalFloorRatio = 1.1 // pkcevet ÷ floor, CPU time and peak RSS, on the eval modules
	minGosecRatio21   = 15  // gosec ÷ pkcevet, CPU time, on the eval modules
	maxLargeWarmRatio = 1.0 // pkcevet ÷ cached go vet on the large module: wall time, and peak RSS
	maxLargeColdRatio = 0.5 // pkcevet ÷ go vet on the large module, both with an empty GOCACHE: wall time
)

// printGoals21 prints "met" or "NOT met" for the goals of issue 21 that
// were measured.
func printGoals21(out io.Writer, g *goals) {
	fmt.Fprintf(out, "\nGoals (issue 21) — medians; the large module is %s@%s, ./...\n\n", largeModule, largeVersion)
	line := func(what string, x, y float64, unit string, limit float64, atMost bool) {
		r := x / y
		ok := r <= limit
		if !atMost {
			ok = r >= limit
		}
		fmt.Fprintf(out, "  %s: %.1f%s ÷ %.1f%s = %.2f× — %s\n", what, x, unit, y, unit, r, verdict(ok))
	}
	fl, pk := g.eval["floor"], g.eval["pkcevet"]
	if len(fl) > 0 && len(pk) > 0 {
		fs, ps := summarize(fl), summarize(pk)
		line(fmt.Sprintf("eval: pkcevet ≤ %.1f× floor CPU", maxEvalFloorRatio), ps.cpu.Seconds(), fs.cpu.Seconds(), "s", maxEvalFloorRatio, true)
		line(fmt.Sprintf("eval: pkcevet ≤ %.1f× floor peak RSS", maxEvalFloorRatio), float64(ps.rssKB)/1024, float64(fs.rssKB)/1024, " MB", maxEvalFloorRatio, true)
	} else {
		fmt.Fprintf(out, "  eval: pkcevet ≤ %.1f× floor: not measured (target eval, tools floor and pkcevet)\n", maxEvalFloorRatio)
	}
	if gs := g.eval["gosec"]; len(gs) > 0 && len(pk) > 0 {
		line(fmt.Sprintf("eval: gosec ÷ pkcevet CPU ≥ %d×", minGosecRatio21), summarize(gs).cpu.Seconds(), summarize(pk).cpu.Seconds(), "s", minGosecRatio21, false)
	}
	if vet, pk := g.large["vet"], g.large["pkcevet"]; len(vet) > 0 && len(pk) > 0 {
		vs, ps := summarize(vet), summarize(pk)
		line(fmt.Sprintf("large, warm: pkcevet ≤ %.1f× cached go vet wall", maxLargeWarmRatio), ps.wall.Seconds(), vs.wall.Seconds(), "s", maxLargeWarmRatio, true)
		line(fmt.Sprintf("large, warm: pkcevet ≤ %.1f× go vet's largest process, peak RSS", maxLargeWarmRatio), float64(ps.rssKB)/1024, float64(vs.rssKB)/1024, " MB", maxLargeWarmRatio, true)
		if nc := g.large["nocache"]; len(nc) > 0 {
			// Both compared with the cached go vet, as a user who turns
			// pkcevet's cache off (or does not keep it between CI runs) sees.
			ns := summarize(nc)
			fmt.Fprintf(out, "  large, warm, pkcevet without its result cache (PKCEVET_CACHE=off; no goal): wall %ss ÷ %ss = %s, peak RSS %s ÷ %s MB = %s\n",
				seconds(ns.wall), seconds(vs.wall), ratio(ns.wall.Seconds(), vs.wall.Seconds()),
				mib(ns.rssKB), mib(vs.rssKB), ratio(float64(ns.rssKB), float64(vs.rssKB)))
		}
	} else {
		fmt.Fprintf(out, "  large, warm: not measured (target large)\n")
	}
	if vet, pk := g.largeCold["vet"], g.largeCold["pkcevet"]; len(vet) > 0 && len(pk) > 0 {
		line(fmt.Sprintf("large, first run (empty GOCACHE): pkcevet ≤ %.1f× go vet wall", maxLargeColdRatio),
			summarize(pk).wall.Seconds(), summarize(vet).wall.Seconds(), "s", maxLargeColdRatio, true)
	} else {
		fmt.Fprintf(out, "  large, first run: not measured (target large, -large-cold-rounds 0)\n")
	}
}
