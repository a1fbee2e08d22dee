package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// sample is one invocation of a tool, measured.
type sample struct {
	wall, cpu time.Duration
	rssKB     int64 // ru_maxrss: the largest process of the tree, in KiB
	code      int   // exit status
	stderr    string
}

// measure runs cmd with stdout discarded and returns its wall time and,
// from the rusage wait4 returned for it, its CPU time and peak RSS. Linux
// fills that rusage with the child's own usage plus that of every
// descendant it waited for (CPU times summed, ru_maxrss the maximum), as
// /usr/bin/time -v reports it. A non-zero exit is not an error here.
func measure(cmd *exec.Cmd) (sample, error) {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return sample{}, err
	}
	defer devnull.Close()
	var stderr tail
	cmd.Stdout, cmd.Stderr = devnull, &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return sample{}, fmt.Errorf("%s: %v", strings.Join(cmd.Args, " "), err)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return sample{}, fmt.Errorf("no rusage for %s", cmd.Args[0])
	}
	return sample{
		wall:   wall,
		cpu:    time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		rssKB:  ru.Maxrss, // KiB on Linux
		code:   cmd.ProcessState.ExitCode(),
		stderr: stderr.String(),
	}, nil
}

// tail keeps the last 8 KiB written to it, and counts the lines.
type tail struct {
	buf   []byte
	lines int
}

const tailMax = 8 << 10

func (t *tail) Write(p []byte) (int, error) {
	t.lines += bytes.Count(p, []byte{'\n'})
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - tailMax; over > 0 {
		t.buf = slices.Delete(t.buf, 0, over)
	}
	return len(p), nil
}

func (t *tail) String() string { return string(t.buf) }

// runSample is one run of a tool: one invocation per target module.
type runSample struct {
	wall, cpu time.Duration // summed over the invocations
	rssKB     int64         // the largest invocation's
	samples   []sample
}

func (r *runSample) add(s sample) {
	r.wall += s.wall
	r.cpu += s.cpu
	r.rssKB = max(r.rssKB, s.rssKB)
	r.samples = append(r.samples, s)
}

// median of xs (the mean of the middle two for an even count).
func median[T int64 | time.Duration](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// stats are the medians of a tool's runs.
type stats struct {
	n                int
	wall, cpu        time.Duration
	minWall, maxWall time.Duration
	rssKB            int64
	perModule        []time.Duration
}

func summarize(runs []runSample) stats {
	var walls, cpus []time.Duration
	var rss []int64
	for _, r := range runs {
		walls = append(walls, r.wall)
		cpus = append(cpus, r.cpu)
		rss = append(rss, r.rssKB)
	}
	st := stats{n: len(runs), wall: median(walls), cpu: median(cpus), rssKB: median(rss)}
	if len(walls) > 0 {
		st.minWall, st.maxWall = slices.Min(walls), slices.Max(walls)
	}
	if len(runs) > 0 {
		for i := range runs[0].samples {
			var ws []time.Duration
			for _, r := range runs {
				if i < len(r.samples) {
					ws = append(ws, r.samples[i].wall)
				}
			}
			st.perModule = append(st.perModule, median(ws))
		}
	}
	return st
}

// runOutput runs a command and returns its stdout; the error includes
// its stderr.
func runOutput(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.1f", d.Seconds()) }

func mib(kb int64) string { return fmt.Sprintf("%.0f", float64(kb)/1024) }

func ratio(x, y float64) string {
	if y == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", x/y)
}
