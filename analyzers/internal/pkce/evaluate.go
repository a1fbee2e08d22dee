package pkce

import (
	"fmt"
	"go/build"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Evaluator follows SSA values back to where their randomness comes from:
// through locals, phis, helper functions (summarised once each), closures,
// struct fields and package variables of this package, encoders, hashes and
// formatting; into other packages through the Results of CallFact.
//
// One Evaluator serves one analysis pass; it is not safe for concurrent use.
type Evaluator struct {
	pkg       *types.Package
	sums      *summaries // call summaries, for other packages' results
	stores    *storeIndex
	summaries map[*ssa.Function][]Origin
	// visiting guards against cycles (loops through phis, recursive
	// helpers); budget bounds the work of one top-level question.
	visiting map[ssa.Value]bool
	active   map[*ssa.Function]bool
	budget   int
	// fallbacks turns on joinFallback at phis. Off in the standard
	// library: go vet analyses it from source, the other drivers read its
	// export data, and every driver must report the same.
	fallbacks bool
}

// inGOROOT reports whether pkg, whose functions are funcs, is the standard
// library's: its files are under GOROOT/src. (Its import path alone does
// not tell: analysistest's packages have no dot either; it decides only
// when GOROOT is not known.)
func inGOROOT(fset *token.FileSet, pkg *types.Package, funcs []*ssa.Function) bool {
	if build.Default.GOROOT == "" {
		return isStdPath(pkg.Path())
	}
	root := filepath.Join(build.Default.GOROOT, "src") + string(filepath.Separator)
	for _, fn := range funcs {
		if f := fset.File(fn.Pos()); f != nil {
			return strings.HasPrefix(f.Name(), root)
		}
	}
	return false
}

// maxSteps bounds one evaluation; past it the answer is Unknown, which is
// never reported.
const maxSteps = 20000

func newEvaluator(fset *token.FileSet, pkg *types.Package, funcs []*ssa.Function, init *ssa.Function, sums *summaries) *Evaluator {
	return &Evaluator{
		pkg:       pkg,
		sums:      sums,
		stores:    indexStores(fset, funcs, init),
		summaries: make(map[*ssa.Function][]Origin),
		visiting:  make(map[ssa.Value]bool),
		active:    make(map[*ssa.Function]bool),
		fallbacks: !inGOROOT(fset, pkg, funcs),
	}
}

// Origin returns where v comes from.
func (e *Evaluator) Origin(v ssa.Value) Origin {
	e.budget = maxSteps
	o := e.eval(v)
	if o.none {
		return unknown
	}
	return o
}

func (e *Evaluator) eval(v ssa.Value) Origin {
	if v == nil {
		return unknown
	}
	if e.visiting[v] {
		return neutral
	}
	if e.budget--; e.budget < 0 {
		return unknown
	}
	e.visiting[v] = true
	defer delete(e.visiting, v)

	switch v := v.(type) {
	case *ssa.Const:
		return constOrigin(v)
	case *ssa.Parameter:
		for i, p := range v.Parent().Params {
			if p == v {
				return Origin{Kind: Param, Param: i}
			}
		}
		return unknown
	case *ssa.FreeVar:
		return e.eval(e.binding(v))
	case *ssa.ChangeType:
		return e.eval(v.X)
	case *ssa.Convert:
		return e.eval(v.X)
	case *ssa.MakeInterface:
		return e.eval(v.X)
	case *ssa.ChangeInterface:
		return e.eval(v.X)
	case *ssa.TypeAssert:
		return e.eval(v.X)
	case *ssa.SliceToArrayPointer:
		return e.eval(v.X)
	case *ssa.Slice:
		return e.slice(v)
	case *ssa.BinOp:
		switch v.Op {
		case token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.XOR, token.OR, token.AND, token.SHL, token.SHR, token.AND_NOT:
			return combine(e.eval(v.X), e.eval(v.Y))
		}
		return unknown
	case *ssa.UnOp:
		switch v.Op {
		case token.MUL:
			return e.pointee(v.X)
		case token.ARROW:
			return unknown
		}
		return e.eval(v.X)
	case *ssa.Phi:
		merge := join
		if e.fallbacks {
			merge = joinFallback
		}
		o := neutral
		for _, edge := range v.Edges {
			o = merge(o, e.eval(edge))
		}
		return o
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			return e.call(call.Common(), v.Index)
		}
		return unknown
	case *ssa.Call:
		return e.call(v.Common(), 0)
	case *ssa.MakeSlice:
		n, ok := e.length(v.Len)
		if !ok {
			n = Bits{}
		}
		return e.buffer(v, n)
	case *ssa.Alloc:
		return e.pointee(v)
	case *ssa.Field:
		return e.field(fieldVar(v.X.Type(), v.Field))
	case *ssa.Index:
		return e.index(v.X, v.Index)
	case *ssa.Lookup:
		if isString(v.X.Type()) {
			return e.index(v.X, v.Index)
		}
		return e.mapValues(v.X)
	}
	return unknown
}

