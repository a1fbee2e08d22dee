package driver

import (
	"flag"
	"strconv"

	"golang.org/x/tools/go/analysis"

	pkcevet "github.com/pkcevet/pkcevet/analyzers"
)

// AddTestsFlag adds to fs a -test flag that sets the -test flag of each
// analyzer (analyzers.FlagTests), so that go vet users can write
//
//	go vet -vettool=$(command -v pkcevet) -test ./...
//
// instead of one -<analyzer>.test per analyzer, and get what the
// standalone -test gives. For go vet mode, whose flags are the process's:
// it sets the analyzers' own flags.
func AddTestsFlag(fs *flag.FlagSet, as []*analysis.Analyzer) {
	fs.Var(&testsFlag{as}, pkcevet.FlagTests, "also report findings in _test.go files (every analyzer's -test)")
}

type testsFlag struct{ as []*analysis.Analyzer }

func (f *testsFlag) IsBoolFlag() bool { return true }

func (f *testsFlag) String() string {
	if f == nil || len(f.as) == 0 {
		return "false"
	}
	if t := f.as[0].Flags.Lookup(pkcevet.FlagTests); t != nil {
		return t.Value.String()
	}
	return "false"
}

func (f *testsFlag) Set(s string) error {
	if _, err := strconv.ParseBool(s); err != nil {
		return err
	}
	for _, a := range f.as {
		if err := a.Flags.Set(pkcevet.FlagTests, s); err != nil {
			return err
		}
	}
	return nil
}
