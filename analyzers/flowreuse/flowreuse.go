package flowreuse

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
	"github.com/pkcevet/pkcevet/rules"
)

var rule = rules.MustGet("PKCE008")

// Analyzer reports verifiers and states reused across flows.
var Analyzer = &analysis.Analyzer{
	Name:     rule.Analyzer,
	Doc:      rule.Doc(),
	URL:      rule.URL(),
	Requires: []*analysis.Analyzer{pkce.Analyzer},
	Run:      run,
}

func init() { pkce.UsePolicy(Analyzer) }

const fix = "make a fresh one for each login, and keep it with that flow's state (in a session, a cookie the server can trust, or a store keyed by state) until the callback"

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[pkce.Analyzer].(*pkce.Flow)
	if !flow.Relevant {
		return nil, nil
	}
	reported := make(map[token.Pos]bool)
	for _, s := range flow.Sinks {
		if !authorizationSink(s) || reported[s.Range.Pos()] {
			continue
		}
		what := "code verifier"
		switch s.Kind {
		case pkce.StateSink:
			what = "state"
		case pkce.ChallengeSink:
			what = "code challenge (and so its verifier)"
		}
		life := flow.LifetimeOf(s)
		var msg string
		switch life.Lifetime {
		case pkce.PerProcess:
			where := fmt.Sprintf("in %s (%s)", life.MadeIn.Name(), position(pass, life.Made))
			if life.Loop {
				msg = fmt.Sprintf("%s sent in %s is made once, before this loop %s, and sent on every iteration; %s", what, s.API, where, fix)
			} else {
				msg = fmt.Sprintf("%s sent in %s is made once %s and sent by every request this handler serves, so every login reuses it; %s", what, s.API, where, fix)
			}
		case pkce.PerObject:
			setter, ok := longLived(pass, flow, s, life)
			if !ok {
				continue
			}
			msg = fmt.Sprintf("%s sent in %s is the field %s, set once in %s and sent with every login this object starts; %s", what, s.API, life.Field.Name(), setter, fix)
		default:
			continue
		}
		reported[s.Range.Pos()] = true
		pkce.Report(pass, s.Range, rule.ID, msg)
	}
	return nil, nil
}

// authorizationSink reports whether a sink sends its value in an
// authorization request: the challenge of a verifier, or the state.
func authorizationSink(s pkce.Sink) bool {
	switch s.Kind {
	case pkce.StateSink, pkce.ChallengeSink:
		return true
	case pkce.VerifierSink:
		return strings.Contains(s.API, "S256Challenge")
	}
	return false
}

// longLived decides whether a PerObject value is shared by several logins:
// the field is set only in functions that build the object (they return
// it), the object is never built per request or per loop iteration, and
// the method that sends the field serves requests itself or takes each
// login's state from its caller. It returns the setter's name.
func longLived(pass *analysis.Pass, flow *pkce.Flow, s pkce.Sink, life pkce.Life) (string, bool) {
	var ctors []*ssa.Function
	for _, fn := range life.Setters {
		if !constructs(fn, life.Field) {
			return "", false // set by a method: it may be the per-login one
		}
		ctors = append(ctors, fn)
	}
	perRequest := false
	for _, fn := range flow.Funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				callee := call.Common().StaticCallee()
				for _, c := range ctors {
					if callee == c {
						if perRequestFunc(fn) || pkce.InCycle(b) {
							perRequest = true
						}
					}
				}
			}
		}
	}
	switch {
	case perRequest:
		return "", false
	case perRequestFunc(s.Fn):
		// The sending method serves requests (a handler method of a
		// server built once): every login reads the same field.
		return ctors[0].Name(), true
	case s.Kind != pkce.StateSink && takesState(flow, s):
		// Called once per login with that login's state, it reuses
		// the object's verifier.
		return ctors[0].Name(), true
	}
	// Built once per flow by a function that runs the flow (a CLI's
	// login, sigstore's NewPKCE in its token getter): per flow.
	return "", false
}

// constructs reports whether fn builds the struct that holds field: it
// returns a value of that struct type (or a pointer to it).
func constructs(fn *ssa.Function, field *types.Var) bool {
	res := fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		t := res.At(i).Type()
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for j := 0; j < st.NumFields(); j++ {
			if st.Field(j) == field {
				return true
			}
		}
	}
	return false
}

// perRequestFunc reports whether fn, or a function it is nested in, serves
// a request.
func perRequestFunc(fn *ssa.Function) bool {
	for f := fn; f != nil; f = f.Parent() {
		for _, p := range f.Params {
			if pkce.IsHTTPRequest(p.Type()) {
				return true
			}
		}
	}
	return false
}

// takesState reports whether the function that sends the verifier also
// sends a state that its caller passes in: a method called once per login
// with that login's state, which reuses the object's verifier.
func takesState(flow *pkce.Flow, s pkce.Sink) bool {
	for _, o := range flow.Sinks {
		if o.Kind == pkce.StateSink && o.Fn == s.Fn && flow.Origin(o.Value).Kind == pkce.Param {
			return true
		}
	}
	return false
}

func position(pass *analysis.Pass, pos token.Pos) string {
	p := pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
