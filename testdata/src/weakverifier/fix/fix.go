package fix

import (
	"context"
	"math/rand"
	"strconv"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"
)

var cfg = &oauth2.Config{}

// A verifier made in place is used nowhere else: it becomes
// oauth2.GenerateVerifier(), and the imports only it used go.
func uuidInPlace(state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(uuid.NewString())) // want `code verifier used in oauth2.S256ChallengeOption is a UUID`
}

func mathRandInPlace(state string) string {
	return cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(strconv.Itoa(rand.Int()))) // want `comes from math/rand.Int`
}

func clockInPlace() oauth2.AuthCodeOption {
	return oauth2.VerifierOption(strconv.FormatInt(time.Now().UnixNano(), 10)) // want `comes from time.Now`
}

// No fix: the verifier in a variable is also sent to Exchange; both ends
// must change together.
func held(ctx context.Context, state, code string) string {
	v := strconv.FormatInt(time.Now().Unix(), 10)
	u := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(v)) // want `comes from time.Now`
	cfg.Exchange(ctx, code, oauth2.VerifierOption(v))
	return u
}

// No fix: the same expression at both ends gives the same value (within
// the hour), and replacing one of them would break the flow.
func repeated(ctx context.Context, code string) string {
	u := cfg.AuthCodeURL("", oauth2.S256ChallengeOption(time.Now().Format("2006010215"))) // want `comes from time.Now`
	cfg.Exchange(ctx, code, oauth2.VerifierOption(time.Now().Format("2006010215")))       // want `comes from time.Now`
	return u
}
