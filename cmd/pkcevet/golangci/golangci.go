// Package golangci is the golangci-lint module plugin of pkcevet. Importing
// it registers the linter "pkcevet" with
// github.com/golangci/plugin-module-register; golangci-lint's `custom`
// command (or a main that imports golangci-lint's pkg/commands and this
// package) builds it in. Settings, under linters.settings.custom.pkcevet.settings:
//
//	enable: [weakverifier, PKCE004]   # analyzers to run, by name or rule ID (default all)
//	disable: [globalverifier]         # analyzers not to run
//	test: true                        # also report findings in _test.go files
//	timingcompare:
//	  state: true                     # also report state compared in non-constant time
//
// The analyzers apply pkcevet's policy themselves, as under every driver:
// no findings in generated files or (unless test) _test.go files, and
// //pkcevet:ignore directives. golangci-lint turns each related location
// of a diagnostic into an issue of its own; the plugin folds them into the
// finding's message instead, so that one finding is one issue.
//
// It lives under cmd/pkcevet, with the binary's other drivers, and not
// under analyzers/, so that ./analyzers/... (what Bazel nogo builds) does
// not depend on the plugin registry.
package golangci

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/pkcevet/pkcevet/analyzers"
	"github.com/pkcevet/pkcevet/rules"
)

// Name is the linter's name in .golangci.yml and in golangci-lint's output.
const Name = "pkcevet"

func init() {
	register.Plugin(Name, New)
}

// Settings are the plugin's settings.
type Settings struct {
	// Enable names the analyzers to run (analyzer names, rule IDs or rule
	// names); empty means all.
	Enable []string `json:"enable"`
	// Disable names analyzers not to run.
	Disable []string `json:"disable"`
	// Test reports findings in _test.go files too.
	Test bool `json:"test"`
	// TimingCompare holds timingcompare's settings.
	TimingCompare struct {
		// State also reports state values compared in non-constant time.
		State bool `json:"state"`
	} `json:"timingcompare"`
}

// Plugin is the pkcevet linter plugin.
type Plugin struct {
	settings Settings
}

var _ register.LinterPlugin = (*Plugin)(nil)

// New decodes the settings; unknown settings and analyzer names are errors.
func New(conf any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](conf)
	if err != nil {
		return nil, fmt.Errorf("pkcevet: %w", err)
	}
	for _, name := range slices.Concat(s.Enable, s.Disable) {
		if _, ok := rules.Get(name); !ok {
			return nil, fmt.Errorf("pkcevet: no analyzer %q; the analyzers are %s", name, names())
		}
	}
	return &Plugin{settings: s}, nil
}

func names() string {
	var out []string
	for _, a := range analyzers.All() {
		out = append(out, a.Name)
	}
	return strings.Join(out, ", ")
}

// BuildAnalyzers returns the enabled analyzers, configured: copies of the
// package-level analyzers, whose findings carry their related locations
// in the message.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	selected := func(list []string, a *analysis.Analyzer) bool {
		return slices.ContainsFunc(list, func(name string) bool {
			r, _ := rules.Get(name)
			return r != nil && r.Analyzer == a.Name
		})
	}
	var as []*analysis.Analyzer
	for _, a := range analyzers.All() {
		if len(p.settings.Enable) > 0 && !selected(p.settings.Enable, a) || selected(p.settings.Disable, a) {
			continue
		}
		as = append(as, a)
	}
	as = analyzers.Configure(as, analyzers.Options{Tests: p.settings.Test})
	for _, a := range as {
		if a.Flags.Lookup("state") != nil && p.settings.TimingCompare.State {
			// The flag's value is timingcompare's package-level
			// setting: golangci-lint builds its analyzers once.
			if err := a.Flags.Set("state", "true"); err != nil {
				return nil, fmt.Errorf("pkcevet: timingcompare.state: %w", err)
			}
		}
		run := a.Run
		a.Run = func(pass *analysis.Pass) (any, error) {
			inner := *pass
			inner.Report = func(d analysis.Diagnostic) { pass.Report(Fold(pass, d)) }
			return run(&inner)
		}
	}
	return as, nil
}

// GetLoadMode says that the analyzers need type information.
func (p *Plugin) GetLoadMode() string { return register.LoadModeTypesInfo }

// Fold returns d with its related locations added to its message, before
// the rule ID that ends it,
//
//	weak code_verifier …; use oauth2.GenerateVerifier (the verifier's source: math/rand.Int63 at agent.go:42:9) (PKCE003)
//
// and none left in Related.
func Fold(pass *analysis.Pass, d analysis.Diagnostic) analysis.Diagnostic {
	if len(d.Related) == 0 {
		return d
	}
	text, id, _ := rules.CutID(d.Message)
	var b strings.Builder
	b.WriteString(text)
	for _, r := range d.Related {
		p := pass.Fset.Position(r.Pos)
		where := "?"
		if p.IsValid() {
			where = fmt.Sprintf("%s:%d:%d", filepath.Base(p.Filename), p.Line, p.Column)
		}
		fmt.Fprintf(&b, " (%s at %s)", r.Message, where)
	}
	d.Message = rules.WithID(b.String(), id)
	d.Related = nil
	return d
}
