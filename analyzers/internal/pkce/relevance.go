package pkce

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

// RelevantFact marks a package the rules examine: one with a mark of
// OAuth or PKCE code (see relevant). An importer of such a package is
// examined too, because the package's call summaries can turn the
// importer's calls into authorization requests, token exchanges or
// verifier sinks.
type RelevantFact struct{}

// AFact marks RelevantFact as an analysis.Fact.
func (*RelevantFact) AFact() {}

func (*RelevantFact) String() string { return "relevant" }

// relevant reports whether anything in the package can be a PKCE finding
// or feed one, so that the SSA form, the call summaries and the rules'
// walks are worth their cost. Every finding of every rule starts from one
// of these marks in the package being judged:
//
//   - an import of golang.org/x/oauth2 (its requests, options and
//     verifier functions), or of a package that is itself relevant (its
//     call summaries: wrappers, option constructors, verifier helpers);
//   - an identifier, defined or used, whose name speaks of a verifier,
//     PKCE or a code challenge (verifier fields and globals, verifier
//     makers, code challenge checks, compared verifiers; see pkceName);
//   - a constant string that names an OAuth parameter of the code flow or
//     its values (hand-built requests and queries, server handlers reading
//     them, the plain method) or a struct tag that does.
//
// The test is a superset of what the rules match — a name or a string
// that merely contains the word is enough — so a package it rejects
// holds nothing any rule would report, and the rules skip it. Its
// functions are still summarised (what their results are made of, which
// map parameters they only read): an importer that is relevant may call
// them with a verifier or a request. A driver that sees the whole import
// graph can skip the packages no relevant package imports, directly or
// not, since their summaries reach no rule (Marked; the pkcevet binary
// does).
func relevant(pass *analysis.Pass) bool {
	return Marked(pass.Pkg, pass.TypesInfo, func(imp *types.Package) bool {
		return pass.ImportPackageFact(imp, new(RelevantFact))
	})
}

// Marked reports whether a package has one of the marks relevant looks
// for, given which of its imports are relevant (importRelevant: in an
// analysis pass, the imports with a RelevantFact; in a driver that sees
// the whole import graph, the imports Marked says yes to). It reads the
// package's type information, never its syntax trees or SSA form.
func Marked(pkg *types.Package, info *types.Info, importRelevant func(*types.Package) bool) bool {
	for _, imp := range pkg.Imports() {
		if imp.Path() == OAuth2Path || strings.HasPrefix(imp.Path(), OAuth2Path+"/") || importRelevant(imp) {
			return true
		}
	}
	for id, obj := range info.Defs {
		if markName(id.Name, obj) {
			return true
		}
	}
	for id, obj := range info.Uses {
		if markName(id.Name, obj) {
			return true
		}
	}
	// Constants and struct types alike are in Types: one pass over it
	// finds both kinds of text, with no walk of the files.
	for e, tv := range info.Types {
		switch {
		case tv.Value != nil && tv.Value.Kind() == constant.String:
			if oauthText(constant.StringVal(tv.Value)) {
				return true
			}
		case tv.IsType():
			if st, ok := e.(*ast.StructType); ok && st.Fields != nil {
				for _, field := range st.Fields.List {
					if field.Tag != nil && oauthText(field.Tag.Value) {
						return true
					}
				}
			}
		}
	}
	return false
}

