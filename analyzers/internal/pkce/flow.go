package pkce

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"
)

// Analyzer computes, once per package, what the PKCE rules share: the SSA
// functions, the evaluator of value origins, the OAuth parameter sets and
// the verifier and state sinks, and the call summaries of the package's
// functions. It exports a CallFact for every function whose summary says
// something, and a RelevantFact for a package with a mark of OAuth or
// PKCE code (relevant). In a package without one it only summarises the
// functions for their importers, and the rules skip it.
var Analyzer = &analysis.Analyzer{
	Name:       "pkceflow",
	Doc:        "pkceflow follows values to their source of randomness for the pkcevet rules (it reports nothing)",
	URL:        "https://github.com/pkcevet/pkcevet",
	Requires:   []*analysis.Analyzer{ctrlflow.Analyzer, inspect.Analyzer},
	Run:        runFlow,
	FactTypes:  []analysis.Fact{new(CallFact), new(RelevantFact)},
	ResultType: reflect.TypeOf(new(Flow)),
}

// Flow is the per-package result of Analyzer.
type Flow struct {
	Fset *token.FileSet
	Pkg  *types.Package
	// Relevant is false for a package with no mark of OAuth or PKCE code
	// (see relevant): the flow then holds only Funcs (for
	// ExposureAnalyzer's summaries) and the rules skip it.
	Relevant bool
	Funcs    []*ssa.Function
	// ParamSets are the url.Values and string maps the package builds.
	ParamSets []*ParamSet
	// Sinks are the places a value is used as a code verifier or state.
	Sinks []Sink

	mu    sync.Mutex // guards eval: two rules may ask at once
	eval  *Evaluator
	nodes map[token.Pos]ast.Node
	info  *types.Info

	// Call summaries and what propagate has derived from them.
	sums     *summaries
	sinkSeen map[sinkKey]bool
	// bareFieldSinks are stores into a field named just Verifier, a
	// sink once the package uses the field's value as a verifier.
	bareFieldSinks []Sink
	requestSeen    map[ssa.CallInstruction]bool
	direct         []*ConfigCall      // AuthCodeURL and Exchange calls
	wrapped        []*ConfigCall      // calls of functions that wrap them
	calls          []*ConfigCall      // both, once propagate is done
	redemptions    map[token.Pos]bool // positions of the Exchange calls among them
	optSums        map[*ssa.Function]*OptionSummary
	makers         map[*ssa.Function]bool // verifier APIs (see makerSinks)

	files     []*ast.File
	queryOnce sync.Once // guards queries: rules may ask at once

	setters    map[*types.Var][]*ssa.Function // guarded by mu (see fieldSetters)
	srcFiles   []*ast.File                    // the package's files, for the server model
	insp       *inspector.Inspector           // their inspector
	serverOnce sync.Once                      // guards server: rules may ask at once
	server     *Server
	queries    map[*ast.File][]QueryText
}

// Origin returns where v comes from. It is safe for concurrent use.
func (f *Flow) Origin(v ssa.Value) Origin {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.eval.Origin(v)
}

// NodeAt returns the call, key-value pair or assignment whose SSA
// instruction has position pos.
func (f *Flow) NodeAt(pos token.Pos) ast.Node { return f.nodes[pos] }

func runFlow(pass *analysis.Pass) (any, error) {
	isRelevant := relevant(pass)
	if isRelevant {
		pass.ExportPackageFact(new(RelevantFact))
	}
	init, funcs := buildSSA(pass)

	sums := &summaries{imported: make(map[*types.Func]*CallFact), local: make(map[*types.Func]*CallFact)}
	for _, f := range pass.AllObjectFacts() {
		if fn, ok := f.Object.(*types.Func); ok && fn.Pkg() != pass.Pkg {
			sums.imported[fn] = f.Fact.(*CallFact)
		}
	}
	flow := &Flow{
		Relevant:    isRelevant,
		Fset:        pass.Fset,
		Pkg:         pass.Pkg,
		Funcs:       funcs,
		eval:        newEvaluator(pass.Fset, pass.Pkg, funcs, init, sums),
		nodes:       make(map[token.Pos]ast.Node),
		info:        pass.TypesInfo,
		sums:        sums,
		sinkSeen:    make(map[sinkKey]bool),
		requestSeen: make(map[ssa.CallInstruction]bool),
		optSums:     make(map[*ssa.Function]*OptionSummary),
		makers:      make(map[*ssa.Function]bool),
	}
	if !isRelevant {
		// Nothing here is a finding, but an importer may call the
		// package's functions with a verifier or state: export what
		// their results are made of and which parameters they only
		// read, and keep nothing.
		flow.exportFacts(pass)
		// The functions stay for ExposureAnalyzer, which summarises
		// them for importers too.
		return &Flow{Fset: pass.Fset, Pkg: pass.Pkg, Funcs: funcs}, nil
	}
	flow.srcFiles = pass.Files
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	flow.insp = insp
	if mayHoldQuery(pass.TypesInfo) {
		flow.files = pass.Files // else QueryTexts has nothing to find
	}
	insp.Preorder([]ast.Node{(*ast.CallExpr)(nil), (*ast.KeyValueExpr)(nil), (*ast.AssignStmt)(nil), (*ast.IndexExpr)(nil), (*ast.ReturnStmt)(nil)}, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.CallExpr:
			flow.nodes[n.Lparen] = n
		case *ast.KeyValueExpr:
			flow.nodes[n.Colon] = n
		case *ast.AssignStmt:
			flow.nodes[n.TokPos] = n
		case *ast.IndexExpr:
			flow.nodes[n.Lbrack] = n
		case *ast.ReturnStmt:
			flow.nodes[n.Return] = n
		}
	})
	flow.ParamSets = collectParamSets(funcs, sums.closedParam)
	flow.Sinks = flow.findSinks()
	flow.propagate()
	flow.exportFacts(pass)
	return flow, nil
}

// worthSummary reports whether a function returns something a verifier or
// state can be made of: strings, bytes, integers, arrays (UUIDs).
func worthSummary(sig *types.Signature) bool {
	for i := 0; i < sig.Results().Len(); i++ {
		switch u := sig.Results().At(i).Type().Underlying().(type) {
		case *types.Basic:
			if u.Info()&(types.IsString|types.IsInteger) != 0 {
				return true
			}
		case *types.Slice, *types.Array:
			return true
		}
	}
	return false
}

// ExprRange returns the source range of argument i of the call at pos (the
// receiver of a method call is not counted), or of the value of the
// key-value pair or assignment at pos, falling back to the position alone.
func (f *Flow) ExprRange(pos token.Pos, arg int) analysis.Range {
	switch n := f.nodes[pos].(type) {
	case *ast.CallExpr:
		if arg >= 0 && arg < len(n.Args) {
			return n.Args[arg]
		}
		return n
	case *ast.KeyValueExpr:
		return n.Value
	case *ast.AssignStmt:
		if len(n.Rhs) == 1 {
			return n.Rhs[0]
		}
		return n
	case *ast.IndexExpr:
		return n
	case *ast.ReturnStmt:
		if arg >= 0 && arg < len(n.Results) && len(n.Results) > 1 || arg == 0 && len(n.Results) == 1 {
			return n.Results[arg]
		}
		return n
	}
	return posRange(pos)
}

type posRange token.Pos

func (p posRange) Pos() token.Pos { return token.Pos(p) }
func (p posRange) End() token.Pos { return token.Pos(p) }
