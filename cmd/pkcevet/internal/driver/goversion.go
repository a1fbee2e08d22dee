package driver

import (
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/mod/modfile"
)

// checkGoVersion returns an error when the module (or workspace) that dir
// belongs to declares a newer Go than the one pkcevet was built with.
// go/types, compiled into pkcevet, cannot type-check the standard library
// or the code of a newer Go: without this check every package would fail
// with an internal importer error of its own. The go.mod and go.work files
// are read directly, not through the go command, which would first try to
// switch to the newer toolchain.
func checkGoVersion(dir string) error {
	built := version.Lang(runtime.Version())
	if built == "" {
		return nil // a development toolchain: no way to tell
	}
	want, file := "", ""
	consider := func(v, f string) {
		if v = "go" + v; version.IsValid(v) && version.Compare(v, want) > 0 {
			want, file = v, f
		}
	}
	// The nearest go.work (unless GOWORK=off) and the nearest go.mod, as
	// the go command finds them.
	haveWork, haveMod := os.Getenv("GOWORK") == "off", false
	for d := dir; !haveWork || !haveMod; {
		if name := filepath.Join(d, "go.work"); !haveWork {
			if data, err := os.ReadFile(name); err == nil {
				haveWork = true
				if wf, err := modfile.ParseWork(name, data, nil); err == nil && wf.Go != nil {
					consider(wf.Go.Version, name)
				}
			}
		}
		if name := filepath.Join(d, "go.mod"); !haveMod {
			if data, err := os.ReadFile(name); err == nil {
				haveMod = true
				if mf, err := modfile.ParseLax(name, data, nil); err == nil && mf.Go != nil {
					consider(mf.Go.Version, name)
				}
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if want == "" || version.Compare(version.Lang(want), built) <= 0 {
		return nil
	}
	toolchain := want
	if version.Lang(want) == want {
		toolchain += ".0" // the first release of a language version
	}
	return fmt.Errorf("%s says go %s, but this pkcevet was built with %s, whose type checker cannot read newer Go; install pkcevet with Go %s or newer: GOTOOLCHAIN=%s go install github.com/pkcevet/pkcevet/cmd/pkcevet@latest",
		file, want[2:], runtime.Version(), version.Lang(want)[2:], toolchain)
}

// CheckGoVersion is checkGoVersion for the go vet mode: the error says
// which go.mod or go.work of dir declares a Go newer than pkcevet's.
func CheckGoVersion(dir string) error { return checkGoVersion(dir) }
