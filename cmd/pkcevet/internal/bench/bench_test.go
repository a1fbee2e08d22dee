package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/packages"

	"github.com/pkcevet/pkcevet/analyzers"
	"github.com/pkcevet/pkcevet/analyzers/weakverifier"
	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/evaltargets"
)

// TestModulesMatchEval checks that the bench measures the modules the
// eval scores: both take them from package evaltargets, and the eval keeps
// no list of its own.
func TestModulesMatchEval(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../eval/main.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	const list = "github.com/pkcevet/pkcevet/cmd/pkcevet/internal/evaltargets"
	if !slices.ContainsFunc(f.Imports, func(s *ast.ImportSpec) bool { return s.Path.Value == strconv.Quote(list) }) {
		t.Errorf("eval/main.go does not import %s", list)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for _, name := range vs.Names {
				if name.Name == "modules" {
					t.Errorf("eval/main.go declares a list of its own: %s", name.Name)
				}
			}
		}
		return true
	})
	if n := len(evaltargets.All()); n < 10 {
		t.Errorf("evaltargets.All() has %d modules, want the ten of the eval", n)
	}
}

// copies is how many times the generated package repeats the shapes: 21
// functions each.
const copies = 10

// ruleAnalyzers are the analyzers pkcevet runs.
func ruleAnalyzers() []*analysis.Analyzer {
	return analyzers.All()
}

// generatedHeader is the fixed part of the generated package.
const generatedHeader = `package gen

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"log"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{ClientID: "client", RedirectURL: "http://127.0.0.1/cb",
	Endpoint: oauth2.Endpoint{AuthURL: "https://as.example/authorize", TokenURL: "https://as.example/token"}}

type grant struct{ challenge, method string }

func newState() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
`

// generatedShapes are the PKCE shapes of the demo module (mistakes and
// their correct twins), %[1]d being the copy's number: 24 functions.
const generatedShapes = `
func StartOK%[1]d() (string, string, string) {
	s, v := newState(), oauth2.GenerateVerifier()
	return cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v)), s, v
}

func StartNoChallenge%[1]d() string {
	s := newState()
	return cfg.AuthCodeURL(s) // PKCE001
}

func StartVerifierInURL%[1]d() string {
	s, v := newState(), oauth2.GenerateVerifier()
	return cfg.AuthCodeURL(s, oauth2.VerifierOption(v)) // PKCE001
}

func StartPlain%[1]d() string {
	s, v := newState(), oauth2.GenerateVerifier()
	return cfg.AuthCodeURL(s,
		oauth2.SetAuthURLParam("code_challenge", v),
		oauth2.SetAuthURLParam("code_challenge_method", "plain")) // PKCE002
}

func StartMathRandVerifier%[1]d() string {
	s, v := newState(), strconv.FormatUint(mrand.Uint64(), 36)+strconv.FormatUint(mrand.Uint64(), 36)
	return cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v)) // PKCE003
}

func StartClockVerifier%[1]d() string {
	s, v := newState(), fmt.Sprintf("agent-%%d", time.Now().UnixNano())
	return cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v)) // PKCE003
}

func shortVerifier%[1]d() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func StartShortVerifier%[1]d() string {
	s, v := newState(), shortVerifier%[1]d()
	return cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v)) // PKCE003, through a helper's fact
}

func StartConstState%[1]d() string {
	v := oauth2.GenerateVerifier()
	return cfg.AuthCodeURL("state", oauth2.S256ChallengeOption(v)) // PKCE004
}

func StartMathRandState%[1]d() string {
	s, v := strconv.FormatInt(mrand.Int64(), 36), oauth2.GenerateVerifier()
	return cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v)) // PKCE004
}

func StartManualS256%[1]d() string {
	s, v := newState(), oauth2.GenerateVerifier()
	return cfg.AuthCodeURL(s,
		oauth2.SetAuthURLParam("code_challenge", oauth2.S256ChallengeFromVerifier(v)),
		oauth2.SetAuthURLParam("code_challenge_method", "S256"))
}

func AuthURLValues%[1]d(state string) string {
	q := url.Values{
		"response_type": {"code"}, // PKCE001
		"client_id":     {cfg.ClientID},
		"redirect_uri":  {cfg.RedirectURL},
		"state":         {state},
	}
	return cfg.Endpoint.AuthURL + "?" + q.Encode()
}

func AuthURLSprintfPlain%[1]d(state, verifier string) string {
	return fmt.Sprintf("%%s?response_type=code&client_id=%%s&state=%%s&code_challenge=%%s&code_challenge_method=plain", // PKCE002
		cfg.Endpoint.AuthURL, url.QueryEscape(cfg.ClientID), url.QueryEscape(state), verifier)
}

func RedeemForm%[1]d(code string) url.Values {
	return url.Values{
		"grant_type":   {"authorization_code"}, // PKCE001
		"code":         {code},
		"redirect_uri": {cfg.RedirectURL},
		"client_id":    {cfg.ClientID},
	}
}

func Finish%[1]d(ctx context.Context, code, verifier string) (*oauth2.Token, error) {
	return cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
}

func FinishLogged%[1]d(ctx context.Context, code, verifier string) (*oauth2.Token, error) {
	log.Printf("exchanging with verifier %%s", verifier) // PKCE007
	return cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
}

var verifiers%[1]d = map[string]string{} // PKCE006

func Remember%[1]d(state, verifier string) { verifiers%[1]d[state] = verifier }

func verify%[1]d(g grant, verifier string) bool {
	return subtle.ConstantTimeCompare([]byte(s256(verifier)), []byte(g.challenge)) == 1
}

func legacyVerify%[1]d(g grant, verifier string) bool {
	if g.method == "S256" {
		return bytes.Equal([]byte(s256(verifier)), []byte(g.challenge)) // PKCE005
	}
	return verifier == g.challenge // PKCE005
}

func Authorize%[1]d(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("code_challenge") == "" {
		http.Error(w, "invalid_request: code_challenge is required", http.StatusBadRequest)
		return
	}
	switch method := q.Get("code_challenge_method"); method {
	case "S256", "plain": // PKCE002
		w.WriteHeader(http.StatusFound)
	default:
		http.Error(w, "invalid_request", http.StatusBadRequest)
	}
}

var codes%[1]d = map[string]grant{}

func Token%[1]d(w http.ResponseWriter, r *http.Request) {
	g, ok := codes%[1]d[r.PostFormValue("code")] // PKCE010
	if !ok || !verify%[1]d(g, r.PostFormValue("code_verifier")) {
		http.Error(w, "invalid_grant", http.StatusBadRequest)
		return
	}
	w.Write([]byte("access_token"))
}

func AuthorizeRedirect%[1]d(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") == "" || !strings.HasPrefix(q.Get("redirect_uri"), "http://127.0.0.1") { // PKCE009
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, q.Get("redirect_uri")+"?code=c", http.StatusFound)
}

func Routes%[1]d(mux *http.ServeMux) {
	v := oauth2.GenerateVerifier()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, cfg.AuthCodeURL(newState(), oauth2.S256ChallengeOption(v)), http.StatusFound) // PKCE008
	})
}

func CompatAuthorize%[1]d(r *http.Request) grant {
	q := r.URL.Query()
	g := grant{challenge: q.Get("code_challenge"), method: q.Get("code_challenge_method")}
	if g.method == "" {
		g.method = "plain" // PKCE002
	}
	return g
}
`

