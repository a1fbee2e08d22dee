package codereplay

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/pkcevet/pkcevet/analyzers/internal/pkce"
	"github.com/pkcevet/pkcevet/rules"
)

var rule = rules.MustGet("PKCE010")

// Analyzer reports token endpoints whose codes can be redeemed twice or
// late.
var Analyzer = &analysis.Analyzer{
	Name:     rule.Analyzer,
	Doc:      rule.Doc(),
	URL:      rule.URL(),
	Requires: []*analysis.Analyzer{pkce.Analyzer},
	Run:      run,
}

// flagStrict reports lookups through interfaces whose implementations are
// not in the package.
const flagStrict = "strict"

func init() {
	Analyzer.Flags.Bool(flagStrict, false, "also report code lookups through a store interface implemented outside the package")
	pkce.UsePolicy(Analyzer)
}

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[pkce.Analyzer].(*pkce.Flow)
	if !flow.Relevant {
		return nil, nil
	}
	srv := flow.Server()
	// A handler and the helper it delegates to may both be endpoints:
	// one lookup is judged once.
	reported := make(map[token.Pos]bool)
	for _, ep := range srv.Of(pkce.TokenEndpoint) {
		checkEndpoint(pass, srv, ep, reported)
	}
	return nil, nil
}

// storeKind says how the stored grants are kept.
type storeKind int

const (
	mapStore     storeKind = iota // a Go map: m[code]
	syncMapStore                  // a sync.Map: m.Load(code)
	methodStore                   // a method of a store type: s.Get(code)
	sqlStore                      // database/sql: db.QueryRow(q, code)
)

// lookup is where a token endpoint fetches the grant of the code it was
// sent.
type lookup struct {
	kind   storeKind
	node   ast.Expr    // the index expression or call
	store  ast.Expr    // the map, sync.Map or store value
	method *types.Func // for methodStore and sqlStore
	grant  types.Type  // the stored grant's type, when known
	atomic bool        // the lookup itself takes the code (LoadAndDelete, GetDel)
}

func checkEndpoint(pass *analysis.Pass, srv *pkce.Server, ep *pkce.Endpoint, reported map[token.Pos]bool) {
	info := pass.TypesInfo
	reads := ep.Reads[pkce.ParamCode]
	if len(reads) == 0 {
		return
	}
	read := reads[0]
	code := pkce.ParamVar(info, read.Func, read.Call)
	lk := findLookup(info, read.Func, read.Call, code)
	if lk == nil || reported[lk.node.Pos()] {
		return
	}
	reported[lk.node.Pos()] = true
	scope := append([]ast.Node{}, ep.Scope...)
	if lk.kind == methodStore {
		// The store's own method may take the code (a Get that deletes).
		if d := pkce.DeclOf(srv.Files, lk.method); d != nil {
			scope = append(scope, d)
		}
	}
	consumedAt := token.NoPos
	if !lk.atomic {
		consumedAt = consumption(info, scope, lk)
	}
	switch {
	case lk.atomic || consumedAt.IsValid():
	case lk.kind == methodStore && isInterface(lk.store, info) && !implementedHere(pass, info, srv, lk):
		if !pkce.FlagSet(pass.Analyzer, flagStrict) {
			break
		}
		fallthrough
	default:
		pkce.Report(pass, lk.node, rule.ID, "the authorization code is looked up but never deleted or marked used on the way to the token response, so it can be redeemed twice; delete it (or take it atomically) when it is redeemed (OAuth 2.1: codes are single-use)")
	}
	checkExpiry(pass, scope, lk)
	if consumedAt.IsValid() && posIn(consumedAt, read.Func) {
		checkFailedVerification(pass, ep, read.Func, consumedAt)
	}
}

