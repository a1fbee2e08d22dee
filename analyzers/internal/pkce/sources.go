package pkce

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// The randomness sources, encoders and pass-through functions of the
// standard library and the common UUID and OAuth packages, recognised by
// the identity of the called function.

// uuidPaths are the UUID packages in common use.
var uuidPaths = []string{"github.com/google/uuid", "github.com/gofrs/uuid", "github.com/gofrs/uuid/v5", "github.com/satori/go.uuid"}

// known returns the origin of result index of a call to a recognised
// function; ok is false when fn is not one.
func (e *Evaluator) known(fn *types.Func, c *ssa.CallCommon, index int) (Origin, bool) {
	if fn == nil || fn.Pkg() == nil {
		return unknown, false
	}
	path, name := fn.Pkg().Path(), fn.Name()
	recv := recvName(fn)
	arg := func(i int) Origin {
		if i < len(c.Args) {
			return e.eval(c.Args[i])
		}
		return unknown
	}
	if what, ok := requestCall(fn, c); ok {
		return requestOrigin(what), true
	}
	switch path {
	case OAuth2Path:
		switch name {
		case "GenerateVerifier":
			return Origin{Kind: Random, Bits: knownBits(256), CharBits: 6, Vetted: "oauth2.GenerateVerifier", Source: "oauth2.GenerateVerifier"}, true
		case "S256ChallengeFromVerifier":
			return arg(0).capBits(256), true
		}
	case "crypto/rand":
		switch name {
		case "Text":
			return Origin{Kind: Random, Bits: knownBits(128), CharBits: 5, Vetted: "crypto/rand.Text", Source: "crypto/rand.Text"}, true
		case "Int":
			// rand.Int(rand.Reader, max): log2(max) bits.
			o := Origin{Kind: Random, Source: "crypto/rand.Int"}
			if len(c.Args) == 2 {
				if n, ok := e.bigIntConst(c.Args[1]); ok {
					o.Bits = knownBits(log2(n))
				}
			}
			return o, true
		}
	case "math/rand", "math/rand/v2":
		if index > 0 {
			return unknown, true // the error of (*Rand).Read
		}
		return Origin{Kind: Predictable, Source: shortPkg(path) + "." + qualified(recv, name)}, true
	case "time":
		// A method of a time.Time made by time.Now is named after
		// time.Now, the call a reader looks for.
		if recv != "" {
			if o := arg(0); o.Kind == Predictable {
				return o, true
			}
		}
		return Origin{Kind: Predictable, Source: "time." + qualified(recv, name)}, true
	case "os", "syscall":
		if name == "Getpid" || name == "Getppid" {
			return Origin{Kind: Predictable, Source: path + "." + name}, true
		}
	case "encoding/base64", "encoding/base32", "encoding/hex":
		if name == "EncodeToString" {
			o := arg(len(c.Args) - 1)
			switch path {
			case "encoding/base64":
				o.CharBits = 6
			case "encoding/base32":
				o.CharBits = 5
			default:
				o.CharBits = 4
			}
			return o, true
		}
	case "crypto/sha256", "crypto/sha512", "crypto/sha1", "crypto/md5", "crypto/sha3":
		if strings.HasPrefix(name, "Sum") && recv == "" {
			return arg(0).capBits(hashBits(name)), true
		}
	case "fmt":
		switch name {
		case "Sprintf", "Sprint", "Sprintln":
			var parts []Origin
			for i, a := range c.Args {
				if i == len(c.Args)-1 {
					parts = append(parts, e.elements(a))
				} else {
					parts = append(parts, e.eval(a))
				}
			}
			return combine(parts...), true
		}
	case "net/url":
		switch name {
		case "QueryEscape", "PathEscape":
			// Encoding keeps what the value is: as guessable, as random.
			return arg(0), true
		}
	case "strings":
		switch name {
		case "Join":
			return combine(e.elements(c.Args[0]), arg(1)), true
		case "ToLower", "ToUpper", "TrimSpace", "TrimRight", "TrimLeft", "Trim", "TrimSuffix", "TrimPrefix", "ReplaceAll", "Replace", "Repeat", "Clone":
			return arg(0), true
		}
		if recv == "Builder" && name == "String" {
			return e.writes(c.Args[0]), true
		}
	case "bytes":
		if recv == "Buffer" && (name == "String" || name == "Bytes") {
			return e.writes(c.Args[0]), true
		}
	case "strconv":
		switch name {
		case "Itoa", "FormatInt", "FormatUint", "Quote", "AppendInt":
			return arg(0), true
		}
	case "math/big":
		switch {
		case name == "NewInt":
			return arg(0), true
		case recv == "Int" && (name == "Int64" || name == "Uint64" || name == "String" || name == "Text"):
			return arg(0), true
		}
	}
	for _, p := range uuidPaths {
		if path != p {
			continue
		}
		switch {
		case name == "New" || name == "NewString" || name == "NewRandom" || name == "NewV4" || name == "NewV7" || name == "NewRandomFromReader":
			if index > 0 {
				return unknown, true
			}
			return Origin{Kind: UUID, Bits: knownBits(122), Source: "uuid." + name}, true
		case name == "NewUUID" || name == "NewV1" || name == "NewV2" || name == "NewV6":
			if index > 0 {
				return unknown, true
			}
			return Origin{Kind: Predictable, Source: "uuid." + name + " (a time-based UUID)"}, true
		case name == "Must":
			return arg(0), true
		case recv == "UUID" && (name == "String" || name == "URN" || name == "MarshalText"):
			return arg(0), true
		}
	}
	return unknown, false
}

