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
//	pkcevet: type-checking: 12 packages
//	pkcevet: analysing: 30/53 packages
//	pkcevet: done: 53 packages in 1m4s
//
// On a terminal (Live) it keeps one line up to date and erases it at the
// end, so that the report and the failures that follow start on a clean
// line. In a log (-v) it writes a line when a phase starts, at most one
// every LogEvery while it runs, and the last line. A nil *Progress prints
// nothing. Its methods may be called from several goroutines.
type Progress struct {
	w    io.Writer
	live bool
	// now is the clock (time.Now); tests replace it.
	now func() time.Time
	// every is the least time between two lines of a phase in a log,
	// and between two rewrites of the live line.
	every time.Duration

	mu        sync.Mutex
	start     time.Time
	phase     string
	done      int
	total     int // 0: unknown
	lastPrint time.Time
	printed   string // the last line printed
	dirty     bool   // the live line is on the screen
}

// LogEvery is the least time between two progress lines of one phase in a
// log.
const LogEvery = 10 * time.Second

// NewProgress returns a Progress that writes to w: a live line when live
// is set (w is a terminal), else log lines.
func NewProgress(w io.Writer, live bool) *Progress {
	every := LogEvery
	if live {
		every = 100 * time.Millisecond
	}
	return &Progress{w: w, live: live, now: time.Now, every: every}
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
	}
	if !p.live && p.phase != "" {
		p.print(true) // where the last phase got to, if not said yet
	}
	p.phase, p.done, p.total = name, 0, total
	p.print(true)
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

// Finish ends the run: a last line in a log ("done: 53 packages in
// 1m4s"), the live line erased on a terminal.
func (p *Progress) Finish(packages int) {
	if p == nil {
		return
	}
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
	fmt.Fprintf(p.w, "pkcevet: done: %s in %v\n", plural(packages, "package"), elapsed)
}

// Stop erases the live line, if it is on the screen, and writes nothing
// else: for a run that ends with an error. It may follow Finish.
func (p *Progress) Stop() {
	if p == nil {
		return
	}
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
	now := p.now()
	if !force && now.Sub(p.lastPrint) < p.every {
		return
	}
	line := p.phase
	switch {
	case p.total > 0:
		line += fmt.Sprintf(": %d/%s", p.done, plural(p.total, "package"))
	case p.done > 0:
		line += ": " + plural(p.done, "package")
	}
	if line == p.printed {
		return
	}
	p.lastPrint, p.printed = now, line
	if p.live {
		fmt.Fprintf(p.w, "\r\033[Kpkcevet: %s", line)
		p.dirty = true
		return
	}
	fmt.Fprintf(p.w, "pkcevet: %s\n", line)
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// countingParser is packages.Config.ParseFile as go/packages does it,
// starting the "type-checking" phase with the first file and counting a
// package (a directory) as done when its first file is parsed: go/packages
// parses a package's files just before it type-checks it. The total is
// not known in advance: it is in go list's output, which go/packages does
// not show until it has type-checked every package.
func countingParser(progress *Progress) func(*token.FileSet, string, []byte) (*ast.File, error) {
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
		// As go/packages' default: it promises ast.Object resolution.
		return parser.ParseFile(fset, filename, src, parser.AllErrors|parser.ParseComments)
	}
}