// findLookup returns the first fetch of the stored grant keyed by the
// code read (or its variable v) in n.
func findLookup(info *types.Info, n ast.Node, read *ast.CallExpr, v *types.Var) *lookup {
	var lk *lookup
	ast.Inspect(n, func(n ast.Node) bool {
		if lk != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.IndexExpr:
			if m, ok := info.TypeOf(n.X).Underlying().(*types.Map); ok && pkce.Uses(info, n.Index, read, v) {
				lk = &lookup{kind: mapStore, node: n, store: n.X, grant: m.Elem()}
			}
		case *ast.CallExpr:
			if n == read || !argUses(info, n, read, v) {
				return true
			}
			fn := pkce.Callee(info, n)
			sel, ok := astutil.Unparen(n.Fun).(*ast.SelectorExpr)
			if fn == nil || !ok || fn.Signature().Recv() == nil {
				return true
			}
			switch {
			case pkce.IsMethod(fn, "sync", "Map", "Load"):
				lk = &lookup{kind: syncMapStore, node: n, store: sel.X}
			case pkce.IsMethod(fn, "sync", "Map", "LoadAndDelete"):
				lk = &lookup{kind: syncMapStore, node: n, store: sel.X, atomic: true}
			case fn.Pkg() != nil && fn.Pkg().Path() == "database/sql" && strings.HasPrefix(fn.Name(), "Query"):
				lk = &lookup{kind: sqlStore, node: n, store: sel.X, method: fn}
			case takes(fn.Name()):
				lk = &lookup{kind: methodStore, node: n, store: sel.X, method: fn, atomic: true, grant: firstResult(fn)}
			case fetches(fn.Name()):
				lk = &lookup{kind: methodStore, node: n, store: sel.X, method: fn, grant: firstResult(fn)}
			}
		}
		return true
	})
	return lk
}

func argUses(info *types.Info, call *ast.CallExpr, read *ast.CallExpr, v *types.Var) bool {
	return slices.ContainsFunc(call.Args, func(a ast.Expr) bool { return pkce.Uses(info, a, read, v) })
}

func firstResult(fn *types.Func) types.Type {
	if fn.Signature().Results().Len() == 0 {
		return nil
	}
	return fn.Signature().Results().At(0).Type()
}

// fetches reports whether a store method's name says it reads a stored
// grant: Get, Load, Find, Lookup, Read, Fetch, Retrieve (GetAuthCode,
// LoadGrant).
func fetches(name string) bool {
	w := pkce.Words(name)
	if len(w) == 0 {
		return false
	}
	switch w[0] {
	case "get", "load", "find", "lookup", "read", "fetch", "retrieve":
		return true
	}
	return false
}

// takes reports whether a method's name says it takes the code out of the
// store as it reads it: GetDel, GetAndDelete, LoadAndDelete, Consume…,
// Take…, Pop…, Redeem…, Claim….
func takes(name string) bool {
	w := pkce.Words(name)
	if len(w) == 0 {
		return false
	}
	switch w[0] {
	case "consume", "take", "pop", "redeem", "claim", "getdel":
		return true
	}
	return slices.Contains(w, "del") || slices.Contains(w, "delete") && fetches(name)
}

// consumes reports whether a method's name says it removes or spends a
// stored code: Delete…, Remove…, Invalidate…, Consume…, Revoke…, Del,
// Expire, Evict…, MarkUsed….
func consumes(name string) bool {
	w := pkce.Words(name)
	if len(w) == 0 {
		return false
	}
	switch w[0] {
	case "delete", "remove", "invalidate", "consume", "revoke", "del", "expire", "evict", "drop", "take", "pop", "redeem", "claim", "getdel", "unset":
		return true
	case "mark", "set":
		return slices.ContainsFunc(w, usedWord)
	}
	return false
}

func usedWord(w string) bool {
	switch w {
	case "used", "redeemed", "consumed", "spent", "exchanged", "granted":
		return true
	}
	return false
}

