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
	p.Phase("type-checking", 0) // the total is not known in advance
	for range 3 {
		p.Add(1)
	}
	clock.advance(LogEvery) // a long phase: one line with the count so far
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
pkcevet: type-checking
pkcevet: type-checking: 4 packages
pkcevet: type-checking: 5 packages
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