func constOrigin(c *ssa.Const) Origin {
	if c.Value == nil {
		return Origin{Kind: Constant, Empty: true, Source: "the zero value"}
	}
	if c.Value.Kind() == constant.String {
		s := constant.StringVal(c.Value)
		return Origin{Kind: Constant, Empty: s == "", Source: fmt.Sprintf("the constant %q", s)}
	}
	return Origin{Kind: Constant, Source: "the constant " + c.Value.ExactString()}
}

// binding returns the value a closure's free variable is bound to, when
// the closure is made in its parent function.
func (e *Evaluator) binding(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	idx := -1
	for i, f := range fn.FreeVars {
		if f == fv {
			idx = i
		}
	}
	if idx < 0 || fn.Parent() == nil {
		return nil
	}
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn && idx < len(mc.Bindings) {
				return mc.Bindings[idx]
			}
		}
	}
	return nil
}

// slice handles s[lo:hi]: slicing an array or buffer keeps its origin;
// cutting a string to hi characters keeps at most hi characters' worth.
func (e *Evaluator) slice(s *ssa.Slice) Origin {
	var o Origin
	if _, isPtr := s.X.Type().Underlying().(*types.Pointer); isPtr {
		o = e.pointee(s.X)
	} else {
		o = e.eval(s.X)
	}
	if s.High == nil || !isString(s.X.Type()) {
		return o
	}
	hi, ok := e.length(s.High)
	if !ok {
		return o
	}
	if s.Low != nil {
		lo, ok := e.length(s.Low)
		if !ok {
			return o
		}
		hi = hi.plus(lo.scale(-1))
	}
	return o.truncate(hi)
}

// index handles x[i] where x is a string or array: drawing characters from
// an alphabet by a random index carries log2(len(alphabet)) bits.
func (e *Evaluator) index(x, i ssa.Value) Origin {
	if c, ok := x.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.String {
		idx := e.eval(i)
		alphabet := float64(len(constant.StringVal(c.Value)))
		switch idx.Kind {
		case Random:
			o := idx
			o.Bits = knownBits(log2(alphabet))
			if b, ok := idx.Bits.Fixed(); ok && b < o.Bits.C {
				o.Bits = knownBits(b)
			}
			o.CharBits, o.Vetted = 0, ""
			return o
		case Predictable, Unknown, Param:
			return idx
		}
		return constOrigin(c)
	}
	return combine(e.eval(x), e.eval(i))
}

// length evaluates an integer length or count as an affine form of at most
// one parameter of the enclosing function.
func (e *Evaluator) length(v ssa.Value) (Bits, bool) {
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value == nil {
			return Bits{}, false
		}
		if f, ok := constant.Float64Val(constant.ToFloat(v.Value)); ok {
			return knownBits(f), true
		}
	case *ssa.Parameter:
		for i, p := range v.Parent().Params {
			if p == v {
				return Bits{Known: true, PerArg: 1, Arg: i}, true
			}
		}
	case *ssa.Convert:
		return e.length(v.X)
	case *ssa.BinOp:
		x, okx := e.length(v.X)
		y, oky := e.length(v.Y)
		if !okx || !oky {
			return Bits{}, false
		}
		switch v.Op {
		case token.ADD:
			b := x.plus(y)
			return b, b.Known
		case token.SUB:
			b := x.plus(y.scale(-1))
			return b, b.Known
		case token.MUL:
			if c, ok := y.Fixed(); ok {
				return x.scale(c), true
			}
			if c, ok := x.Fixed(); ok {
				return y.scale(c), true
			}
		case token.QUO:
			if c, ok := y.Fixed(); ok && c != 0 {
				return x.scale(1 / c), true
			}
		}
	case *ssa.Call:
		// len(x) of a constant string folds to a constant already;
		// len of a parameter-sized buffer is its length.
		if b, ok := v.Call.Value.(*ssa.Builtin); ok && b.Name() == "len" && len(v.Call.Args) == 1 {
			if ms, ok := v.Call.Args[0].(*ssa.MakeSlice); ok {
				return e.length(ms.Len)
			}
		}
	}
	return Bits{}, false
}