// consumption returns where the code is taken out of use in scope — the
// endpoint and the helpers it calls — or NoPos.
func consumption(info *types.Info, scope []ast.Node, lk *lookup) token.Pos {
	store := pkce.ExprName(lk.store)
	at := token.NoPos
	for _, n := range scope {
		ast.Inspect(n, func(n ast.Node) bool {
			if at.IsValid() {
				return false
			}
			switch n := n.(type) {
			case *ast.CallExpr:
				if id, ok := astutil.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "delete" && len(n.Args) == 2 {
					// The same map: by its last name, so that a helper
					// deleting from s.codes matches the endpoint's
					// s.codes (or h.store.codes).
					if _, builtin := info.Uses[id].(*types.Builtin); builtin && pkce.ExprName(n.Args[0]) == store {
						at = n.Pos()
					}
					return true
				}
				fn := pkce.Callee(info, n)
				if fn == nil {
					return true
				}
				switch {
				case pkce.IsMethod(fn, "sync", "Map", "Delete"), pkce.IsMethod(fn, "sync", "Map", "LoadAndDelete"):
					at = n.Pos()
				case fn.Pkg() != nil && fn.Pkg().Path() == "database/sql" && strings.HasPrefix(fn.Name(), "Exec"):
					if len(n.Args) > 0 && spendsRow(info, n.Args) {
						at = n.Pos()
					}
				case fn.Signature().Recv() != nil && consumes(fn.Name()):
					at = n.Pos()
				}
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && slices.ContainsFunc(pkce.Words(sel.Sel.Name), usedWord) {
						at = n.Pos()
					}
				}
			}
			return true
		})
	}
	return at
}

// spendsRow reports whether an Exec's constant query deletes the code or
// marks it used: DELETE …, UPDATE … used/redeemed/consumed.
func spendsRow(info *types.Info, args []ast.Expr) bool {
	for _, a := range args {
		tv := info.Types[a]
		if tv.Value == nil || tv.Value.Kind() != constant.String {
			continue
		}
		q := strings.ToUpper(strings.TrimSpace(constant.StringVal(tv.Value)))
		if strings.HasPrefix(q, "DELETE") {
			return true
		}
		if strings.HasPrefix(q, "UPDATE") && (strings.Contains(q, "USED") || strings.Contains(q, "REDEEMED") || strings.Contains(q, "CONSUMED")) {
			return true
		}
	}
	return false
}

func isInterface(e ast.Expr, info *types.Info) bool {
	_, ok := info.TypeOf(e).Underlying().(*types.Interface)
	return ok
}

// implementedHere reports whether a type of this package implements the
// store interface: then its lookup method is the store's, and a lookup
// that does not take the code is judged.
func implementedHere(pass *analysis.Pass, info *types.Info, srv *pkce.Server, lk *lookup) bool {
	iface, _ := info.TypeOf(lk.store).Underlying().(*types.Interface)
	if iface == nil {
		return false
	}
	scope := pass.Pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || types.IsInterface(tn.Type()) {
			continue
		}
		if types.Implements(tn.Type(), iface) || types.Implements(types.NewPointer(tn.Type()), iface) {
			return true
		}
	}
	return false
}

