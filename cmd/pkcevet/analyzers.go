package main

import (
	"golang.org/x/tools/go/analysis"

	ruleset "github.com/pkcevet/pkcevet/analyzers"
)

// analyzers returns the rule analyzers, in rule-ID order: the one list
// (package analyzers) that both the standalone driver and go vet mode run.
func analyzers() []*analysis.Analyzer {
	return ruleset.All()
}