// pointee is the value stored at an address.
func (e *Evaluator) pointee(addr ssa.Value) Origin {
	switch a := addr.(type) {
	case *ssa.Alloc:
		if arr, ok := deref(a.Type()).Underlying().(*types.Array); ok {
			return e.buffer(a, knownBits(float64(arr.Len())))
		}
		return e.stored(a)
	case *ssa.FieldAddr:
		if what, ok := requestField(a.X, a.Field); ok {
			o := requestOrigin(what)
			o.SourcePos = a.Pos()
			return o
		}
		if o, ok := e.fieldOf(a.X, a.Field, 0); ok {
			return o
		}
		return e.field(fieldVar(a.X.Type(), a.Field))
	case *ssa.Global:
		if a.Pkg == nil || a.Pkg.Pkg != e.pkg {
			return unknown
		}
		return e.storedAt(e.stores.globals[a])
	case *ssa.FreeVar:
		return e.pointee(e.binding(a))
	case *ssa.IndexAddr:
		return e.eval(a.X)
	}
	return unknown
}

// stored joins what is stored into a local variable. Its address passed to
// an unknown call makes it Unknown (the callee may write it).
func (e *Evaluator) stored(a *ssa.Alloc) Origin {
	o := neutral
	for _, ref := range *a.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Store:
			if ref.Addr == a {
				o = join(o, e.eval(ref.Val))
			}
		case *ssa.Call, *ssa.Go, *ssa.Defer:
			return unknown
		}
	}
	return o
}

func (e *Evaluator) storedAt(vals []ssa.Value) Origin {
	if len(vals) == 0 {
		return unknown
	}
	o := neutral
	for _, v := range vals {
		o = join(o, e.eval(v))
	}
	return o
}

// fieldOf follows field i of the object base points to when the object's
// allocation is visible — a composite literal in this function, or one a
// helper of this package returns — so that two flows that use the same
// struct type are not mixed up. ok is false when the object cannot be
// followed; the caller then falls back to every store into the field.
func (e *Evaluator) fieldOf(base ssa.Value, i, depth int) (Origin, bool) {
	if depth > 4 {
		return unknown, false
	}
	switch b := base.(type) {
	case *ssa.Alloc:
		o := neutral
		for _, ref := range *b.Referrers() {
			fa, ok := ref.(*ssa.FieldAddr)
			if !ok || fa.Field != i {
				continue
			}
			for _, r2 := range *fa.Referrers() {
				if st, ok := r2.(*ssa.Store); ok && st.Addr == fa {
					o = join(o, e.eval(st.Val))
				}
			}
		}
		return o, !o.none
	case *ssa.Call:
		fn := b.Common().StaticCallee()
		if fn == nil || fn.Pkg == nil || fn.Pkg.Pkg != e.pkg || len(fn.Blocks) == 0 || fn.Signature.Results().Len() != 1 {
			return unknown, false
		}
		o := neutral
		for _, blk := range fn.Blocks {
			ret, ok := blk.Instrs[len(blk.Instrs)-1].(*ssa.Return)
			if !ok || len(ret.Results) != 1 {
				continue
			}
			if c, ok := ret.Results[0].(*ssa.Const); ok && c.IsNil() {
				continue
			}
			r, ok := e.fieldOf(ret.Results[0], i, depth+1)
			if !ok {
				return unknown, false
			}
			o = join(o, r)
		}
		return o, !o.none
	case *ssa.Phi:
		o := neutral
		for _, edge := range b.Edges {
			r, ok := e.fieldOf(edge, i, depth+1)
			if !ok {
				return unknown, false
			}
			o = join(o, r)
		}
		return o, !o.none
	}
	return unknown, false
}

// field joins every value this package stores into a struct field.
func (e *Evaluator) field(f *types.Var) Origin {
	if f == nil || f.Pkg() != e.pkg {
		return unknown
	}
	return e.storedAt(e.stores.fields[f])
}

