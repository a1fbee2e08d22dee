package driver

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Progress reports on stderr what a long run is doing: the current phase
// and, where the total is known, how many packages of it are done.
//
//	pkcevet: listing packages
//	pkcevet: listing packages, 10s: compiling dependencies' export data (first run; later runs use the go build cache)
//	pkcevet: type-checking: 12 packages
//	pkcevet: analysing: 30/53 packages
//	pkcevet: done: 2 findings; 53 packages: 12 analysed, 41 left out (no OAuth or PKCE mark), in 1m4s
//
// On a terminal (Live) it keeps one line up to date and erases it at the
// end, so that the report and the failures that follow start on a clean
// line. In a log (-v) it writes a line when a phase starts, at most one
// every LogEvery while it runs, and the last line. While a phase is
// running a heartbeat shows that the run is alive even when nothing
// moves — the go command can compile for minutes without a word: a log
// gets a line with the elapsed time (and, while the go command runs, what
// it is doing) at least every LogEvery, the live line shows the elapsed
// time every second. A nil *Progress prints nothing. Its methods may be
// called from several goroutines.
type Progress struct {
	w    io.Writer
	live bool
	// now is the clock (time.Now); tests replace it.
	now func() time.Time
	// ticker starts the heartbeat's ticker (time.NewTicker); tests
	// replace it.
	ticker func(time.Duration) (<-chan time.Time, func())
	// every is the least time between two lines of a phase in a log,
	// and between two rewrites of the live line.
	every time.Duration
	// beat is the heartbeat's period.
	beat time.Duration
	// beaten, if not nil, is called after each beat: tests wait on it.
	beaten func()

	mu        sync.Mutex
	start     time.Time
	phase     string
	done      int
	total     int // 0: unknown
	lastPrint time.Time
	printed   string        // the last line printed
	dirty     bool          // the live line is on the screen
	activity  func() string // what the phase is doing, if it can tell
	stopBeat  chan struct{} // closed to end the heartbeat; nil before
	beating   sync.WaitGroup
}

// LogEvery is the least time between two progress lines of one phase in a
// log, and the most time between two lines while a phase runs.
const LogEvery = 10 * time.Second

// NewProgress returns a Progress that writes to w: a live line when live
// is set (w is a terminal), else log lines.
func NewProgress(w io.Writer, live bool) *Progress {
	every := LogEvery
	if live {
		every = 100 * time.Millisecond
	}
	return &Progress{w: w, live: live, now: time.Now, ticker: newTicker, every: every, beat: time.Second}
}

func newTicker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// Phase starts a phase; total is the number of packages it works through,
// 0 when that is not known in advance.
func (p *Progress) Phase(name string, total int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.start.IsZero() {
		p.start = p.now()
		p.startHeartbeat()
	}
	if !p.live && p.phase != "" {
		p.print(true) // where the last phase got to, if not said yet
	}
	p.phase, p.done, p.total, p.activity = name, 0, total, nil
	p.print(true)
}

// SetActivity tells the heartbeat how to say what the current phase is
// doing ("compiling dependencies' export data …"): f is called at each
// beat and may return "" when it cannot tell. The next phase drops it.
func (p *Progress) SetActivity(f func() string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.activity = f
}

// startHeartbeat starts the goroutine that calls heartbeat at each tick
// until stopHeartbeat. p.mu is held.
func (p *Progress) startHeartbeat() {
	ticks, stop := p.ticker(p.beat)
	p.stopBeat = make(chan struct{})
	p.beating.Add(1)
	go func(quit chan struct{}) {
		defer p.beating.Done()
		defer stop()
		for {
			select {
			case <-quit:
				return
			case <-ticks:
				p.heartbeat()
				if p.beaten != nil {
					p.beaten()
				}
			}
		}
	}(p.stopBeat)
}

// stopHeartbeat ends the heartbeat and waits until it has: after it, the
// heartbeat prints nothing. p.mu is not held.
func (p *Progress) stopHeartbeat() {
	p.mu.Lock()
	quit := p.stopBeat
	p.stopBeat = nil
	p.mu.Unlock()
	if quit != nil {
		close(quit)
		p.beating.Wait()
	}
}

// heartbeat prints the state with the elapsed time: on a terminal at
// every beat, in a log when the next beat would be more than p.every
// after the last line.
func (p *Progress) heartbeat() {
	p.mu.Lock()
	activity := p.activity
	// In a log, the next beat would come more than p.every after the
	// last line: print now.
	due := p.phase != "" && (p.live || p.now().Sub(p.lastPrint) > p.every-p.beat)
	p.mu.Unlock()
	if !due {
		return
	}
	doing := ""
	if activity != nil {
		doing = activity() // may read /proc: outside the lock
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopBeat == nil {
		return // stopped meanwhile
	}
	extra := ", " + formatElapsed(p.now().Sub(p.start))
	if doing != "" {
		extra += ": " + doing
	}
	p.write(p.line(), extra)
}

// compilingExportData is what a heartbeat says while the go command
// compiles.
const compilingExportData = "compiling dependencies' export data (first run; later runs use the go build cache)"

// formatElapsed rounds d to what a reader needs: seconds.
func formatElapsed(d time.Duration) string {
	return d.Round(time.Second).String()
}

// EndPhase marks the current phase complete: all of its total done.
func (p *Progress) EndPhase() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.total > 0 && p.done < p.total {
		p.done = p.total
	}
	p.print(!p.live)
}