// writes combines what is written into a strings.Builder or bytes.Buffer.
// A Random piece of unknown count (a loop) leaves the bits unknown; a
// predictable piece makes the whole predictable whatever the count.
func (e *Evaluator) writes(recv ssa.Value) Origin {
	alloc, ok := recv.(*ssa.Alloc)
	if !ok {
		return unknown
	}
	var parts []Origin
	inLoop := false
	for _, ref := range *alloc.Referrers() {
		call, ok := ref.(ssa.CallInstruction)
		if !ok {
			continue
		}
		fn := call.Common().StaticCallee()
		if fn == nil {
			return unknown
		}
		name := fn.Name()
		switch {
		case strings.HasPrefix(name, "Write"):
			if len(call.Common().Args) > 1 {
				parts = append(parts, e.eval(call.Common().Args[1]))
			}
			inLoop = inLoop || InCycle(call.Block())
		case name == "String" || name == "Bytes" || name == "Len" || name == "Grow" || name == "Reset" || name == "Cap":
		default:
			return unknown
		}
	}
	o := combine(parts...)
	if inLoop && (o.Kind == Random || o.Kind == UUID) {
		o.Bits = Bits{}
	}
	return o
}

// InCycle reports whether block b is part of a loop: it can reach itself.
func InCycle(b *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == b {
			return true
		}
		if seen[x] {
			continue
		}
		seen[x] = true
		stack = append(stack, x.Succs...)
	}
	return false
}

// bigIntConst evaluates big.NewInt(constant).
func (e *Evaluator) bigIntConst(v ssa.Value) (float64, bool) {
	call, ok := v.(*ssa.Call)
	if !ok {
		return 0, false
	}
	fn := call.Common().StaticCallee()
	if fn == nil || fn.Pkg == nil || fn.Pkg.Pkg.Path() != "math/big" || fn.Name() != "NewInt" || len(call.Common().Args) != 1 {
		return 0, false
	}
	n, ok := e.length(call.Common().Args[0])
	if !ok {
		return 0, false
	}
	return n.Fixed()
}

func hashBits(name string) float64 {
	switch {
	case strings.Contains(name, "512_256"), strings.Contains(name, "256"):
		return 256
	case strings.Contains(name, "224"):
		return 224
	case strings.Contains(name, "384"):
		return 384
	case strings.Contains(name, "512"):
		return 512
	}
	return 128 // md5.Sum; sha1.Sum is 160 but no verifier needs the difference
}

func recvName(fn *types.Func) string {
	recv := fn.Signature().Recv()
	if recv == nil {
		return ""
	}
	t := deref(recv.Type())
	if named, ok := types.Unalias(t).(*types.Named); ok {
		return named.Obj().Name()
	}
	return ""
}

func qualified(recv, name string) string {
	if recv == "" {
		return name
	}
	return "(*" + recv + ")." + name
}

func shortPkg(path string) string {
	if path == "math/rand/v2" {
		return "math/rand/v2"
	}
	return path
}

// The incoming request's own address is no secret: the attacker chose it
// (or can read it from the link they hand the victim). A state or
// verifier made of it — casdoor's CasWAF sends the page the user asked
// for as its state — binds nothing to the browser. What counts is the
// request's address and headers that echo it: RequestURI, Host, the URL
// and its parts, Referer. A parameter the request carries (a proxy
// forwarding its own client's state) is not in this list: the client
// that made it checks it.

// requestOrigin is the Predictable origin of request data named what
// ("RequestURI", "URL.Path").
func requestOrigin(what string) Origin {
	return Origin{Kind: Predictable, Source: "the request's " + what}
}

// requestField reports whether field i of the struct x points to is a
// part of the incoming request's address: (*http.Request).RequestURI or
// Host, or Path, RawPath, RawQuery or Host of the request's URL. what
// names it.
func requestField(x ssa.Value, i int) (what string, ok bool) {
	fv := fieldVar(x.Type(), i)
	if fv == nil {
		return "", false
	}
	switch {
	case IsHTTPRequest(x.Type()):
		switch fv.Name() {
		case "RequestURI", "Host":
			return fv.Name(), true
		}
	case isNamedPtr(x.Type(), "net/url", "URL") && isRequestURL(x):
		switch fv.Name() {
		case "Path", "RawPath", "RawQuery", "Host":
			return "URL." + fv.Name(), true
		}
	}
	return "", false
}

// requestCall reports whether c reads the incoming request's address
// through a method: (*http.Request).Referer, or String, RequestURI,
// EscapedPath of the request's URL.
func requestCall(fn *types.Func, c *ssa.CallCommon) (what string, ok bool) {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil || len(c.Args) == 0 {
		return "", false
	}
	switch {
	case IsHTTPRequest(sig.Recv().Type()) && fn.Name() == "Referer":
		return "Referer", true
	case isNamedPtr(sig.Recv().Type(), "net/url", "URL") && isRequestURL(c.Args[0]):
		switch fn.Name() {
		case "String", "RequestURI", "EscapedPath":
			return "URL", true
		}
	}
	return "", false
}

// isRequestURL reports whether u is the URL field of an *http.Request:
// r.URL.
func isRequestURL(u ssa.Value) bool {
	load, ok := u.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok || !IsHTTPRequest(fa.X.Type()) {
		return false
	}
	fv := fieldVar(fa.X.Type(), fa.Field)
	return fv != nil && fv.Name() == "URL"
}