// mapValues joins the values stored into a map.
func (e *Evaluator) mapValues(m ssa.Value) Origin {
	switch m := m.(type) {
	case *ssa.MakeMap:
		o := neutral
		for _, ref := range *m.Referrers() {
			if u, ok := ref.(*ssa.MapUpdate); ok && u.Map == m {
				o = join(o, e.eval(u.Value))
			}
		}
		return o
	case *ssa.UnOp:
		if g, ok := m.X.(*ssa.Global); ok && m.Op == token.MUL {
			if g.Pkg == nil || g.Pkg.Pkg != e.pkg {
				return unknown
			}
			return e.storedAt(e.stores.globalMapValues[g])
		}
	}
	return unknown
}

// buffer works out what fills a byte (or rune) buffer: crypto/rand.Read,
// io.ReadFull(rand.Reader, b), math/rand, or element-wise stores of
// characters drawn from an alphabet. n is the buffer's length.
func (e *Evaluator) buffer(root ssa.Value, n Bits) Origin {
	aliases := []ssa.Value{root}
	fill := neutral
	perElem := neutral
	for i := 0; i < len(aliases); i++ {
		refs := aliases[i].Referrers()
		if refs == nil {
			continue
		}
		for _, ref := range *refs {
			switch ref := ref.(type) {
			case *ssa.Slice, *ssa.ChangeType, *ssa.MakeInterface:
				// The same memory: binary.Read(rand.Reader, order, b)
				// takes b as an any.
				aliases = append(aliases, ref.(ssa.Value))
			case *ssa.IndexAddr:
				for _, r2 := range *ref.Referrers() {
					if st, ok := r2.(*ssa.Store); ok && st.Addr == ref {
						perElem = join(perElem, e.eval(st.Val))
					}
				}
			case *ssa.Store:
				if ref.Addr == aliases[i] {
					fill = join(fill, e.eval(ref.Val))
				} else {
					// Stored away (h.buf = b): code this
					// function does not show may fill it.
					return unknown
				}
			case ssa.CallInstruction:
				if src, ok := e.copied(ref.Common(), aliases[i]); ok {
					fill = join(fill, src)
					continue
				}
				switch src := e.filler(ref.Common(), aliases[i]); src {
				case fillNone:
				case fillRandom:
					fill = join(fill, Origin{Kind: Random, Bits: n.scale(8), Source: "crypto/rand", SourcePos: ref.Pos()})
				case fillPredictable:
					fill = join(fill, Origin{Kind: Predictable, Source: "math/rand", SourcePos: ref.Pos()})
				default:
					return unknown
				}
			case *ssa.Convert, *ssa.Index, *ssa.Lookup, *ssa.Field, *ssa.UnOp, *ssa.BinOp, *ssa.DebugRef, *ssa.Range:
				// Reads of the buffer.
			default:
				// Anything else (a phi, a return, a send, a map or
				// slice literal holding it) lets other code fill
				// it: no verdict, rather than "never filled".
				return unknown
			}
		}
	}
	if !perElem.none {
		switch perElem.Kind {
		case Random:
			if b, ok := perElem.Bits.Fixed(); ok {
				perElem.Bits = n.scale(b)
				perElem.CharBits = b
			} else {
				perElem.Bits = Bits{}
			}
			if b, ok := perElem.Bits.Fixed(); ok && perElem.Source == "" {
				perElem.Source = fmt.Sprintf("%.0f random bits", b)
			}
		case Constant:
			perElem.Empty = false
		}
		fill = join(fill, perElem)
	}
	if fill.none {
		// Allocated and never written: all zeros.
		return Origin{Kind: Constant, Source: "a buffer that is never filled"}
	}
	if fill.Kind == Random && fill.Source == "crypto/rand" {
		if b, ok := n.Fixed(); ok {
			fill.Source = fmt.Sprintf("%.0f bytes from crypto/rand", b)
		}
	}
	return fill
}

// copied returns the origin of what a call writes into buf from another
// value: copy(buf, src) and encoding/binary's Put functions and methods
// (binary.LittleEndian.PutUint64(buf[i*8:], x)).
func (e *Evaluator) copied(c *ssa.CallCommon, buf ssa.Value) (Origin, bool) {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		if b.Name() == "copy" && len(c.Args) == 2 && c.Args[0] == buf {
			return e.eval(c.Args[1]), true
		}
		return unknown, false
	}
	var name string
	if c.IsInvoke() {
		name = c.Method.Name()
		if c.Method.Pkg() == nil || c.Method.Pkg().Path() != "encoding/binary" {
			return unknown, false
		}
	} else if obj := CalleeFunc(c); obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "encoding/binary" {
		name = obj.Name()
	} else {
		return unknown, false
	}
	if !strings.HasPrefix(name, "Put") || len(c.Args) < 2 || !slices.Contains(c.Args[:len(c.Args)-1], buf) {
		return unknown, false
	}
	return e.eval(c.Args[len(c.Args)-1]), true
}

