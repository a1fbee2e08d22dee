package a

import (
	"context"
	"errors"
	"regexp"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}

// Named stores whose types can hold verifiers.
var codeVerifier string // want `package-level variable codeVerifier holds PKCE code verifiers shared by every flow`

var verifiers = map[string]string{} // want `package-level variable verifiers holds PKCE code verifiers`

var pkceVerifiers sync.Map // want `package-level variable pkceVerifiers holds PKCE code verifiers`

// A set of verifiers holds them in its keys.
var usedVerifiers = map[string]bool{} // want `package-level variable usedVerifiers holds PKCE code verifiers`

// Verifier constructors by issuer, a test hook (supabase's): the keys are
// issuers, the values make ID-token verifiers.
var OverrideVerifiers = make(map[string]func(context.Context) *oidc.IDTokenVerifier)

var verifierList []string // want `package-level variable verifierList holds PKCE code verifiers`

// Structures with a verifier field, reachable from package variables.
type session struct {
	State        string
	CodeVerifier string
}

type flowState struct {
	Secret string `json:"code_verifier"`
}

var current = &session{} // want `package-level variable current holds PKCE code verifiers`

var sessions = map[string]*session{} // want `package-level variable sessions holds PKCE code verifiers`

var flows []flowState // want `package-level variable flows holds PKCE code verifiers`

// Any name, when verifiers flow in or out.
var pending = map[string]string{} // want `package-level variable pending holds PKCE code verifiers`

var inflight sync.Map // want `package-level variable inflight holds PKCE code verifiers`

func login(state string) string {
	v := oauth2.GenerateVerifier()
	pending[state] = v
	inflight.Store(state, v)
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(v))
}

var last string // want `package-level variable last holds PKCE code verifiers`

func callback(ctx context.Context, state, code string) {
	cfg.Exchange(ctx, code, oauth2.VerifierOption(last))
}

// Look-alikes.

const verifierLen = 43

var (
	ErrVerifierMismatch = errors.New("code_verifier mismatch")
	verifierPattern     = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)
	verifiersMu         sync.Mutex
	idTokenVerifier     *oidc.IDTokenVerifier
	verifier            = (&oidc.Provider{}).Verifier(&oidc.Config{ClientID: "x"})
	verifierFunc        = func(s string) bool { return len(s) >= verifierLen }
	maxVerifierLength   = 128
)

func validVerifier(s string) bool { return verifierPattern.MatchString(s) }

// Per-instance storage is fine.
type Server struct {
	mu        sync.Mutex
	verifiers map[string]string
}

func (s *Server) login(state string) string {
	v := oauth2.GenerateVerifier()
	s.mu.Lock()
	s.verifiers[state] = v
	s.mu.Unlock()
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(v))
}

var remembered sync.Map // want `package-level variable remembered holds PKCE code verifiers`

func remember(state, codeVerifier string) { remembered.Store(state, codeVerifier) }

// A package-level cache of something else.
var names sync.Map

func rememberName(id, displayName string) { names.Store(id, displayName) }
