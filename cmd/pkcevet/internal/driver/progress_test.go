package driver

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newTestProgress returns a Progress on a fake clock and a fake ticker,
// the output, the clock and beat, which ticks once and returns when the
// heartbeat has handled the tick.
func newTestProgress(live bool) (p *Progress, out *strings.Builder, clock *fakeClock, beat func()) {
	out = new(strings.Builder)
	clock = &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p = NewProgress(out, live)
	p.now = clock.now
	ticks, beaten := make(chan time.Time), make(chan struct{})
	p.ticker = func(time.Duration) (<-chan time.Time, func()) { return ticks, func() {} }
	p.beaten = func() { beaten <- struct{}{} }
	return p, out, clock, func() {
		ticks <- clock.now()
		<-beaten
	}
}

func TestProgressLog(t *testing.T) {
	p, b, clock, _ := newTestProgress(false)
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
	p.Finish(Summary{Findings: 1, Analysed: 2, LeftOut: 1})
	p.Stop() // nothing to erase in a log
	want := `pkcevet: listing packages
pkcevet: type-checking
pkcevet: type-checking: 4 packages
pkcevet: type-checking: 5 packages
pkcevet: analysing: 0/2 packages
pkcevet: analysing: 2/2 packages
pkcevet: done: 1 finding; 3 packages: 2 analysed, 1 left out (no OAuth or PKCE mark), in 18s
`
	if got := b.String(); got != want {
		t.Errorf("progress log:\n%s\nwant:\n%s", got, want)
	}
}

func TestProgressLive(t *testing.T) {
	p, b, clock, _ := newTestProgress(true)
	p.Phase("type-checking", 2)
	p.Add(1) // too soon after the last rewrite
	clock.advance(time.Second)
	p.Add(1)
	p.Finish(Summary{Analysed: 2})
	p.Stop() // erased already
	const erase = "\r\033[K"
	want := erase + "pkcevet: type-checking: 0/2 packages" + erase + "pkcevet: type-checking: 2/2 packages" + erase
	if got := b.String(); got != want {
		t.Errorf("live progress: %q, want %q", got, want)
	}

	// A run that fails leaves no line behind either.
	p, b, _, _ = newTestProgress(true)
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
	p.SetActivity(nil)
	p.Finish(Summary{})
	p.Stop()
}

// TestProgressHeartbeat checks that a phase in which nothing moves (the go
// command compiling) still gets a line with the elapsed time and what is
// happening at least every LogEvery in a log, and a live line that
// shows the elapsed time at each beat.
func TestProgressHeartbeat(t *testing.T) {
	p, b, clock, beat := newTestProgress(false)
	p.Phase("listing packages", 0)
	p.SetActivity(func() string { return compilingExportData })
	clock.advance(LogEvery - time.Second)
	beat() // the next beat comes in time: nothing
	clock.advance(time.Second / 2)
	beat() // the next would come too late: print now
	beat() // printed just now: nothing
	clock.advance(LogEvery - time.Second/2)
	beat()                      // the same state, said again
	p.Phase("type-checking", 0) // the activity was the listing's
	p.Add(3)
	clock.advance(LogEvery)
	beat()
	p.Finish(Summary{Analysed: 3})
	want := `pkcevet: listing packages
pkcevet: listing packages, 10s: ` + compilingExportData + `
pkcevet: listing packages, 19s: ` + compilingExportData + `
pkcevet: type-checking
pkcevet: type-checking: 3 packages, 29s
pkcevet: done: 0 findings; 3 packages: 3 analysed, 0 left out (no OAuth or PKCE mark), in 29s
`
	if got := b.String(); got != want {
		t.Errorf("progress log:\n%s\nwant:\n%s", got, want)
	}

	p, b, clock, beat = newTestProgress(true)
	p.Phase("listing packages", 0)
	clock.advance(time.Second)
	beat()
	clock.advance(time.Second)
	p.SetActivity(func() string { return "" }) // cannot tell
	beat()
	p.Stop()
	const erase = "\r\033[K"
	wantLive := erase + "pkcevet: listing packages" + erase + "pkcevet: listing packages, 1s" + erase + "pkcevet: listing packages, 2s" + erase
	if got := b.String(); got != wantLive {
		t.Errorf("live progress: %q, want %q", got, wantLive)
	}
}
