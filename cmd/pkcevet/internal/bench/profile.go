package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
)

// startCPUProfile starts a CPU profile into file; stop ends it.
func startCPUProfile(file string) (stop func(), err error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// profile runs pkcevet with -cpuprofile and -memprofile on every target,
// and the floor with -cpuprofile, then prints the top of go tool pprof
// -top -cum over the merged profiles. pkcevet writes its heap profile
// after the run, when the analysis graph is garbage, so the memory view is
// alloc_space: everything allocated during the run.
func profile(ctx context.Context, o *options, targets []*target, out io.Writer) error {
	dir := filepath.Join(o.cacheDir, "profiles")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var cpu, mem, floorCPU []string
	for _, t := range targets {
		name := filepath.Base(t.dir)
		c, m, fc := filepath.Join(dir, name+".cpu.prof"), filepath.Join(dir, name+".mem.prof"), filepath.Join(dir, name+".floor.cpu.prof")
		cmd := command(t, nil, o.pkcevet, append([]string{"-test", "-no-fail", "-cpuprofile", c, "-memprofile", m}, t.patterns...)...)
		if s, err := measure(cmd); err != nil {
			return err
		} else if !exit012(s.code) {
			return fmt.Errorf("pkcevet -cpuprofile on %s: exit status %d\n%s", t.mod, s.code, s.stderr)
		}
		cmd = command(t, nil, o.self, append([]string{"floor", "-test", "-cpuprofile", fc}, t.patterns...)...)
		if s, err := measure(cmd); err != nil {
			return err
		} else if s.code != 0 {
			return fmt.Errorf("floor -cpuprofile on %s: exit status %d\n%s", t.mod, s.code, s.stderr)
		}
		cpu, mem, floorCPU = append(cpu, c), append(mem, m), append(floorCPU, fc)
	}
	fmt.Fprintf(out, "(profiles in %s)\n", dir)
	for _, p := range []struct {
		title string
		args  []string
		files []string
		bin   string
		top   int
	}{
		{"pkcevet CPU, go tool pprof -top -cum", nil, cpu, o.pkcevet, 15},
		{"pkcevet allocations, go tool pprof -top -cum -sample_index=alloc_space", []string{"-sample_index=alloc_space"}, mem, o.pkcevet, 15},
		{"floor CPU, go tool pprof -top -cum (for comparison)", nil, floorCPU, o.self, 15},
	} {
		args := append([]string{"tool", "pprof", "-top", "-cum", fmt.Sprintf("-nodecount=%d", p.top)}, p.args...)
		args = append(args, p.bin)
		args = append(args, p.files...)
		text, err := runOutput(ctx, "", "go", args...)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\n%s:\n", p.title)
		for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			if strings.HasPrefix(line, "File:") || strings.HasPrefix(line, "Build ID:") || strings.HasPrefix(line, "Time:") {
				continue
			}
			fmt.Fprintln(out, "  "+line)
		}
	}
	return nil
}
