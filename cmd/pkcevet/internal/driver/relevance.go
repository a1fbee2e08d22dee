package driver

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/pkcevet/pkcevet/analyzers"
)

// splitRoots divides the roots between the ones every analyzer must run
// on and the rest, where only the analyzers that are not gated
// (analyzers.Gated) can find anything. The first are
//
//   - the relevant roots (analyzers.Relevant, with the relevance of their
//     imports decided the same way, over the pruned import graph: the
//     imports the checker would give a RelevantFact);
//   - the roots those import, directly or not: the rules read their call
//     summaries;
//   - the roots with a //pkcevet:ignore directive, whose directives the
//     rules check (a directive that suppresses nothing is a finding), and
//     what they import.
//
// A root left out holds no finding of a gated analyzer (it is not
// relevant) and no summary a rule reads (no relevant root imports it), so
// leaving it out changes no finding: go vet, which runs everything
// everywhere, reports the same. (On the standard library, 282 of 362
// packages are left out: pkcevet -v std's done line.)
func splitRoots(roots []*packages.Package) (all, rest []*packages.Package) {
	byTypes := make(map[*types.Package]*packages.Package, len(roots))
	for _, p := range roots {
		if p.Types != nil {
			byTypes[p.Types] = p
		}
	}
	memo := make(map[*packages.Package]bool, len(roots))
	var relevant func(p *packages.Package) bool
	relevant = func(p *packages.Package) bool {
		if r, ok := memo[p]; ok {
			return r
		}
		memo[p] = false // imports form no cycle; this only guards against one
		r := p.Types != nil && p.TypesInfo != nil && !p.IllTyped &&
			analyzers.Relevant(p.Types, p.TypesInfo, func(imp *types.Package) bool {
				q, ok := byTypes[imp]
				return ok && !q.IllTyped && relevant(q)
			})
		memo[p] = r
		return r
	}
	needed := make(map[*packages.Package]bool, len(roots))
	var need func(p *packages.Package)
	need = func(p *packages.Package) {
		if needed[p] {
			return
		}
		needed[p] = true
		for _, imp := range p.Imports { // pruned to the roots
			need(imp)
		}
	}
	for _, p := range roots {
		if relevant(p) || slices.ContainsFunc(p.Syntax, analyzers.HasDirective) {
			need(p)
		}
	}
	for _, p := range roots {
		if needed[p] {
			all = append(all, p)
		} else {
			rest = append(rest, p)
		}
	}
	return all, rest
}

// ungated returns the analyzers that are not gated, in order.
func ungated(as []*analysis.Analyzer) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, a := range as {
		if !analyzers.Gated(a) {
			out = append(out, a)
		}
	}
	return out
}
