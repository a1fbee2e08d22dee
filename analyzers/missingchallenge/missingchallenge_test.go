package missingchallenge_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkcetest"
	"github.com/pkcevet/pkcevet/analyzers/missingchallenge"
)

func TestMissingChallenge(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.Run(t, testdata, missingchallenge.Analyzer, "missingchallenge/...")
}

// TestConfidentialFlag turns on -missingchallenge.confidential: a code
// redemption by a confidential client whose authorization request is not
// in the package is then reported. It sets the analyzer's flag as a
// command line would, and restores it; it must not run in parallel.
func TestConfidentialFlag(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.SetFlag(t, missingchallenge.Analyzer, "confidential", "true")
	pkcetest.Run(t, testdata, missingchallenge.Analyzer, "flags/confidential")
}

func TestMissingChallengeFixes(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.RunWithSuggestedFixes(t, testdata, missingchallenge.Analyzer, "missingchallenge/fix")
}

// TestOneFindingPerFlow checks where a flow without PKCE puts its
// redemption: as a related location of the authorization request on the
// same oauth2.Config, not as a finding of its own.
func TestOneFindingPerFlow(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	acts := pkcetest.Run(t, testdata, missingchallenge.Analyzer, "missingchallenge/oneflow")
	got := make(map[int][]int) // line of each finding → lines of its related locations
	for _, act := range acts {
		if act.Analyzer != missingchallenge.Analyzer {
			continue
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			line := fset.Position(d.Pos).Line
			got[line] = []int{}
			for _, r := range d.Related {
				if r.Message == "the code is redeemed here without code_verifier" {
					got[line] = append(got[line], fset.Position(r.Pos).Line)
				}
			}
		}
	}
	want := map[int][]int{18: {22}, 28: {32}, 44: {}, 55: {59}, 68: {76}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("findings (line → redemption lines) = %v, want %v", got, want)
	}
}

// TestFixtureRecords turns on the test flag: in a test, an authorization
// URL kept in a record of the code under test's own type (hydra's
// flow.Flow{RequestURL: …}) builds no request; one in a test table or
// passed to a call does.
func TestFixtureRecords(t *testing.T) {
	testdata, _ := filepath.Abs("../../testdata")
	pkcetest.SetFlag(t, missingchallenge.Analyzer, "test", "true")
	pkcetest.Run(t, testdata, missingchallenge.Analyzer, "flags/fixturerecord")
}
