// Package evaltargets is the list of pinned public OAuth modules that the
// eval (cmd/pkcevet/internal/eval) scores and the bench
// (cmd/pkcevet/internal/bench) measures: one list, so that the two
// cannot drift apart.
package evaltargets

import "strings"

// Module is one pinned module and, optionally, the packages of it to
// evaluate.
type Module struct {
	Mod string // module@version
	// Pkgs are package patterns relative to the module root ("gothic",
	// "providers/github", "oidc/..."); none means the whole module ("...").
	// Restrict a module only when it is too big to fetch and scan whole,
	// and say why next to it; labels.tsv rows must lie in these packages.
	Pkgs []string
}

// All returns the evaluation targets, pinned, in a new slice.
func All() []Module {
	return []Module{
		{Mod: "golang.org/x/oauth2@v0.37.0"},
		{Mod: "github.com/ory/fosite@v0.49.0"},
		{Mod: "github.com/zitadel/oidc/v3@v3.51.17"},
		{Mod: "github.com/go-oauth2/oauth2/v4@v4.5.4"},
		{Mod: "github.com/mark3labs/mcp-go@v1.2.1"},
		{Mod: "github.com/modelcontextprotocol/go-sdk@v1.8.0"},
		{Mod: "github.com/cli/oauth@v1.2.2"},
		{Mod: "github.com/coreos/go-oidc/v3@v3.21.0"},
		{Mod: "github.com/hashicorp/cap@v0.16.0"},
		// A hand-built mock OIDC provider (authorize, token, PKCE): the
		// server rules' first module from outside the earlier ten.
		{Mod: "github.com/oauth2-proxy/mockoidc@v0.0.0-20261103160011-e06ed0b7cb7f"},
		// tsidp, Tailscale's OIDC provider for the tailnet: a second
		// hand-built authorization server (authorize, token, its own
		// code store), in a module of ~900 packages, so only it.
		{Mod: "tailscale.com@v1.102.5", Pkgs: []string{"cmd/tsidp"}},
		// goth has about 70 provider packages; the eval keeps gothic and
		// the providers labelled in labels.tsv (hand-built WeChat
		// requests, PKCE options, options slices, plain
		// AuthCodeURL/Exchange).
		{Mod: "github.com/markbates/goth@v1.82.0", Pkgs: []string{
			"gothic",
			"providers/fitbit",
			"providers/github",
			"providers/google",
			"providers/openidConnect",
			"providers/wechat",
		}},
	}
}

// Path is the module path.
func (m Module) Path() string {
	path, _, _ := strings.Cut(m.Mod, "@")
	return path
}

// Version is the pinned version.
func (m Module) Version() string {
	_, version, _ := strings.Cut(m.Mod, "@")
	return version
}

// Patterns returns the module's package patterns as import paths.
func (m Module) Patterns() []string {
	if len(m.Pkgs) == 0 {
		return []string{m.Path() + "/..."}
	}
	var ps []string
	for _, p := range m.Pkgs {
		ps = append(ps, m.Path()+"/"+p)
	}
	return ps
}

// ScratchName is the name of the module's scratch directory, one per
// module under the eval's work directory (so that one module's
// requirements do not upgrade another's dependencies).
func (m Module) ScratchName() string {
	return strings.NewReplacer("/", "_", "@", "_").Replace(m.Mod)
}
