package driver

import (
	"context"
	"path/filepath"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// CheckStats says how much Check loaded.
type CheckStats struct {
	// Packages is the number of packages type-checked from source: the
	// roots, and with allSyntax their dependencies too.
	Packages int
	// Files is the number of Go files those packages have.
	Files int
	// Broken is the number of those packages with load or type errors.
	Broken int
}

// Check loads the packages that the patterns match in dir and runs the
// analyzers on them with checker.Analyze, the way Run does but with any
// analyzers, no guard and no report: it is for measuring the driver (the
// bench program's floor). Diagnostics are dropped and action errors are
// ignored; the error is for a load or checker run that fails as a whole.
//
// Without allSyntax it uses Run's loader without the packages added for
// facts: one packages.Load, the roots type-checked from source with their
// dependencies from export data, and Imports pruned to the roots. With allSyntax it loads like a naive
// fact-using driver: packages.LoadAllSyntax (every dependency, standard
// library included, type-checked from source), nothing pruned.
func Check(ctx context.Context, dir string, patterns []string, tests bool, analyzers []*analysis.Analyzer, allSyntax bool) (CheckStats, error) {
	if dir == "" {
		dir = "."
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return CheckStats{}, err
	}
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	var roots []*packages.Package
	if allSyntax {
		cfg := &packages.Config{
			Context: ctx,
			Mode:    packages.LoadAllSyntax | packages.NeedModule,
			Dir:     dir,
			Tests:   tests,
		}
		pkgs, err := packages.Load(cfg, patterns...)
		if err != nil {
			return CheckStats{}, err
		}
		for _, p := range pkgs {
			if !isTestMain(p) {
				roots = append(roots, p)
			}
		}
	} else {
		l, err := load(ctx, dir, patterns, tests, false, nil)
		if err != nil {
			return CheckStats{}, err
		}
		roots = l.roots
	}

	var st CheckStats
	packages.Visit(roots, nil, func(p *packages.Package) {
		if p.TypesInfo == nil {
			return // its types came from export data
		}
		st.Packages++
		st.Files += len(p.Syntax)
		if len(p.Errors) > 0 {
			st.Broken++
		}
	})
	if len(roots) == 0 || len(analyzers) == 0 {
		return st, nil
	}
	_, err = checker.Analyze(analyzers, roots, &checker.Options{})
	return st, err
}
