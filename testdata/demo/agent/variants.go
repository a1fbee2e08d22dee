package agent

import (
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"example.com/pkcedemo/internal/pkceutil"
)

// The Start* variants below are the ways earlier versions of the agent began a flow. Each differs
// from Start in one respect; the trailing comment says whether pkcevet must report it.

// demoVerifier was hard-coded while debugging against a test server.
const demoVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" // ok: a constant is not storage; its use below is PKCE003

// --- the verifier (PKCE003) ---

// StartTextVerifier uses crypto/rand.Text (26 characters of base32, 128 bits).
func (a *Agent) StartTextVerifier() *Flow {
	s, v := newState(), rand.Text()
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // ok: crypto/rand.Text
}

// StartHelperVerifier uses the 32-byte crypto/rand helper from another package.
func (a *Agent) StartHelperVerifier() *Flow {
	s, v := newState(), pkceutil.StrongVerifier()
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // ok: 32 crypto/rand bytes via a helper
}

// StartLongVerifier uses 64 characters from the crypto/rand alphabet helper.
func (a *Agent) StartLongVerifier() *Flow {
	s, v := newState(), pkceutil.RandomString(64)
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // ok: 64 crypto/rand characters
}

// StartLegacyVerifier uses v0.1's math/rand generator from pkceutil.
func (a *Agent) StartLegacyVerifier() *Flow {
	s, v := newState(), pkceutil.LegacyVerifier()
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // want PKCE003
}

// StartShortVerifier uses only 16 crypto/rand bytes.
func (a *Agent) StartShortVerifier() *Flow {
	s, v := newState(), pkceutil.ShortVerifier()
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // want PKCE003
}

// StartShortStringVerifier uses 20 characters (about 120 bits) from the alphabet helper.
func (a *Agent) StartShortStringVerifier() *Flow {
	s, v := newState(), pkceutil.RandomString(20)
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // want PKCE003
}

// StartUUIDVerifier uses a UUID: 122 random bits in a guessable layout, 36 characters.
func (a *Agent) StartUUIDVerifier() *Flow {
	s, v := newState(), uuid.NewString()
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // want PKCE003
}

// StartMathRandVerifier uses math/rand/v2 directly.
func (a *Agent) StartMathRandVerifier() *Flow {
	s, v := newState(), strconv.FormatUint(mrand.Uint64(), 36)+strconv.FormatUint(mrand.Uint64(), 36)
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // want PKCE003
}

// StartClockVerifier derives the verifier from the process ID and the clock.
func (a *Agent) StartClockVerifier() *Flow {
	s, v := newState(), fmt.Sprintf("agent-%d-%d", os.Getpid(), time.Now().UnixNano())
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // want PKCE003
}

// StartConstVerifier sends the hard-coded debugging verifier.
func (a *Agent) StartConstVerifier() *Flow {
	s := newState()
	return &Flow{s, demoVerifier, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(demoVerifier))} // want PKCE003
}

// --- the state (PKCE004) ---

// StartUUIDState uses a random (v4) UUID as state.
func (a *Agent) StartUUIDState() *Flow {
	s, v := uuid.NewString(), oauth2.GenerateVerifier()
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // ok: UUIDv4 state is acceptable
}

// StartConstState sends the literal "state", as copied from a tutorial.
func (a *Agent) StartConstState() *Flow {
	v := oauth2.GenerateVerifier()
	return &Flow{"state", v, a.cfg.AuthCodeURL("state", oauth2.S256ChallengeOption(v))} // want PKCE004
}

// StartEmptyState sends no state at all.
func (a *Agent) StartEmptyState() *Flow {
	v := oauth2.GenerateVerifier()
	return &Flow{"", v, a.cfg.AuthCodeURL("", oauth2.S256ChallengeOption(v))} // want PKCE004
}

// StartMathRandState takes state from math/rand/v2.
func (a *Agent) StartMathRandState() *Flow {
	s, v := strconv.FormatInt(mrand.Int64(), 36), oauth2.GenerateVerifier()
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // want PKCE004
}

// StartClockState takes state from the clock.
func (a *Agent) StartClockState() *Flow {
	s, v := time.Now().Format(time.RFC3339Nano), oauth2.GenerateVerifier()
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // want PKCE004
}

// StartShortState uses 10 characters (about 60 bits) from the alphabet helper.
func (a *Agent) StartShortState() *Flow {
	s, v := pkceutil.RandomString(10), oauth2.GenerateVerifier()
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.S256ChallengeOption(v))} // want PKCE004
}

// --- the challenge (PKCE001, PKCE002) ---

// StartNoChallenge sends no code_challenge: a stolen code can be redeemed by anyone.
func (a *Agent) StartNoChallenge() *Flow {
	s, v := newState(), oauth2.GenerateVerifier()
	return &Flow{s, v, a.cfg.AuthCodeURL(s)} // want PKCE001
}

// StartVerifierInURL confuses the options: the verifier itself goes out on the front channel.
func (a *Agent) StartVerifierInURL() *Flow {
	s, v := newState(), oauth2.GenerateVerifier()
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.VerifierOption(v))} // want PKCE001
}

// StartPlain sends the verifier as its own challenge with method plain.
func (a *Agent) StartPlain() *Flow {
	s, v := newState(), oauth2.GenerateVerifier()
	return &Flow{s, v, a.cfg.AuthCodeURL(s,
		oauth2.SetAuthURLParam("code_challenge", v),
		oauth2.SetAuthURLParam("code_challenge_method", "plain"), // want PKCE002
	)}
}

// StartNoMethod sends an S256 challenge but no method, so the server assumes plain and fails.
func (a *Agent) StartNoMethod() *Flow {
	s, v := newState(), oauth2.GenerateVerifier()
	return &Flow{s, v, a.cfg.AuthCodeURL(s, oauth2.SetAuthURLParam("code_challenge", oauth2.S256ChallengeFromVerifier(v)))} // want PKCE002
}

// StartManualS256 sets both parameters by hand, correctly.
func (a *Agent) StartManualS256() *Flow {
	s, v := newState(), oauth2.GenerateVerifier()
	return &Flow{s, v, a.cfg.AuthCodeURL(s,
		oauth2.SetAuthURLParam("code_challenge", oauth2.S256ChallengeFromVerifier(v)),
		oauth2.SetAuthURLParam("code_challenge_method", "S256"), // ok: S256 set by hand
	)}
}

// --- one flow's secrets shared by all (PKCE008) ---

// SharedAgent is v0.1's agent: one verifier made when the agent starts and sent with every login.
// Agent.Start, above, makes one per login.
type SharedAgent struct {
	cfg      *oauth2.Config
	verifier string
}

// NewSharedAgent makes the agent's only verifier.
func NewSharedAgent(cfg *oauth2.Config) *SharedAgent {
	return &SharedAgent{cfg: cfg, verifier: oauth2.GenerateVerifier()}
}

// LoginURL starts a login with the caller's state and the agent's verifier.
func (a *SharedAgent) LoginURL(state string) string {
	return a.cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(a.verifier)) // want PKCE008
}
