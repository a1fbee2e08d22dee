package pkce

import (
	"fmt"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/tools/go/analysis"
)

// Kind classifies where a value's unpredictability comes from.
type Kind uint8

const (
	// Unknown: the value's origin could not be followed. Never reported:
	// precision comes before recall.
	Unknown Kind = iota
	// Constant: a compile-time constant (or a buffer nothing ever fills).
	Constant
	// Predictable: math/rand, time, process IDs, time-based UUIDs —
	// values an attacker can guess or reproduce.
	Predictable
	// UUID: a random (version 4) UUID: 122 random bits in a fixed,
	// recognisable format.
	UUID
	// Random: output of a cryptographically secure generator.
	Random
	// Param: the value of parameter Origin.Param of the function being
	// summarised; resolved at each call site.
	Param
)

var kindNames = [...]string{"unknown", "constant", "predictable", "uuid", "random", "param"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Bits is an amount of randomness, possibly depending on an integer
// argument of the function being summarised: C + PerArg × arg[Arg]. A
// helper randomString(n) that fills n crypto/rand bytes has PerArg 8.
type Bits struct {
	Known  bool
	C      float64
	PerArg float64 // 0: no dependency on an argument
	Arg    int
}

func knownBits(c float64) Bits { return Bits{Known: true, C: c} }

// Fixed reports the amount when it does not depend on an argument.
func (b Bits) Fixed() (float64, bool) { return b.C, b.Known && b.PerArg == 0 }

func (b Bits) plus(o Bits) Bits {
	switch {
	case !b.Known || !o.Known:
		return Bits{}
	case b.PerArg != 0 && o.PerArg != 0 && b.Arg != o.Arg:
		return Bits{}
	}
	r := Bits{Known: true, C: b.C + o.C, PerArg: b.PerArg + o.PerArg, Arg: b.Arg}
	if b.PerArg == 0 {
		r.Arg = o.Arg
	}
	return r
}

func (b Bits) scale(f float64) Bits {
	if !b.Known {
		return b
	}
	return Bits{Known: true, C: b.C * f, PerArg: b.PerArg * f, Arg: b.Arg}
}

// min returns the smaller amount. Two amounts that depend on the same
// argument are compared at a typical length, 32, which picks the right one
// for the affine forms helpers produce (8n bytes vs 6n characters).
func (b Bits) min(o Bits) Bits {
	if !b.Known {
		return o
	}
	if !o.Known {
		return b
	}
	if b.PerArg != 0 && o.PerArg != 0 && b.Arg != o.Arg {
		return Bits{}
	}
	at := func(x Bits) float64 { return x.C + 32*x.PerArg }
	if at(o) < at(b) {
		return o
	}
	return b
}

// Origin describes where a value comes from and how unpredictable it is.
// It is also the content of the facts exported for functions, so every
// field is plain data.
type Origin struct {
	Kind Kind
	// Bits of secure randomness (Random and UUID).
	Bits Bits
	// CharBits is the randomness one character of an encoded string
	// carries (6 for base64, 4 for hex); 0 means 8.
	CharBits float64
	// Vetted names a standard generator made for secrets
	// (oauth2.GenerateVerifier, crypto/rand.Text): its size is accepted.
	Vetted string
	// Source says what produced the value: "math/rand.Intn",
	// "time.Now", `the constant "xyz"`, "16 bytes from crypto/rand.Read".
	Source string
	// SourcePos is where Source is, when it is in the package being
	// analysed; At is its "import/path/file.go:line" otherwise, and the
	// At fields below say where that is (see setAt): facts are plain data
	// and a token.Pos means nothing in another process.
	SourcePos token.Pos
	At        string
	// AtPkg is the import path of At's package, AtFile its file's
	// absolute path, AtLine and AtColumn the position in it.
	AtPkg, AtFile    string
	AtLine, AtColumn int
	// Empty marks the constant "" (and nil).
	Empty bool
	// Fallback marks a constant taken on one path only, where the other
	// paths give a value that cannot be followed: casdoor's
	// `v := p.CodeVerifier; if v == "" { v = "casdoor-verifier" }`.
	// Every flow that takes that path shares the constant.
	Fallback bool
	// Param is the parameter index of a Param origin.
	Param int
	// none marks the neutral element of join: a value seen again
	// while it is being evaluated (a loop), which adds nothing.
	none bool
}

var (
	unknown = Origin{Kind: Unknown}
	neutral = Origin{none: true}
)

// IsUnknown reports whether nothing useful is known of the value.
func (o Origin) IsUnknown() bool { return o.Kind == Unknown || o.none }

// Where returns the source position text for messages: "file.go:12" in
// the package being analysed; in another package of the same module, its
// path from the module root, "internal/pkceutil/pkceutil.go:24"; elsewhere
// (another module, or no go.mod found), the import path joined to the file
// name.
func (o Origin) Where(pass *analysis.Pass) string {
	if o.SourcePos.IsValid() {
		p := pass.Fset.Position(o.SourcePos)
		return fmt.Sprintf("%s:%d", baseName(p.Filename), p.Line)
	}
	if o.AtFile != "" && len(pass.Files) > 0 {
		if here := pass.Fset.File(pass.Files[0].FileStart); here != nil {
			if rel, ok := sameModule(here.Name(), o.AtFile); ok {
				return fmt.Sprintf("%s:%d", rel, o.AtLine)
			}
		}
	}
	return o.At
}

// sameModule returns the path of file other relative to the root of the
// module of file here, when both are in it: the nearest go.mod above each
// is the same. It reads only the file system, not the driver's module
// information, which some drivers do not give (golangci-lint, nogo), so
// that every driver shows the same text.
func sameModule(here, other string) (rel string, ok bool) {
	root := moduleRoot(filepath.Dir(here))
	if root == "" || moduleRoot(filepath.Dir(other)) != root {
		return "", false
	}
	rel, err := filepath.Rel(root, other)
	if err != nil || !filepath.IsLocal(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// moduleRoot returns the nearest directory at or above dir that holds a
// go.mod file, or "".
func moduleRoot(dir string) string {
	if !filepath.IsAbs(dir) {
		return ""
	}
	for {
		if fi, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && fi.Mode().IsRegular() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// setAt records p, a position in pass's package, as the At fields of an
// origin exported in a fact.
func (o *Origin) setAt(pass *analysis.Pass, p token.Position) {
	o.AtPkg = pass.Pkg.Path()
	o.At = fmt.Sprintf("%s/%s:%d", o.AtPkg, baseName(p.Filename), p.Line)
	o.AtFile, o.AtLine, o.AtColumn = p.Filename, p.Line, p.Column
}

// atPos returns a position in pass.Fset for the At fields, so that a
// source in another package can be a related location: a token.File of
// AtFile's name is added whose lines all have AtColumn bytes, which puts
// the position at AtLine:AtColumn. Its content is not the file's: it only
// names the place. NoPos when the At fields are not set.
func (o Origin) atPos(pass *analysis.Pass) token.Pos {
	if o.AtFile == "" || o.AtLine < 1 || o.AtColumn < 1 {
		return token.NoPos
	}
	width := o.AtColumn
	lines := make([]int, o.AtLine)
	for i := range lines {
		lines[i] = i * width
	}
	tf := pass.Fset.AddFile(o.AtFile, -1, o.AtLine*width)
	tf.SetLines(lines)
	return tf.Pos((o.AtLine-1)*width + o.AtColumn - 1)
}

func baseName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' || path[i] == '\\' {
			return path[i+1:]
		}
	}
	return path
}

// joinFallback is join for the two sides of an SSA phi in the user's own
// code: a non-empty constant on one side still says what the value is on
// that path when the other side cannot be followed (casdoor's
// `v := p.CodeVerifier; if v == "" { v = "casdoor-verifier" }`), so the
// constant wins, marked Fallback. Only phis: the stores into a field or
// the returns of a function are not one variable's paths (testing's
// common.name is "Main" in one store and unknown in the others). An empty
// constant is the "nothing given" test's other side, and stays neutral.
func joinFallback(a, b Origin) Origin {
	switch {
	case a.Kind == Unknown && !a.none && isFallback(b):
		b.Fallback = true
		return b
	case b.Kind == Unknown && !b.none && isFallback(a):
		a.Fallback = true
		return a
	}
	return join(a, b)
}

func isFallback(o Origin) bool { return o.Kind == Constant && !o.Empty && !o.none }

// FixedBits returns the randomness in bits when it is known.
func (o Origin) FixedBits() (float64, bool) { return o.Bits.Fixed() }

// join merges the origins of a value that comes from one of several places
// (an SSA phi, several return statements, several stores to a field). A
// predictable alternative makes the whole predictable (a math/rand
// fallback is a weakness), and so does a non-empty constant (a fixed
// fallback is used on its path); an empty constant is taken for an error
// path and dropped; the weakest randomness wins.
func join(a, b Origin) Origin {
	switch {
	case a.none:
		return b
	case b.none:
		return a
	case a.Kind == Unknown || b.Kind == Unknown:
		return unknown
	case a.Kind == Param || b.Kind == Param:
		if a.Kind == b.Kind && a.Param == b.Param {
			return a
		}
		return unknown
	case a.Kind == Constant && a.Empty && b.Kind != Constant:
		return b
	case b.Kind == Constant && b.Empty && a.Kind != Constant:
		return a
	case a.Kind == Predictable:
		return a
	case b.Kind == Predictable:
		return b
	case a.Kind == Constant:
		// A non-empty constant on one path is used on that path:
		// v := GenerateVerifier(); if v == "" { v = "fixed" }.
		return a
	case b.Kind == Constant:
		return b
	case a.Kind == UUID:
		return a
	case b.Kind == UUID:
		return b
	}
	// Both random: the smaller amount.
	r := a
	r.Bits = a.Bits.min(b.Bits)
	if b.Bits.Known && a.Bits.Known && r.Bits == b.Bits {
		r = b
	}
	if a.Vetted != b.Vetted {
		r.Vetted = ""
	}
	if a.CharBits != b.CharBits {
		r.CharBits = 0
	}
	return r
}

// combine merges the origins of values that are put together into one
// (concatenation, formatting, a buffer filled piece by piece): their
// randomness adds up; without any, one predictable part makes the whole
// predictable.
func combine(parts ...Origin) Origin {
	var (
		out      = neutral
		random   []Origin
		haveUUID bool
	)
	for _, p := range parts {
		switch {
		case p.none:
			continue
		case p.Kind == Unknown || p.Kind == Param:
			if len(parts) == 1 {
				return p
			}
			return unknown
		case p.Kind == Random || p.Kind == UUID:
			random = append(random, p)
			haveUUID = haveUUID || p.Kind == UUID
		case p.Kind == Predictable:
			if out.none || out.Kind != Predictable {
				out = p
			}
		case p.Kind == Constant:
			if out.none {
				out = p
			} else if out.Kind == Constant {
				out.Empty = out.Empty && p.Empty
			}
		}
	}
	if len(random) == 0 {
		return out
	}
	if len(random) == 1 && out.none {
		return random[0]
	}
	r := random[0]
	r.CharBits, r.Vetted = 0, ""
	if haveUUID && len(random) == 1 {
		r.Kind = UUID
	} else {
		r.Kind = Random
	}
	for _, p := range random[1:] {
		r.Bits = r.Bits.plus(p.Bits)
	}
	r.Empty = false
	return r
}

// truncate limits a string's randomness to n characters.
func (o Origin) truncate(chars Bits) Origin {
	if o.Kind != Random && o.Kind != UUID {
		return o
	}
	per := o.CharBits
	if per == 0 {
		per = 8
	}
	o.Bits = o.Bits.min(chars.scale(per))
	o.Vetted = ""
	return o
}

// capBits limits randomness to n bits (a hash output).
func (o Origin) capBits(n float64) Origin {
	if o.Kind == Random || o.Kind == UUID {
		o.Bits = o.Bits.min(knownBits(n))
	}
	o.CharBits = 0
	return o
}

// log2 of an alphabet or modulus size: the bits one draw carries.
func log2(n float64) float64 {
	if n <= 1 {
		return 0
	}
	return math.Log2(n)
}
