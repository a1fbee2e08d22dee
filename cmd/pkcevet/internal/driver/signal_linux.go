package driver

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// childGroups returns the process groups that pkcevet's children lead:
// the go commands, which go/packages starts each in a group of its own.
func childGroups(procs []process) []int {
	self := os.Getpid()
	var groups []int
	for _, p := range procs {
		if p.ppid == self && p.pgrp == p.pid {
			groups = append(groups, p.pgrp)
		}
	}
	return groups
}

// awaitGroups waits until no process of the groups is left but zombies
// (a compiler that the go command's SIGINT reached may outlive the go
// command by a moment), sends SIGKILL to the groups still there after
// 5 s or when second is closed, and gives up 5 s after that.
func awaitGroups(groups []int, second <-chan struct{}) {
	if len(groups) == 0 {
		return
	}
	killAt := time.Now().Add(5 * time.Second)
	giveUpAt := killAt.Add(5 * time.Second)
	killed := false
	for {
		left := liveGroups(groups)
		if len(left) == 0 || time.Now().After(giveUpAt) {
			return
		}
		if !killed {
			select {
			case <-second:
				killAt = time.Now()
			default:
			}
			if !time.Now().Before(killAt) {
				for _, g := range left {
					syscall.Kill(-g, syscall.SIGKILL) // ESRCH: ended meanwhile
				}
				killed = true
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// liveGroups returns the groups that hold a process that is not a zombie.
func liveGroups(groups []int) []int {
	want := make(map[int]bool, len(groups))
	for _, g := range groups {
		want[g] = true
	}
	var left []int
	for _, p := range processes() {
		if want[p.pgrp] && p.state != 'Z' {
			left = append(left, p.pgrp)
			want[p.pgrp] = false
		}
	}
	return left
}

// process is what childGroups and liveGroups read of /proc/PID/stat.
type process struct {
	pid, ppid, pgrp int
	state           byte
	comm            string
}

// processes lists the processes /proc shows; those it cannot read (ended
// meanwhile) are left out.
func processes() []process {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ps []process
	for _, name := range stats {
		data, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		if p, ok := parseStat(data); ok {
			ps = append(ps, p)
		}
	}
	return ps
}

// parseStat parses the start of /proc/PID/stat: "pid (comm) state ppid
// pgrp …", where comm may hold spaces and parentheses.
func parseStat(data []byte) (process, bool) {
	open := bytes.IndexByte(data, '(')
	closing := bytes.LastIndexByte(data, ')')
	if open < 0 || closing < open {
		return process{}, false
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(data[:open])))
	fields := bytes.Fields(data[closing+1:])
	if err != nil || len(fields) < 3 || len(fields[0]) != 1 {
		return process{}, false
	}
	ppid, err1 := strconv.Atoi(string(fields[1]))
	pgrp, err2 := strconv.Atoi(string(fields[2]))
	if err1 != nil || err2 != nil {
		return process{}, false
	}
	return process{pid: pid, ppid: ppid, pgrp: pgrp, state: fields[0][0], comm: string(data[open+1 : closing])}, true
}

// compilerNames are the programs the go command runs to build export
// data.
var compilerNames = map[string]bool{"compile": true, "asm": true, "cgo": true, "gcc": true, "cc": true, "clang": true}

// goActivity says what pkcevet's go commands are doing, when they run a
// compiler: building the export data of packages the build cache does not
// hold, which a first run does for every dependency.
func goActivity() string {
	procs := processes()
	groups := make(map[int]bool)
	for _, g := range childGroups(procs) {
		groups[g] = true
	}
	for _, p := range procs {
		if groups[p.pgrp] && p.pid != p.pgrp && compilerNames[p.comm] {
			return compilingExportData
		}
	}
	if len(groups) > 0 {
		return "go list running"
	}
	return ""
}