// Add records n more packages done in the current phase.
func (p *Progress) Add(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	// The last package of a phase is always shown in a log.
	p.print(!p.live && p.total > 0 && p.done == p.total)
}

// Summary is what the last line of a run says.
type Summary struct {
	// Findings is the number of findings the report shows (suppressed
	// ones left out).
	Findings int
	// Analysed, LeftOut and Failed divide the packages the patterns
	// matched (a package and its test variants count as one) between
	// those the analyzers ran on, those left out (no OAuth or PKCE mark,
	// and not imported by a package with one) and those not analysed
	// because of errors, which the run reports as failures.
	Analysed, LeftOut, Failed int
	// Cached is set when the report is the one the result cache holds
	// for the same inputs: nothing was type-checked or analysed.
	Cached bool `json:"-"`
}

// Finish ends the run: a last line in a log ("done: 2 findings; 53
// packages: 12 analysed, 41 left out (no OAuth or PKCE mark), in 1m4s"),
// the live line erased on a terminal.
func (p *Progress) Finish(s Summary) {
	if p == nil {
		return
	}
	p.stopHeartbeat()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live {
		p.erase()
		return
	}
	elapsed := time.Duration(0)
	if !p.start.IsZero() {
		elapsed = p.now().Sub(p.start).Round(100 * time.Millisecond)
	}
	failed := ""
	if s.Failed > 0 {
		failed = fmt.Sprintf(", %d not analysed (errors)", s.Failed)
	}
	cached := ""
	if s.Cached {
		cached = ", from the result cache (no input changed)"
	}
	fmt.Fprintf(p.w, "pkcevet: done: %s; %s: %d analysed%s, %d left out (no OAuth or PKCE mark)%s, in %v\n",
		plural(s.Findings, "finding"), plural(s.Analysed+s.LeftOut+s.Failed, "package"), s.Analysed, failed, s.LeftOut, cached, elapsed)
}

// Note prints a line that is not progress (the result cache could not
// be used, say) on the -v output; a live line does not show it.
func (p *Progress) Note(msg string) {
	if p == nil || p.live {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "pkcevet: %s\n", msg)
}

// Stop erases the live line, if it is on the screen, and writes nothing
// else: for a run that ends with an error. It may follow Finish.
func (p *Progress) Stop() {
	if p == nil {
		return
	}
	p.stopHeartbeat()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
}

func (p *Progress) erase() {
	if p.dirty {
		fmt.Fprint(p.w, "\r\033[K")
		p.dirty = false
	}
}

// print writes the current state, unless the last line was written less
// than p.every ago and force is not set, or it would repeat that line.
func (p *Progress) print(force bool) {
	if !force && p.now().Sub(p.lastPrint) < p.every {
		return
	}
	if line := p.line(); line != p.printed {
		p.write(line, "")
	}
}

// line is the current state: the phase and its count.
func (p *Progress) line() string {
	line := p.phase
	switch {
	case p.total > 0:
		line += fmt.Sprintf(": %d/%s", p.done, plural(p.total, "package"))
	case p.done > 0:
		line += ": " + plural(p.done, "package")
	}
	return line
}

// write prints the state line (see line) and what the heartbeat adds to
// it, on the live line or as a log line.
func (p *Progress) write(line, extra string) {
	p.lastPrint, p.printed = p.now(), line
	if p.live {
		fmt.Fprintf(p.w, "\r\033[Kpkcevet: %s%s", line, extra)
		p.dirty = true
		return
	}
	fmt.Fprintf(p.w, "pkcevet: %s%s\n", line, extra)
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// countingParser is packages.Config.ParseFile as parse does it,
// starting the "type-checking" phase with the first file and counting a
// package (a directory) as done when its first file is parsed: go/packages
// parses a package's files just before it type-checks it. The total is
// not known in advance: it is in go list's output, which go/packages does
// not show until it has type-checked every package.
func countingParser(progress *Progress, parse parseFunc) parseFunc {
	var (
		start sync.Once
		mu    sync.Mutex
		seen  = make(map[string]bool)
	)
	return func(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
		start.Do(func() { progress.Phase("type-checking", 0) })
		d := filepath.Dir(filename)
		// The generated test driver (_testmain.go, or with go1.26 a
		// build cache entry without a .go suffix) is not a package of
		// the user's: isTestMain.
		ours := strings.HasSuffix(filename, ".go") && !strings.HasSuffix(filename, "_testmain.go")
		mu.Lock()
		first := ours && !seen[d]
		seen[d] = true
		mu.Unlock()
		if first {
			progress.Add(1)
		}
		return parse(fset, filename, src)
	}
}

// parseFunc is packages.Config.ParseFile.
type parseFunc = func(fset *token.FileSet, filename string, src []byte) (*ast.File, error)

// parseGoFile parses as go/packages does by default: it promises
// ast.Object resolution.
func parseGoFile(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	return parser.ParseFile(fset, filename, src, goFileMode)
}

// goFileMode is go/packages' parser mode.
const goFileMode = parser.AllErrors | parser.ParseComments
