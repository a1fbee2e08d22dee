package main

import (
	"strings"
	"testing"
	"time"
)

func TestSelectTargets(t *testing.T) {
	got, err := selectTargets("eval, std")
	if err != nil || !got["eval"] || !got["std"] || got["vet"] {
		t.Errorf("selectTargets(\"eval, std\") = %v, %v", got, err)
	}
	for _, bad := range []string{"", "eval,nope"} {
		if _, err := selectTargets(bad); err == nil {
			t.Errorf("selectTargets(%q): no error", bad)
		}
	}
}

// runs makes n runs of the given CPU seconds and peak RSS in MiB.
func runs(n int, cpu float64, rssMiB int64) []runSample {
	var rs []runSample
	for range n {
		var r runSample
		r.add(sample{wall: time.Duration(cpu * float64(time.Second)), cpu: time.Duration(cpu * float64(time.Second)), rssKB: rssMiB << 10})
		rs = append(rs, r)
	}
	return rs
}

func TestPrintGoals(t *testing.T) {
	g := &goals{
		modules: 10,
		eval: map[string][]runSample{
			"floor":   runs(3, 10, 100),
			"pkcevet": runs(3, 12, 120),
			"gosec":   runs(3, 150, 500),
		},
		std: map[string][]runSample{
			"floor":   runs(3, 10, 100),
			"pkcevet": runs(3, 14, 110),
		},
		vettool: [2][]runSample{runs(3, 40, 100), runs(3, 2, 50)},
		large: map[string][]runSample{
			"vet":     runs(3, 4, 170),
			"pkcevet": runs(3, 3, 200),
		},
		largeCold: map[string][]runSample{
			"vet":     runs(1, 400, 500),
			"pkcevet": runs(1, 100, 900),
		},
	}
	var b strings.Builder
	printGoals(&b, g, false)
	out := b.String()
	for _, want := range []string{
		"floor CPU on every target:      eval modules, -test (10) 1.20×, std 1.40× — NOT met",
		"floor peak RSS on every target: eval modules, -test (10) 1.20×, std 1.10× — met",
		"gosec 150.0s ÷ pkcevet 12.0s = 12.50× — met",
		"repeat run ÷ first run (nothing changed, 3 rounds): CPU 2.0s ÷ 40.0s = 0.05×",
		"eval: pkcevet ≤ 1.1× floor CPU: 12.0s ÷ 10.0s = 1.20× — NOT met",
		"eval: gosec ÷ pkcevet CPU ≥ 15×: 150.0s ÷ 12.0s = 12.50× — NOT met",
		"large, warm: pkcevet ≤ 1.0× cached go vet wall: 3.0s ÷ 4.0s = 0.75× — met",
		"large, warm: pkcevet ≤ 1.0× go vet's largest process, peak RSS: 200.0 MB ÷ 170.0 MB = 1.18× — NOT met",
		"large, first run (empty GOCACHE): pkcevet ≤ 0.5× go vet wall: 100.0s ÷ 400.0s = 0.25× — met",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("goals do not say %q:\n%s", want, out)
		}
	}

	// Nothing measured: no verdict.
	b.Reset()
	printGoals(&b, &goals{}, false)
	if out := b.String(); strings.Contains(out, " met") || strings.Contains(out, "NOT met") || strings.Contains(out, "floor CPU s") || !strings.Contains(out, "not measured") {
		t.Errorf("goals with nothing measured:\n%s", out)
	}
}
