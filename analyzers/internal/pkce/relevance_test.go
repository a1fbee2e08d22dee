package pkce

import (
	"go/ast"
	"go/types"
	"testing"
)

// TestMarked checks the marks that make a package relevant, and the
// look-alikes that must not: the rules skip a package Marked rejects, so
// a mark it misses is a finding lost.
func TestMarked(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		// Names, defined or used, in any case.
		{`package p; var codeVerifier string`, true},
		{`package p; type T struct{ PKCE bool }`, true},
		{`package p; func f(challengeMethod string) {}`, true},
		{`package p; type T struct{ CodeChallenge string }; func f(t T) string { return t.CodeChallenge }`, true},
		// Parameters and values of the code flow, in constants and tags.
		{`package p; var u = "https://as.example/authorize?response_type=code"`, true},
		{`package p; var v = map[string]string{"client_id": "x", "code": "y"}`, true},
		{`package p; var v = map[string]string{"redirect_uri": "x", "state": "y"}`, true},
		{`package p; var s = "/callback?code=" + x; var x string`, true},
		{`package p; var m = map[string]string{"grant_type": "authorization_code"}`, true},
		{`package p; const method = "S256"`, true},
		{`package p; var msg = "Pkce is required"`, true},
		{"package p; type R struct{ C string `json:\"code_challenge\"` }", true},
		{"package p; func f() any { return struct{ V string `form:\"code_verifier\"` }{} }", true},
		// Look-alikes: words that contain a parameter's name, a "code="
		// that sets no query parameter, a JSON error code.
		{`package p; var s = "exit code=" + x; var x string`, false},
		{`package p; var s = "statement"; var e = "encode"`, false},
		{"package p; type E struct{ Code int `json:\"code\"`; State string `json:\"state\"` }", false},
		{`package p; func Verify(sig []byte) bool { return len(sig) > 0 }`, false},
		// Other protocols' challenges (Noise, ACME, challenge-response
		// logins): a challenge is PKCE's when a name says code challenge
		// or its method.
		{`package p; type ChallengePublic [32]byte; func f(challenge []byte) bool { return len(challenge) > 0 }`, false},
		{`package p; type Challenge struct{ Token string }; var challenges []Challenge`, false},
		{`package p; func f(codechallenge string) {}`, true},
		{`package p; var code_challenge_method string`, true},
		{`package p; type T struct{ PKCEChallenge []byte }`, true},
		// Other protocols' verifiers as functions and methods (a key's
		// Verifier method) are no mark; a code verifier function is, and
		// so is a variable called verifier.
		{`package p; type K []byte; func (k K) Verifier() []byte { return k }`, false},
		{`package p; func FullVerifierCheck() {}`, false},
		{`package p; func checkCodeVerifier(a, b string) bool { return a == b }`, true},
		{`package p; func newPKCEVerifier() string { return "" }`, true},
		// A function named as a verifier maker is judged in itself
		// (weakverifier's maker sinks), so it is a mark; a bare Verifier
		// is not.
		{`package p; func GenerateVerifier() string { return "" }`, true},
		{`package p; func newRandomVerifier() string { return "" }`, true},
		{`package p; func f() { verifier := 1; _ = verifier }`, true},
		// "state=" at the start of a string is a query only with no
		// white space in it.
		{`package p; var s = "state=" + x; var x string`, true},
		{`package p; var s = "state=%v "`, false},
		{`package p; var state, code int`, false},
		// A bare "code" or "state" is a JSON key as often as a parameter.
		{`package p; func f(get func(string) string) string { return get("state") + get("code") }`, false},
	} {
		pkg, info, f := checkSnippet(t, c.src)
		none := func(*types.Package) bool { return false }
		if got := Marked(pkg, info, none); got != c.want {
			t.Errorf("Marked(%s) = %v, want %v", c.src, got, c.want)
		}
		// The syntax test decides which packages are type-checked: it
		// must hold wherever Marked does (here, it says the same).
		noImports := func(string) bool { return false }
		noConsts := func(ast.Expr) []string { return nil }
		if got := MarkedSyntax([]*ast.File{f}, noImports, noConsts); got != c.want {
			t.Errorf("MarkedSyntax(%s) = %v, want %v", c.src, got, c.want)
		}
	}
}

// TestMarkedImports checks the marks that come from imports: x/oauth2
// and its subpackages, and an import the caller says is relevant.
func TestMarkedImports(t *testing.T) {
	oauth2 := types.NewPackage(OAuth2Path, "oauth2")
	endpoints := types.NewPackage(OAuth2Path+"/endpoints", "endpoints")
	helper := types.NewPackage("example.com/authhelper", "authhelper")
	other := types.NewPackage(OAuth2Path+"x", "oauth2x")
	info := &types.Info{}
	for _, c := range []struct {
		imp      *types.Package
		relevant bool
		want     bool
	}{
		{oauth2, false, true},
		{endpoints, false, true},
		{helper, true, true},
		{helper, false, false},
		{other, false, false}, // a path that only starts like x/oauth2's
	} {
		pkg := types.NewPackage("example.com/p", "p")
		pkg.SetImports([]*types.Package{c.imp})
		got := Marked(pkg, info, func(imp *types.Package) bool { return c.relevant && imp == c.imp })
		if got != c.want {
			t.Errorf("Marked(import %s, relevant %v) = %v, want %v", c.imp.Path(), c.relevant, got, c.want)
		}
	}
}