// hashed is the origin of h.Sum(…) for a hash.Hash made by a standard
// constructor (sha256.New) in this function: what was written into it,
// capped at the hash's size. Anything else done with h leaves it unknown.
func (e *Evaluator) hashed(h ssa.Value) Origin {
	ctor := h
	if mi, ok := ctor.(*ssa.MakeInterface); ok {
		ctor = mi.X
	}
	call, ok := ctor.(*ssa.Call)
	if !ok {
		return unknown
	}
	obj := CalleeFunc(call.Common())
	if obj == nil || obj.Pkg() == nil || !strings.HasPrefix(obj.Name(), "New") {
		return unknown
	}
	var size float64
	switch obj.Pkg().Path() {
	case "crypto/sha256":
		size = 256
	case "crypto/sha512":
		size = 512
	case "crypto/sha1":
		size = 160
	case "crypto/md5":
		size = 128
	default:
		return unknown
	}
	var parts []Origin
	for _, ref := range *h.Referrers() {
		c, ok := ref.(ssa.CallInstruction)
		if !ok {
			continue
		}
		cc := c.Common()
		switch {
		case cc.IsInvoke() && cc.Value == h && (cc.Method.Name() == "Write" || cc.Method.Name() == "WriteString") && len(cc.Args) == 1:
			parts = append(parts, e.eval(cc.Args[0]))
		case cc.IsInvoke() && cc.Value == h && (cc.Method.Name() == "Sum" || cc.Method.Name() == "Reset" || cc.Method.Name() == "Size" || cc.Method.Name() == "BlockSize"):
		case IsFunc(CalleeFunc(cc), "io", "WriteString") && len(cc.Args) == 2 && cc.Args[0] == h:
			parts = append(parts, e.eval(cc.Args[1]))
		default:
			return unknown
		}
	}
	if len(parts) == 0 {
		return unknown
	}
	return combine(parts...).capBits(size)
}

type fillKind int

const (
	fillNone fillKind = iota // reads the buffer, or does not touch it
	fillRandom
	fillPredictable
	fillUnknown
)

// filler classifies a call that receives a buffer.
func (e *Evaluator) filler(c *ssa.CallCommon, buf ssa.Value) fillKind {
	if c.IsInvoke() {
		if c.Method.Name() == "Read" && isCryptoReader(c.Value) {
			return fillRandom
		}
		if c.Method.Name() == "Write" {
			return fillNone
		}
		return fillUnknown
	}
	fn := c.StaticCallee()
	if fn == nil {
		if b, ok := c.Value.(*ssa.Builtin); ok {
			switch b.Name() {
			case "len", "cap", "append":
				return fillNone
			case "copy":
				if len(c.Args) == 2 && c.Args[1] == buf {
					return fillNone
				}
			}
		}
		return fillUnknown
	}
	obj, _ := fn.Object().(*types.Func)
	if fn.Origin() != nil {
		obj, _ = fn.Origin().Object().(*types.Func)
	}
	switch {
	case IsFunc(obj, "crypto/rand", "Read"):
		return fillRandom
	case IsFunc(obj, "io", "ReadFull") || IsFunc(obj, "io", "ReadAtLeast") || IsFunc(obj, "encoding/binary", "Read") ||
		IsMethod(obj, "bufio", "Reader", "Read"):
		// The reader is the first argument (the receiver of a static
		// method call is Args[0] too).
		if len(c.Args) > 0 && isCryptoReader(c.Args[0]) {
			return fillRandom
		}
		return fillUnknown
	case InPackage(obj, "math/rand", "math/rand/v2"):
		return fillPredictable
	case InPackage(obj, "encoding/base64", "encoding/base32", "encoding/hex", "fmt", "strings", "bytes",
		"crypto/sha256", "crypto/sha512", "crypto/sha1", "crypto/md5", "crypto/subtle", "crypto/hmac",
		"strconv", "unicode/utf8"):
		// Readers of the buffer (Encode writes into its first
		// argument, which is the encoder's own output buffer).
		if obj != nil && obj.Name() == "Encode" && len(c.Args) > 1 && c.Args[1] == buf {
			return fillUnknown
		}
		return fillNone
	}
	return fillUnknown
}

