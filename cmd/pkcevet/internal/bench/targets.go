package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/evaltargets"
)

// target is one module of the evaluation in its scratch module.
type target struct {
	mod, version string   // module path and pinned version
	patterns     []string // the packages of it that the eval scores
	dir          string   // the scratch module
	pkgDirs      []string
	packages     int
	files        int // .go files, tests included, as go list counts them
}

// prepareTargets finds, or makes as the eval does, the scratch module of
// each target module and lists its packages.
func prepareTargets(ctx context.Context, o *options, out io.Writer) ([]*target, error) {
	var want map[string]bool
	if o.modulesOnly != "" {
		want = make(map[string]bool)
		for _, m := range strings.Split(o.modulesOnly, ",") {
			want[strings.TrimSpace(m)] = true
		}
	}
	fmt.Fprintf(out, "\ntargets (scratch modules in %s):\n", o.work)
	fmt.Fprintf(out, "  %-46s %9s %6s\n", "module", "packages", "files")
	var targets []*target
	var pkgs, files int
	for _, m := range evaltargets.All() {
		mv, mod := m.Mod, m.Path()
		if want != nil && !want[mod] {
			continue
		}
		t := &target{mod: mod, version: m.Version(), patterns: m.Patterns(), dir: filepath.Join(o.work, m.ScratchName())}
		if err := ensureScratch(ctx, t.dir, m); err != nil {
			return nil, err
		}
		if err := t.list(ctx); err != nil {
			return nil, err
		}
		fmt.Fprintf(out, "  %-46s %9d %6d\n", mv, t.packages, t.files)
		pkgs += t.packages
		files += t.files
		targets = append(targets, t)
	}
	if len(targets) == 0 {
		return nil, fmt.Errorf("-modules %q selects no module", o.modulesOnly)
	}
	fmt.Fprintf(out, "  %-46s %9d %6d\n", "total", pkgs, files)
	return targets, nil
}

// ensureScratch makes the scratch module unless it is there already (the
// eval may be using it right now; go get would rewrite its go.mod).
func ensureScratch(ctx context.Context, dir string, m evaltargets.Module) error {
	gomod := filepath.Join(dir, "go.mod")
	if _, err := os.Stat(gomod); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(gomod, []byte("module pkcevet.eval/scratch\n\ngo 1.26.0\n"), 0o644); err != nil {
		return err
	}
	args := []string{"get", "-t"}
	for _, p := range m.Patterns() {
		args = append(args, p+"@"+m.Version())
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		os.Remove(gomod) // let the next run try again
		return fmt.Errorf("go %s: %v", strings.Join(args, " "), err)
	}
	return nil
}

// list fills in the target's packages: those of the module itself that
// its patterns match.
func (t *target) list(ctx context.Context) error {
	args := append([]string{"list", "-e", "-json=ImportPath,Dir,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles,Module"}, t.patterns...)
	stdout, err := runOutput(ctx, t.dir, "go", args...)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(stdout)))
	for {
		var p struct {
			ImportPath, Dir                              string
			GoFiles, CgoFiles, TestGoFiles, XTestGoFiles []string
			Module                                       *struct{ Path, Version string }
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		if p.Module == nil || p.Module.Path != t.mod || p.Module.Version != t.version {
			return fmt.Errorf("%s: package %s is not from %s@%s", t.dir, p.ImportPath, t.mod, t.version)
		}
		t.packages++
		t.files += len(p.GoFiles) + len(p.CgoFiles) + len(p.TestGoFiles) + len(p.XTestGoFiles)
		t.pkgDirs = append(t.pkgDirs, p.Dir)
	}
	return nil
}
