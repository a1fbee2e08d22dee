package driver

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
)

// NotifySignals returns a context for Run that is cancelled when the
// process receives SIGINT or SIGTERM, and stop, which stops listening for
// them; call it when Run has returned.
//
// Without it, a pkcevet ended by a signal leaves its go command behind:
// go/packages runs go list in a process group of its own (x/tools
// v0.52.0 and later), which neither a terminal's ^C nor a signal sent to
// pkcevet alone reaches, and go list -export goes on compiling, re-parented
// to PID 1. With it, the first signal cancels the context: go/packages
// sends SIGINT to the go command's process group (go list and the
// compilers it started) and SIGKILL 5 s later if the go command has not
// ended. NotifySignals waits until every go command that a Run with this
// context started has returned and, on Linux, until the rest of its
// process group has ended too (SIGKILL after another 5 s), erases
// progress's live line, writes "pkcevet: interrupted" to w and calls exit
// with 128 + the signal's number (130 for SIGINT, 143 for SIGTERM), the
// status a shell gives a process that the signal ended, as the go command
// exits. A second signal skips the waiting. Type-checking and analysis
// start no process: a signal during them exits at once.
//
// stop reports whether a signal came; if one did, it returns only after
// exit was called (with os.Exit, never): the caller must not print the
// errors of a cancelled Run.
func NotifySignals(parent context.Context, progress *Progress, w io.Writer, exit func(int)) (ctx context.Context, stop func() bool) {
	cmds := &goCommands{}
	ctx, cancel := context.WithCancel(context.WithValue(parent, goCommandsKey{}, cmds))
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	var (
		done        = make(chan struct{}) // closed by stop
		exited      = make(chan struct{}) // closed after exit returned
		interrupted atomic.Bool
	)
	go func() {
		defer close(exited)
		var sig os.Signal
		select {
		case sig = <-sigs:
		case <-done:
			return
		}
		interrupted.Store(true)
		groups := childGroups(processes()) // before go/packages reaps the go commands
		cancel()
		second := make(chan struct{})
		go func() {
			select {
			case <-sigs:
				close(second)
			case <-done:
			}
		}()
		select {
		case <-cmds.stop():
			awaitGroups(groups, second)
		case <-second:
		}
		progress.Stop() // the live line, if any, erased first
		fmt.Fprintln(w, "pkcevet: interrupted")
		exit(exitStatus(sig))
	}()
	var once sync.Once
	return ctx, func() bool {
		once.Do(func() {
			signal.Stop(sigs)
			if interrupted.Load() {
				<-exited
			}
			close(done)
			cancel()
		})
		return interrupted.Load()
	}
}

// exitStatus is 128 + the number of sig, or 2 (the scan is incomplete)
// for a signal without one.
func exitStatus(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 2
}

// goCommandsKey is the context key of the goCommands of NotifySignals.
type goCommandsKey struct{}

// goCommands counts the packages.Load calls in progress — each runs go
// commands — so that NotifySignals can wait for them to end.
type goCommands struct {
	mu       sync.Mutex
	running  int
	stopping bool
	idle     chan struct{} // closed when stopping and none is running
}

// startGoCommand records a packages.Load about to start under ctx and
// returns the function that records its end. It returns false when the
// context's signal has come: the Load must not start.
func startGoCommand(ctx context.Context) (func(), bool) {
	c, _ := ctx.Value(goCommandsKey{}).(*goCommands)
	if c == nil {
		return func() {}, true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopping {
		return nil, false
	}
	c.running++
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.running--
		if c.stopping && c.running == 0 {
			close(c.idle)
		}
	}, true
}

// stop refuses new go commands and returns a channel closed once none
// is running.
func (c *goCommands) stop() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.stopping {
		c.stopping = true
		c.idle = make(chan struct{})
		if c.running == 0 {
			close(c.idle)
		}
	}
	return c.idle
}