// isCryptoReader reports whether v is crypto/rand.Reader, or a bufio.Reader
// over it.
func isCryptoReader(v ssa.Value) bool {
	for {
		switch x := v.(type) {
		case *ssa.Call:
			obj := CalleeFunc(x.Common())
			if !(IsFunc(obj, "bufio", "NewReader") || IsFunc(obj, "bufio", "NewReaderSize")) || len(x.Call.Args) == 0 {
				return false
			}
			v = x.Call.Args[0]
		case *ssa.UnOp:
			if g, ok := x.X.(*ssa.Global); ok && x.Op == token.MUL {
				return g.Pkg != nil && g.Pkg.Pkg.Path() == "crypto/rand" && g.Name() == "Reader"
			}
			return false
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		default:
			return false
		}
	}
}

// call is the origin of result index of a call.
func (e *Evaluator) call(c *ssa.CallCommon, index int) Origin {
	if c.IsInvoke() {
		if c.Method.Name() == "Sum" {
			return e.hashed(c.Value)
		}
		return unknown
	}
	if b, ok := c.Value.(*ssa.Builtin); ok {
		if b.Name() == "append" && len(c.Args) == 2 {
			return combine(e.eval(c.Args[0]), e.elements(c.Args[1]))
		}
		return unknown
	}
	fn := c.StaticCallee()
	if fn == nil {
		if mc, ok := c.Value.(*ssa.MakeClosure); ok {
			fn, _ = mc.Fn.(*ssa.Function)
		}
	}
	if fn == nil {
		return unknown
	}
	obj, _ := fn.Object().(*types.Func)
	if fn.Origin() != nil {
		obj, _ = fn.Origin().Object().(*types.Func)
	}
	if o, ok := e.known(obj, c, index); ok {
		if !o.SourcePos.IsValid() && (o.Kind == Predictable || o.Kind == UUID || o.Kind == Random) && o.Source != "" && o.At == "" {
			o.SourcePos = c.Pos()
		}
		return o
	}
	var results []Origin
	if fn.Origin() != nil {
		// An instance of a generic function: its body, when built,
		// belongs to no package; the generic one is summarised once.
		fn = fn.Origin()
	}
	switch {
	case fn.Pkg != nil && fn.Pkg.Pkg == e.pkg && len(fn.Blocks) > 0:
		results = e.summary(fn)
	case obj != nil && obj.Pkg() != e.pkg:
		if fact := e.sums.imported[obj]; fact != nil {
			results = fact.Results
		}
	}
	if index >= len(results) {
		return unknown
	}
	return e.instantiate(results[index], c.Args)
}

// instantiate resolves a summary's parameter references against the
// arguments of one call.
func (e *Evaluator) instantiate(o Origin, args []ssa.Value) Origin {
	if o.Kind == Param {
		if o.Param >= len(args) {
			return unknown
		}
		arg := e.eval(args[o.Param])
		if o.CharBits != 0 {
			arg.CharBits = o.CharBits
		}
		return arg
	}
	if o.Bits.Known && o.Bits.PerArg != 0 {
		if o.Bits.Arg >= len(args) {
			o.Bits = Bits{}
			return o
		}
		n, ok := e.length(args[o.Bits.Arg])
		if !ok {
			o.Bits = Bits{}
			return o
		}
		o.Bits = knownBits(o.Bits.C).plus(n.scale(o.Bits.PerArg))
	}
	return o
}

// elements is the combined origin of the elements of a slice built in
// place (variadic arguments, slice literals).
func (e *Evaluator) elements(v ssa.Value) Origin {
	if s, ok := v.(*ssa.Slice); ok {
		if a, ok := s.X.(*ssa.Alloc); ok {
			var parts []Origin
			for _, ref := range *a.Referrers() {
				ia, ok := ref.(*ssa.IndexAddr)
				if !ok {
					continue
				}
				for _, r2 := range *ia.Referrers() {
					if st, ok := r2.(*ssa.Store); ok && st.Addr == ia {
						parts = append(parts, e.eval(st.Val))
					}
				}
			}
			return combine(parts...)
		}
	}
	if c, ok := v.(*ssa.Const); ok && c.Value == nil {
		return neutral
	}
	return e.eval(v)
}