// checkExpiry reports a grant whose expiry is never compared on the
// redemption path, and an in-memory grant with none.
func checkExpiry(pass *analysis.Pass, scope []ast.Node, lk *lookup) {
	info := pass.TypesInfo
	st, named := grantStruct(lk.grant)
	if st == nil {
		return
	}
	var expiry []*types.Var
	for i := 0; i < st.NumFields(); i++ {
		if expiryName(st.Field(i).Name()) {
			expiry = append(expiry, st.Field(i))
		}
	}
	if len(expiry) == 0 {
		if lk.kind == mapStore || lk.kind == syncMapStore {
			pkce.Report(pass, lk.node, rule.ID, "stored authorization codes have no expiry, so a code leaked at any time can be redeemed later; store an expiry with the code (a minute or less) and reject redemptions after it")
		}
		return
	}
	for _, n := range scope {
		checked := false
		// A store into the expiry (tsidp's grant, reused for the access
		// token it issues: ar.validTill = now.Add(…)) compares nothing.
		written := make(map[*ast.SelectorExpr]bool)
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if sel, ok := astutil.Unparen(l).(*ast.SelectorExpr); ok {
						written[sel] = true
					}
				}
			case *ast.SelectorExpr:
				if written[n] {
					return true
				}
				obj := info.ObjectOf(n.Sel)
				if v, ok := obj.(*types.Var); ok && slices.Contains(expiry, v) {
					checked = true
				}
				if fn, ok := obj.(*types.Func); ok && named != nil && named.Obj().Pkg() != nil && pkce.IsMethod(fn, named.Obj().Pkg().Path(), named.Obj().Name(), fn.Name()) && expiryName(fn.Name()) {
					checked = true
				}
			}
			return !checked
		})
		if checked {
			return
		}
	}
	pkce.Report(pass, lk.node, rule.ID, "the stored grant has an expiry ("+expiry[0].Name()+") that the redemption never compares with the clock, so a late code is still redeemed; reject the code when time.Now() is past its expiry")
}

// grantStruct returns the struct a grant type is (or points to).
func grantStruct(t types.Type) (*types.Struct, *types.Named) {
	if t == nil {
		return nil, nil
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	named, _ := types.Unalias(t).(*types.Named)
	st, _ := t.Underlying().(*types.Struct)
	return st, named
}

// expiryName reports whether a field or method name speaks of an expiry:
// ExpiresAt, Expiry, Exp, TTL, Deadline, ValidUntil, NotAfter, Expired(),
// IsValid().
func expiryName(name string) bool {
	for _, w := range pkce.Words(name) {
		switch {
		case strings.HasPrefix(w, "expir"), w == "expires", w == "exp", w == "ttl", w == "deadline", w == "until", w == "notafter", w == "valid":
			return true
		}
	}
	lower := strings.ToLower(name)
	return lower == "notafter"
}

// checkFailedVerification reports a code_verifier check that rejects the
// request before the code is deleted: the code stays redeemable, so an
// attacker with a stolen code can keep guessing.
func checkFailedVerification(pass *analysis.Pass, ep *pkce.Endpoint, fn ast.Node, consumedAt token.Pos) {
	info := pass.TypesInfo
	verifierReads := ep.Reads[pkce.ParamCodeVerifier]
	var verifier *types.Var
	var read *ast.CallExpr
	if len(verifierReads) > 0 {
		read = verifierReads[0].Call
		verifier = pkce.ParamVar(info, verifierReads[0].Func, read)
	}
	ast.Inspect(fn, func(n ast.Node) bool {
		ifs, ok := n.(*ast.IfStmt)
		if !ok || ifs.Pos() > consumedAt || posIn(consumedAt, ifs) {
			return true
		}
		if !checksVerifier(info, ifs.Cond, read, verifier) || !pkce.RejectsOutright(info, ifs.Body.List) {
			return true
		}
		pkce.Report(pass, ifs.Cond, rule.ID, "a failed code_verifier check returns with the authorization code still stored, so the code can be tried again; delete the code before checking the verifier, or on failure too")
		return false
	})
}

// checksVerifier reports whether cond checks the verifier: it uses the
// code_verifier read, or compares a value named for a verifier or a
// challenge.
func checksVerifier(info *types.Info, cond ast.Expr, read *ast.CallExpr, v *types.Var) bool {
	if read != nil && pkce.Uses(info, cond, read, v) {
		return true
	}
	return pkce.Mentions(info, cond, "", "verifier") || pkce.Mentions(info, cond, "", "challenge")
}

func posIn(pos token.Pos, n ast.Node) bool { return n.Pos() <= pos && pos < n.End() }