// MarkedSyntax is Marked read from a package's syntax trees alone, for a
// driver that decides which packages to type-check: it reports true
// whenever Marked would on the type-checked package (it may report true
// where Marked would not). Where Marked reads types it reads, instead:
//
//   - for the imports, the files' import specs; importRelevant says
//     whether the package an import path names is relevant (the caller
//     resolves the path as the go command does);
//   - for the names defined or used, every identifier of the files but
//     the names of function declarations, which are read as function
//     names (pkceFuncName): a superset;
//   - for the constant strings, every string literal, and the values
//     constValues gives an expression that may be constant and refer to
//     other constants (an identifier, a selector, a concatenation, a
//     conversion; nil when it cannot say): the caller resolves them, in
//     the package or in the package an import names;
//   - for the struct tags, the tags of every struct type.
func MarkedSyntax(files []*ast.File, importRelevant func(path string) bool, constValues func(ast.Expr) []string) bool {
	imports := func(relevant func(string) bool) bool {
		for _, f := range files {
			for _, spec := range f.Imports {
				path, err := strconv.Unquote(spec.Path.Value)
				if err == nil && (path == OAuth2Path || strings.HasPrefix(path, OAuth2Path+"/") || relevant(path)) {
					return true
				}
			}
		}
		return false
	}
	// The cheap marks first: deciding an import's relevance, or
	// resolving constants, may read other packages.
	none := func(string) bool { return false }
	noConsts := func(ast.Expr) []string { return nil }
	return imports(none) || markedNodes(files, noConsts) || imports(importRelevant) || markedNodes(files, constValues)
}

// markedNodes is MarkedSyntax's walk of the files' nodes.
func markedNodes(files []*ast.File, constValues func(ast.Expr) []string) bool {
	marked := false
	var funcName *ast.Ident // the name of the function declaration being walked
	// Callees and types: no constant can be called, dereferenced or
	// be a type, so these are not resolved (resolving pkg.T parses the
	// files of pkg).
	notConst := make(map[ast.Expr]bool)
	skip := func(es ...ast.Expr) {
		for _, e := range es {
			if e != nil {
				notConst[astutil.Unparen(e)] = true
			}
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if marked {
				return false
			}
			switch n := n.(type) {
			case *ast.ImportSpec:
				return false // done above; its path is no constant
			case *ast.FuncDecl:
				funcName = n.Name
			case *ast.Ident:
				if n == funcName {
					marked = pkceFuncName(n.Name)
					break
				}
				marked = pkceName(n.Name) || !notConst[n] && oauthTexts(constValues(n))
			case *ast.BasicLit:
				if n.Kind == token.STRING {
					s, err := strconv.Unquote(n.Value)
					marked = err == nil && oauthText(s)
				}
			case *ast.StructType:
				for _, field := range n.Fields.List {
					if field.Tag != nil && oauthText(field.Tag.Value) {
						marked = true
					}
				}
			case *ast.CallExpr:
				skip(n.Fun)
				marked = oauthTexts(constValues(n))
			case *ast.SelectorExpr:
				marked = !notConst[n] && oauthTexts(constValues(n))
			case *ast.Field:
				skip(n.Type)
			case *ast.ValueSpec:
				skip(n.Type)
			case *ast.CompositeLit:
				skip(n.Type)
			case *ast.StarExpr:
				skip(n.X)
			case *ast.ArrayType:
				skip(n.Elt)
			case *ast.MapType:
				skip(n.Key, n.Value)
			case *ast.ChanType:
				skip(n.Value)
			case *ast.TypeAssertExpr:
				skip(n.Type)
			case *ast.TypeSpec:
				skip(n.Type)
			case *ast.BinaryExpr, *ast.ParenExpr:
				marked = oauthTexts(constValues(n.(ast.Expr)))
			}
			return !marked
		})
		if marked {
			return true
		}
	}
	return false
}

// oauthTexts reports whether one of texts is an oauthText.
func oauthTexts(texts []string) bool {
	for _, s := range texts {
		if oauthText(s) {
			return true
		}
	}
	return false
}

// markName reports whether an identifier that the type checker resolved
// to obj is a mark: a function's name by pkceFuncName, any other by
// pkceName.
func markName(name string, obj types.Object) bool {
	if _, ok := obj.(*types.Func); ok {
		return pkceFuncName(name)
	}
	return pkceName(name)
}

