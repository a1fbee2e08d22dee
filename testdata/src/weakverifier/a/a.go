package a

import (
	"context"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	mrand "math/rand"
	mrand2 "math/rand/v2"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"weakverifier/randutil"
)

var cfg = &oauth2.Config{}

func constant() string {
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption("not-random-at-all-xxxxxxxxxxxxxxxxxxxxxxxxxxx")) // want `code verifier used in oauth2.S256ChallengeOption is the constant "not-random-at-all-x+", the same for every flow`
}

func mathRand() string {
	v := strconv.FormatInt(mrand.Int63(), 36)
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)) // want `comes from math/rand.Int63 \(a.go:\d+\), which an attacker can predict`
}

func mathRandV2() string {
	v := fmt.Sprintf("%x%x", mrand2.Uint64(), mrand2.Uint64())
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)) // want `comes from math/rand/v2.Uint64`
}

func clock() oauth2.AuthCodeOption {
	return oauth2.VerifierOption(strconv.FormatInt(time.Now().UnixNano(), 10) + strconv.Itoa(os.Getpid())) // want `comes from time.Now`
}

func uuidVerifier() string {
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(uuid.NewString())) // want `is a UUID from uuid.NewString`
}

func short() string {
	b := make([]byte, 16)
	if _, err := crand.Read(b); err != nil {
		panic(err)
	}
	v := base64.RawURLEncoding.EncodeToString(b)
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)) // want `carries only 128 bits of randomness \(16 bytes from crypto/rand`
}

func hashed() string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(time.Now().Unix(), 10)))
	v := base64.RawURLEncoding.EncodeToString(sum[:])
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)) // want `comes from time.Now`
}

// Cross-package: the helper is weak; the finding is here, where it is used.
func viaHelper() string {
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(randutil.Weak(64))) // want `comes from math/rand.Intn \(testdata/src/weakverifier/randutil/randutil.go:\d+\)`
}

// A length argument counts bytes here: 16 bytes are too few...
func viaHelperShort() oauth2.AuthCodeOption {
	v, _ := randutil.Bytes(16)
	return oauth2.VerifierOption(v) // want `carries only 128 bits`
}

// ...and 32 are enough.
func viaHelperLong() oauth2.AuthCodeOption {
	v, _ := randutil.Bytes(32)
	return oauth2.VerifierOption(v)
}

func viaHexHelper() oauth2.AuthCodeOption {
	return oauth2.VerifierOption(randutil.Hex()) // want `carries only 128 bits`
}

// Per-character alphabet loops: bits per character × length.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

func localLoop(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[mrand.Intn(len(alphabet))]
	}
	return string(b)
}

func viaLocalLoop() string {
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(localLoop(64))) // want `comes from math/rand.Intn`
}

// Struct fields: the verifier is judged where it is stored into the field.
type flow struct {
	CodeVerifier string
	state        string
}

func start() *flow {
	return &flow{CodeVerifier: randutil.Weak(50), state: "x"} // want `code verifier used in field CodeVerifier comes from math/rand.Intn`
}

func finish(ctx context.Context, f *flow, code string) {
	cfg.Exchange(ctx, code, oauth2.VerifierOption(f.CodeVerifier))
}

// A field without a verifier name is followed from store to use.
type pending struct{ secret string }

func (p *pending) begin() string {
	p.secret = fmt.Sprint(mrand.Int())
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(p.secret)) // want `comes from math/rand.Int`
}

// Closures and method values.
func closure() string {
	gen := func() string { return strconv.Itoa(mrand.Int()) }
	v := gen()
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)) // want `comes from math/rand.Int`
}

// Generics.
func first[T any](xs ...T) T { return xs[0] }

func generic() string {
	v := first(randutil.Weak(64))
	_ = v
	return ""
}

// Form parameters of a hand-built token request.
func tokenForm(code string) url.Values {
	return url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"code_verifier": {uuid.New().String()}, // want `code verifier used in the code_verifier parameter is a UUID`
	}
}

// Look-alikes that must not be reported.

func good() string {
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
}

func goodText() string {
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(crand.Text()))
}

func good32() string {
	var b [32]byte
	if _, err := crand.Read(b[:]); err != nil {
		panic(err)
	}
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(base64.RawURLEncoding.EncodeToString(b[:])))
}

func goodLoop() string {
	b := make([]byte, 64)
	for i := range b {
		n, _ := crand.Int(crand.Reader, bigInt(len(alphabet)))
		b[i] = alphabet[n.Int64()]
	}
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(string(b)))
}

func unknownSource(v string) string {
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v))
}

func jitter() time.Duration {
	return time.Duration(mrand.Intn(1000)) * time.Millisecond
}

func requestID() string {
	return uuid.NewString()
}

func displayName() string {
	return randutil.Display()
}

// Two flows of one struct type are kept apart when the objects can be
// followed to their allocation.
type attempt struct{ secret string }

func newWeakAttempt() *attempt   { return &attempt{secret: strconv.Itoa(mrand.Int())} }
func newStrongAttempt() *attempt { return &attempt{secret: oauth2.GenerateVerifier()} }

func useStrongAttempt() string {
	at := newStrongAttempt()
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(at.secret))
}

func useWeakAttempt() string {
	at := newWeakAttempt()
	return cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(at.secret)) // want `comes from math/rand.Int`
}

// Copying a verifier from one verifier field to another is judged where
// it was first stored.
type saved struct{ Verifier string }

func keep(f *flow) saved { return saved{Verifier: f.CodeVerifier} }
