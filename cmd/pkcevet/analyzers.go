package main

import (
	"golang.org/x/tools/go/analysis"

	"github.com/pkcevet/pkcevet/analyzers/globalverifier"
	"github.com/pkcevet/pkcevet/analyzers/missingchallenge"
	"github.com/pkcevet/pkcevet/analyzers/missingstate"
	"github.com/pkcevet/pkcevet/analyzers/plainmethod"
	"github.com/pkcevet/pkcevet/analyzers/timingcompare"
	"github.com/pkcevet/pkcevet/analyzers/weakverifier"
)

// analyzers returns the rule analyzers, in rule-ID order: the one list that
// both the standalone driver and go vet mode run. Each is named after its
// rule (rules.Get(a.Name)).
func analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		missingchallenge.Analyzer, // PKCE001
		plainmethod.Analyzer,      // PKCE002
		weakverifier.Analyzer,     // PKCE003
		missingstate.Analyzer,     // PKCE004
		timingcompare.Analyzer,    // PKCE005
		globalverifier.Analyzer,   // PKCE006
	}
}
