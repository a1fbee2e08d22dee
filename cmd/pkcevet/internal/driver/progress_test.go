package driver

import (
	"strings"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestProgress(live bool) (*Progress, *strings.Builder, *fakeClock) {
	var b strings.Builder
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := NewProgress(&b, live)
	p.now = clock.now
	return p, &b, clock
}

func TestProgressLog(t *testing.T) {
	p, b, clock := newTestProgress(false)
	p.Phase("listing packages", 0)
	for range 3 {
		p.compiled()
	}
	clock.advance(LogEvery) // a long phase: one line with the count so far
	p.compiled()
	p.compiled()
	p.Phase("type-checking", 3)
	p.Add(1)
	p.Add(1) // under LogEvery since the last line: not printed
	p.EndPhase()
	p.Phase("analysing", 2)
	p.Add(1)
	clock.advance(LogEvery / 2)
	p.Add(1) // the last package of a phase is always printed
	clock.advance(3 * time.Second)
	p.Finish(3)
	p.Stop() // nothing to erase in a log
	want := `pkcevet: listing packages
pkcevet: compiling
pkcevet: compiling: 4 packages
pkcevet: compiling: 5 packages
pkcevet: type-checking: 0/3 packages
pkcevet: type-checking: 3/3 packages
pkcevet: analysing: 0/2 packages
pkcevet: analysing: 2/2 packages
pkcevet: done: 3 packages in 18s
`
	if got := b.String(); got != want {
		t.Errorf("progress log:\n%s\nwant:\n%s", got, want)
	}
}

func TestProgressLive(t *testing.T) {
	p, b, clock := newTestProgress(true)
	p.Phase("type-checking", 2)
	p.Add(1) // too soon after the last rewrite
	clock.advance(time.Second)
	p.Add(1)
	p.Finish(2)
	p.Stop() // erased already
	const erase = "\r\033[K"
	want := erase + "pkcevet: type-checking: 0/2 packages" + erase + "pkcevet: type-checking: 2/2 packages" + erase
	if got := b.String(); got != want {
		t.Errorf("live progress: %q, want %q", got, want)
	}

	// A run that fails leaves no line behind either.
	p, b, _ = newTestProgress(true)
	p.Phase("listing packages", 0)
	p.Stop()
	if got, want := b.String(), erase+"pkcevet: listing packages"+erase; got != want {
		t.Errorf("stopped live progress: %q, want %q", got, want)
	}
}

func TestProgressNil(t *testing.T) {
	var p *Progress // progress off: every method is a no-op
	p.Phase("x", 1)
	p.Add(1)
	p.EndPhase()
	p.Finish(1)
	p.Stop()
}

func TestLineWriter(t *testing.T) {
	var lines []string
	w := &lineWriter{fn: func(l string) { lines = append(lines, l) }}
	for _, chunk := range []string{"internal/a", "bi\nexample.com/m/x\ngo: downloading example.com/d v1.0.0\n", "# example.com/m/bad\nbad.go:3:9: undefined: x", ""} {
		if _, err := w.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	w.flush()
	var pkgs []string
	for _, l := range lines {
		if isPackageLine(l) {
			pkgs = append(pkgs, l)
		}
	}
	if got, want := strings.Join(lines, "|"), "internal/abi|example.com/m/x|go: downloading example.com/d v1.0.0|# example.com/m/bad|bad.go:3:9: undefined: x"; got != want {
		t.Errorf("lines %q, want %q", got, want)
	}
	if got, want := strings.Join(pkgs, "|"), "internal/abi|example.com/m/x"; got != want {
		t.Errorf("package lines %q, want %q", got, want)
	}
}