// summary computes (once) the origins of fn's results. Return statements
// whose error result is not nil are error paths and do not count.
func (e *Evaluator) summary(fn *ssa.Function) []Origin {
	if s, ok := e.summaries[fn]; ok {
		return s
	}
	if e.active[fn] {
		return nil // recursion: nothing known yet
	}
	e.active[fn] = true
	defer delete(e.active, fn)

	results := fn.Signature.Results()
	out := make([]Origin, results.Len())
	for i := range out {
		out[i] = neutral
	}
	errIdx := -1
	for i := 0; i < results.Len(); i++ {
		if isErrorType(results.At(i).Type()) {
			errIdx = i
		}
	}
	// Evaluate inside a fresh cycle guard: a summary must not depend
	// on what the caller is in the middle of evaluating.
	// It also gets its own step budget, since it is cached.
	saved, savedBudget := e.visiting, e.budget
	e.visiting, e.budget = make(map[ssa.Value]bool), maxSteps
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) != len(out) {
			continue
		}
		if errIdx >= 0 {
			if c, ok := ret.Results[errIdx].(*ssa.Const); !ok || c.Value != nil {
				continue
			}
		}
		for i, r := range ret.Results {
			if i == errIdx {
				continue
			}
			out[i] = join(out[i], e.eval(r))
		}
	}
	e.visiting, e.budget = saved, savedBudget
	for i := range out {
		if out[i].none {
			out[i] = unknown
		}
	}
	e.summaries[fn] = out
	return out
}

// closedGlobal reports whether only its own package can assign g.
func closedGlobal(g *ssa.Global) bool {
	obj := g.Object()
	return obj != nil && (!obj.Exported() || obj.Pkg() != nil && obj.Pkg().Name() == "main")
}

func isErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// fieldVar returns the i'th field of the struct t (or *t).
func fieldVar(t types.Type, i int) *types.Var {
	st, ok := deref(t).Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return nil
	}
	// The field of an instantiated generic type is its generic
	// field, so Box[string]{v}.Get() finds what was stored in v.
	return st.Field(i).Origin()
}

// storeIndex lists, for the whole package, the values stored into each
// struct field and package variable, so a value can be followed from the
// function that sets a field to the one that reads it.
type storeIndex struct {
	fields          map[*types.Var][]ssa.Value
	globals         map[*ssa.Global][]ssa.Value
	globalMapValues map[*ssa.Global][]ssa.Value
}

// Stores made by _test.go files are left out: test fixtures that fill a
// library's struct with constants say nothing about what the library
// itself puts there.
//
// The package initialiser's stores into package variables count only for
// variables no other package can assign (unexported ones, and those of a
// main package): `var state = "abc123"` then holds that constant.
func indexStores(fset *token.FileSet, funcs []*ssa.Function, init *ssa.Function) *storeIndex {
	idx := &storeIndex{
		fields:          make(map[*types.Var][]ssa.Value),
		globals:         make(map[*ssa.Global][]ssa.Value),
		globalMapValues: make(map[*ssa.Global][]ssa.Value),
	}
	if init != nil {
		for _, b := range init.Blocks {
			for _, instr := range b.Instrs {
				if st, ok := instr.(*ssa.Store); ok {
					if g, ok := st.Addr.(*ssa.Global); ok && closedGlobal(g) {
						idx.globals[g] = append(idx.globals[g], st.Val)
					}
				}
			}
		}
	}
	for _, fn := range funcs {
		if InTestFile(fset, fn.Pos()) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.Store:
					switch addr := instr.Addr.(type) {
					case *ssa.FieldAddr:
						if f := fieldVar(addr.X.Type(), addr.Field); f != nil {
							idx.fields[f] = append(idx.fields[f], instr.Val)
						}
					case *ssa.Global:
						idx.globals[addr] = append(idx.globals[addr], instr.Val)
					}
				case *ssa.MapUpdate:
					if ld, ok := instr.Map.(*ssa.UnOp); ok && ld.Op == token.MUL {
						if g, ok := ld.X.(*ssa.Global); ok {
							idx.globalMapValues[g] = append(idx.globalMapValues[g], instr.Value)
						}
					}
				}
			}
		}
	}
	return idx
}