// loadGenerated writes the generated package (copies × 24 functions) into
// a module in a temporary directory and loads it as pkcevet's driver does:
// from source, its imports from export data, its Imports cut (it is the
// only root).
func loadGenerated(tb testing.TB) []*packages.Package {
	tb.Helper()
	dir := tb.TempDir()
	stub, err := os.ReadFile("../../../../testdata/src/golang.org/x/oauth2/oauth2.go")
	if err != nil {
		tb.Fatal(err)
	}
	var src strings.Builder
	src.WriteString(generatedHeader)
	for i := range copies {
		fmt.Fprintf(&src, generatedShapes, i)
	}
	for name, content := range map[string]string{
		"go.mod":               "module example.com/gen\n\ngo 1.26\n\nrequire golang.org/x/oauth2 v0.37.0\n\nreplace golang.org/x/oauth2 => ./oauth2stub\n",
		"oauth2stub/go.mod":    "module golang.org/x/oauth2\n\ngo 1.26\n",
		"oauth2stub/oauth2.go": string(stub),
		"gen.go":               src.String(),
	} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	cfg := &packages.Config{
		Mode: packages.LoadSyntax,
		Dir:  dir,
		Env:  append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=mod"),
	}
	pkgs, err := packages.Load(cfg, "example.com/gen")
	if err != nil {
		tb.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 || len(pkgs) != 1 {
		tb.Fatalf("loading the generated package: %d packages, errors above", len(pkgs))
	}
	pkgs[0].Imports = nil // analyse the root only, as the driver's prune does
	return pkgs
}

// analyze runs the analyzers on pkgs and returns the root diagnostics by
// analyzer name.
func analyze(tb testing.TB, analyzers []*analysis.Analyzer, pkgs []*packages.Package) map[string]int {
	graph, err := checker.Analyze(analyzers, pkgs, &checker.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	counts := make(map[string]int)
	for act := range graph.All() {
		if act.Err != nil {
			tb.Fatalf("%s: %v", act, act.Err)
		}
	}
	for _, act := range graph.Roots {
		counts[act.Analyzer.Name] += len(act.Diagnostics)
	}
	return counts
}

// TestGeneratedPackage checks that every rule has findings in the
// generated package, so that the benchmarks exercise them all.
func TestGeneratedPackage(t *testing.T) {
	counts := analyze(t, ruleAnalyzers(), loadGenerated(t))
	for _, a := range ruleAnalyzers() {
		if counts[a.Name] < copies {
			t.Errorf("%s: %d diagnostics in %d copies of the shapes, want at least one per copy", a.Name, counts[a.Name], copies)
		}
	}
	t.Logf("diagnostics: %v", counts)
}

// BenchmarkAnalyzers runs each rule analyzer (with its prerequisites, as
// pkcevet would run it alone), all of them together, and the shared
// prerequisites alone, on one generated package of 210 functions loaded
// once.
func BenchmarkAnalyzers(b *testing.B) {
	pkgs := loadGenerated(b)
	flow := weakverifier.Analyzer.Requires[0] // analyzers/internal/pkce's shared analyzer
	cases := []struct {
		name      string
		analyzers []*analysis.Analyzer
	}{
		{"inspect", []*analysis.Analyzer{inspect.Analyzer}},
		{"buildssa", []*analysis.Analyzer{buildssa.Analyzer}},
		{flow.Name + "(shared)", []*analysis.Analyzer{flow}},
	}
	for _, a := range ruleAnalyzers() {
		cases = append(cases, struct {
			name      string
			analyzers []*analysis.Analyzer
		}{a.Name, []*analysis.Analyzer{a}})
	}
	cases = append(cases, struct {
		name      string
		analyzers []*analysis.Analyzer
	}{"all", ruleAnalyzers()})
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				analyze(b, c.analyzers, pkgs)
			}
		})
	}
}