// pkceFuncName is pkceName for the name of a function or method: a
// verifier there must be a code verifier (checkCodeVerifier,
// newPKCEVerifier). Other protocols' key types have Verifier methods
// (tailscale's key.NLPublic.Verifier returns an ed25519 key, imported by
// nearly every package of the module), and no rule judges a function by
// a bare verifier in its name: a verifier helper is judged by what its
// result becomes (its call summary) where it is called, and the rules that
// read names read those of variables, fields and results. The exception
// is a function named as a verifier maker (GenerateVerifier,
// newRandomVerifier): weakverifier judges it in itself (makerSinks), so
// it is a mark whatever else the package holds; the bare Verifier is not
// one (IsVerifierMakerFunc asks its package or receiver, marks of their
// own).
func pkceFuncName(name string) bool {
	if containsFold(name, "pkce") || containsFold(name, "challenge") && pkceChallengeName(name) ||
		IsVerifierMaker(name) && len(Words(name)) > 1 {
		return true
	}
	return containsFold(name, "verifier") && (containsFold(name, "codeverifier") || slices.Contains(Words(name), "code"))
}

// pkceName reports whether an identifier speaks of a verifier, of PKCE,
// or of PKCE's challenge, in any case. A challenge alone is no mark:
// Noise, ACME, WebAuthn and challenge-response logins have challenges
// too (tailscale's key.ChallengePublic, acme.Challenge), and a package
// full of them has no PKCE code. It is PKCE's when the name qualifies it
// as a code challenge, a PKCE challenge or names its method
// (codeChallenge, code_challenge, PKCEChallenge, challengeMethod). A
// package that handles a bare challenge the rules would judge
// (challenge == stored) has another mark: the code_challenge parameter it
// reads, the S256 method or a verifier it hashes, an x/oauth2 import.
func pkceName(name string) bool {
	return containsFold(name, "verifier") || containsFold(name, "pkce") ||
		containsFold(name, "challenge") && pkceChallengeName(name)
}

// pkceChallengeName reports whether a name that contains "challenge"
// names PKCE's code challenge or its method: a word "code" or "method"
// beside it, or "codechallenge" written as one word.
func pkceChallengeName(name string) bool {
	if containsFold(name, "codechallenge") {
		return true
	}
	for _, w := range Words(name) {
		switch w {
		case "code", "method", "methods":
			return true
		}
	}
	return false
}

// oauthText reports whether a constant string names a parameter of the
// code flow or one of its values, or is a challenge method ("plain",
// "S256"). A bare "code" or "state" is no mark: they are JSON keys of
// JSON-RPC errors and of many payloads, and every rule that reads them
// also needs a mark that is one — a request the engine recognises has a
// response_type, grant_type, client_id, redirect_uri, client_secret or
// code_challenge (ParamSet.IsOAuth, the implied requests), and a callback
// redeems its code through x/oauth2, a relevant wrapper or such a
// request.
func oauthText(s string) bool {
	switch strings.Trim(s, "`\"") {
	case MethodPlain, MethodS256:
		return true
	}
	for _, t := range [...]string{ParamCodeChallenge, ParamCodeVerifier, ParamResponseType, ParamGrantType,
		ParamClientID, ParamRedirectURI, ParamClientSecret, "authorization_code"} {
		if strings.Contains(s, t) {
			return true
		}
	}
	return containsFold(s, "pkce") || queryAssigns(s, ParamCode) || queryAssigns(s, ParamState)
}

// queryAssigns reports whether s sets the query parameter name: "name="
// after '?' or '&' ("?code=%s", "&state=" + s), or at the start of s when
// s has no white space (a query has none: "state=%v " is a log format).
func queryAssigns(s, name string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], name+"=")
		if j < 0 {
			return false
		}
		j += i
		if j == 0 && !strings.ContainsAny(s, " \t\n") || j > 0 && (s[j-1] == '?' || s[j-1] == '&' || s[j-1] == '"' || s[j-1] == '`') {
			return true
		}
		i = j + 1
	}
}

// containsFold reports whether s contains the lower-case ASCII word sub,
// ignoring the case of s.
func containsFold(s, sub string) bool {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		match := true
		for j := 0; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
