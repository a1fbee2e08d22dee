package main

import (
	"encoding/json"
	"errors"
	"fmt"
	goversion "go/version"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/driver"
)

// vetConfig is the part of go vet's .cfg file that vetNewerGo reads.
type vetConfig struct {
	Dir         string
	GoVersion   string            // the package's language version, or the toolchain's for std
	Standard    map[string]bool   // import path -> in the standard library
	PackageVetx map[string]string // import path -> facts file
	VetxOnly    bool              // a dependency, analysed only for facts
	VetxOutput  string            // $WORK/bNNN/vet.out
}

// newerGoFacts starts the facts file vetNewerGo writes for a package too
// new for pkcevet; the Go version follows. go vet caches facts files, so
// this is what tells the packages that import it, in this run or a later
// one, that their imports could not be read.
const newerGoFacts = "pkcevet: newer Go "

// vetNewerGo handles, in go vet mode, a package of a Go newer than the one
// pkcevet was built with, or one that imports such packages (a go command
// newer than pkcevet's Go runs go vet, and its standard library is
// newer): go/types, compiled into pkcevet, cannot type-check them, and
// every package, standard library included, would fail on its own
// ("internal/goarch: …/pkcevet: exit status 1", 48 lines and more).
// Instead a dependency succeeds quietly, with a facts file that says so
// (newerGoFacts), and the first root package of the go vet run prints the
// binary's one-line advice and fails; the other roots succeed quietly, so
// that go vet says it once. The packages of one go vet run share its $WORK
// directory, where a marker file says that the advice was printed. It
// returns handled false, and does nothing, for a package pkcevet can read.
func vetNewerGo(cfgFile string, stderr io.Writer) (status int, handled bool) {
	data, err := os.ReadFile(cfgFile)
	if err != nil {
		return 0, false
	}
	var cfg vetConfig
	if json.Unmarshal(data, &cfg) != nil || cfg.VetxOutput == "" {
		return 0, false
	}
	built := goversion.Lang(runtime.Version())
	if built == "" {
		return 0, false // a development toolchain: no way to tell
	}
	work := filepath.Dir(filepath.Dir(cfg.VetxOutput))
	said := filepath.Join(work, "pkcevet-newer-go")
	v := ""
	if goversion.IsValid(cfg.GoVersion) && goversion.Compare(goversion.Lang(cfg.GoVersion), built) > 0 {
		v = goversion.Lang(cfg.GoVersion)
	} else if v = newerImport(&cfg); v == "" {
		if said, err := os.ReadFile(said); err == nil && goversion.IsValid(string(said)) {
			// The advice was printed by a package this one may
			// import, which then has no facts file.
			v = string(said)
		}
	}
	if v == "" {
		return 0, false
	}
	_ = os.WriteFile(cfg.VetxOutput, []byte(newerGoFacts+v), 0o666)
	if cfg.VetxOnly {
		return 0, true
	}
	f, err := os.OpenFile(said, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
	if errors.Is(err, fs.ErrExist) {
		return 0, true // said already, by another package of this run
	}
	if err == nil {
		fmt.Fprint(f, v)
		f.Close()
	}
	msg := driver.CheckGoVersion(cfg.Dir)
	if msg == nil {
		// The module is old enough; the go command running go vet is not.
		msg = fmt.Errorf("go vet runs with Go %s, but this pkcevet was built with %s, whose type checker cannot read newer Go; install pkcevet with Go %s or newer: GOTOOLCHAIN=%s.0 go install github.com/pkcevet/pkcevet/cmd/pkcevet@latest",
			v[2:], runtime.Version(), v[2:], v)
	}
	fmt.Fprintf(stderr, "pkcevet: %v\n", msg)
	return exitFailure, true
}

// newerImport returns the Go version that the facts file of an import
// says was too new (newerGoFacts), or "". Every standard package is vetted
// by the same go command, so it reads one standard package's facts file,
// and the others' only when the package imports no standard package.
func newerImport(cfg *vetConfig) string {
	read := func(file string) (string, bool) {
		f, err := os.Open(file)
		if err != nil {
			return "", false
		}
		defer f.Close()
		buf := make([]byte, len(newerGoFacts)+16)
		n, _ := io.ReadFull(f, buf)
		if rest, ok := strings.CutPrefix(string(buf[:n]), newerGoFacts); ok && goversion.IsValid(rest) {
			return rest, true
		}
		return "", false
	}
	for _, path := range slices.Sorted(maps.Keys(cfg.PackageVetx)) {
		if cfg.Standard[path] {
			v, _ := read(cfg.PackageVetx[path])
			return v
		}
	}
	for _, path := range slices.Sorted(maps.Keys(cfg.PackageVetx)) {
		if v, ok := read(cfg.PackageVetx[path]); ok {
			return v
		}
	}
	return ""
}
