package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalEndsGoCommand checks that SIGINT and SIGTERM end pkcevet's go
// command with it (issue 21): with an empty build cache, go list -export
// compiles the standard library, and pkcevet is signalled while it does.
// pkcevet must exit 130 or 143 and leave no process of the go command's
// process group running (zombies waiting for PID 1 to reap them are gone
// already). Before the fix, go list went on compiling, re-parented to
// PID 1.
func TestSignalEndsGoCommand(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"srv/srv.go": `package srv

import (
	"crypto/tls"
	"encoding/json"
	"net/http"
)

var _, _, _ = http.Get, tls.Client, json.Marshal

// The mark that makes pkcevet type-check the package.
const param = "code_challenge"
`})
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(binary, "./...")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=mod", "GOCACHE="+t.TempDir())
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waited := make(chan error, 1)
			go func() { waited <- cmd.Wait() }()

			// Wait until the go command runs a compiler: a grandchild.
			groups := make(map[int]bool)
			for compiling := false; !compiling; {
				select {
				case err := <-waited:
					t.Fatalf("pkcevet ended (%v) before the go command compiled anything; stderr:\n%s", err, stderr.String())
				default:
				}
				procs := readProcs()
				for _, p := range procs {
					if p.ppid != cmd.Process.Pid {
						continue
					}
					groups[p.pgrp] = true
					for _, q := range procs {
						if q.ppid == p.pid {
							compiling = true
						}
					}
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			err := <-waited
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tc.code {
				t.Errorf("pkcevet: %v, want exit status %d", err, tc.code)
			}
			if !strings.Contains(stderr.String(), "pkcevet: interrupted\n") || strings.Contains(stderr.String(), "context canceled") {
				t.Errorf("stderr:\n%s\nwant \"pkcevet: interrupted\" and no error of the cancelled load", stderr.String())
			}
			for _, p := range readProcs() {
				if groups[p.pgrp] && p.state != 'Z' {
					t.Errorf("process %d (%s) of the go command's group %d still runs after pkcevet exited", p.pid, p.comm, p.pgrp)
					syscall.Kill(-p.pgrp, syscall.SIGKILL)
				}
			}
		})
	}
}

// proc is what the test reads of /proc/PID/stat.
type proc struct {
	pid, ppid, pgrp int
	state           byte
	comm            string
}

// readProcs lists the processes in /proc; the ones that end while it
// reads are left out.
func readProcs() []proc {
	names, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []proc
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		// "pid (comm) state ppid pgrp …"; comm may hold spaces.
		open, closing := bytes.IndexByte(data, '('), bytes.LastIndexByte(data, ')')
		if open < 0 || closing < open {
			continue
		}
		f := strings.Fields(string(data[closing+1:]))
		if len(f) < 3 {
			continue
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(string(data[:open])))
		ppid, _ := strconv.Atoi(f[1])
		pgrp, _ := strconv.Atoi(f[2])
		out = append(out, proc{pid, ppid, pgrp, f[0][0], string(data[open+1 : closing])})
	}
	return out
}
