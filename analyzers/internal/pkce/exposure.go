package pkce

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// This file is the table of exposure sinks — the calls that write a value
// where others can read it: a log, an HTTP response, the front channel —
// and of the derivations that carry a value into another (formatting,
// encoders, errors), for PKCE007; exposurewalk.go follows the verifiers to
// them. The table matches functions and methods by package path and name
// (types.Func identity), so it matches zap, logrus and zerolog only in a
// package that imports them.

// ExposureKind says where an exposed verifier goes.
type ExposureKind int

const (
	ExposedLog          ExposureKind = iota + 1 // a log, standard output or error (CWE-532)
	ExposedResponse                             // an HTTP response (CWE-200)
	ExposedFrontChannel                         // the authorization request, a redirect, the state (CWE-200)
)

// Exposure is one place a code verifier, or a value made from it, leaves
// the client by another way than the token request.
type Exposure struct {
	Kind ExposureKind
	Fn   *ssa.Function
	// Range is the expression to report: the argument that carries the
	// verifier, or the option or parameter that sends it.
	Range analysis.Range
	// API says what writes it: "log.Printf", "http.Error", "the state of
	// (*oauth2.Config).AuthCodeURL", "logf (which writes it to log.Printf)".
	API string
	// Call and Arg are the call expression and the index of the argument
	// that carries the verifier, when the exposure is a call's argument;
	// Call is nil otherwise. A slog call's key-value pair is removable
	// when Arg's value is the verifier itself (How is "") and the
	// argument before it is the key (see SlogArgs).
	Call *ast.CallExpr
	Arg  int
	// How the exposed value is made from the verifier: "" for the
	// verifier itself, else the derivation ("fmt.Sprintf", "string
	// concatenation"). ErrorAt is the fmt.Errorf or errors.New call that
	// put it in an error, when it went through one.
	How     string
	ErrorAt token.Pos
	// Source is where the value is known to be a verifier, for a related
	// location: the verifier sink or verifier API it comes from.
	Source    string
	SourcePos token.Pos
	// Field is set when a struct that holds the verifier in this field
	// is written whole (fmt prints every field).
	Field string
	// Slog is set when the call is a log/slog call whose variadic
	// key-value pairs (or attributes) start at argument SlogFirst.
	Slog      bool
	SlogFirst int
}

// exposureSite is what the table says of a call: where its arguments go,
// and from which SSA argument on (a method's receiver is argument 0).
type exposureSite struct {
	kind ExposureKind
	api  string
	from int
	only int // when >= 0, the one argument exposed
	slog bool
}

// isLogName reports whether a function or method of package log writes
// its arguments: Print, Printf, Fatalln, Panic, ...
func isLogName(name string) bool {
	for _, prefix := range [...]string{"Print", "Fatal", "Panic"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok && (rest == "" || rest == "f" || rest == "ln") {
			return true
		}
	}
	return false
}

// exposureOf looks a call up in the table of exposure sinks.
func exposureOf(c *ssa.CallCommon) (exposureSite, bool) {
	if c.IsInvoke() {
		name := c.Method.Name()
		switch {
		case IsHTTPResponseWriter(c.Value.Type()) && name == "Write":
			return exposureSite{ExposedResponse, "Write on the http.ResponseWriter", 0, -1, false}, true
		}
		return exposureSite{}, false
	}
	if b, ok := c.Value.(*ssa.Builtin); ok {
		if b.Name() == "print" || b.Name() == "println" {
			return exposureSite{ExposedLog, "the builtin " + b.Name(), 0, -1, false}, true
		}
		return exposureSite{}, false
	}
	obj := CalleeFunc(c)
	if obj == nil || obj.Pkg() == nil {
		return exposureSite{}, false
	}
	name := obj.Name()
	recv := obj.Signature().Recv() != nil
	site := func(kind ExposureKind, api string, from int) (exposureSite, bool) {
		return exposureSite{kind: kind, api: api, from: from, only: -1}, true
	}
	switch obj.Pkg().Path() {
	case "log":
		if isLogName(name) || name == "Output" {
			from := 0
			if name == "Output" {
				from = 1
			}
			if recv {
				return site(ExposedLog, "(*log.Logger)."+name, from+1)
			}
			return site(ExposedLog, "log."+name, from)
		}
	case "log/slog":
		from := -1
		switch name {
		case "Debug", "Info", "Warn", "Error", "With":
			from = 0
		case "DebugContext", "InfoContext", "WarnContext", "ErrorContext":
			from = 1
		case "Log", "LogAttrs":
			from = 2
		}
		if from < 0 {
			break
		}
		api := "slog." + name
		if recv {
			from++
			api = "(*slog.Logger)." + name
		}
		return exposureSite{ExposedLog, api, from, -1, true}, true
	case "fmt":
		switch name {
		case "Print", "Printf", "Println":
			return site(ExposedLog, "fmt."+name, 0)
		case "Fprint", "Fprintf", "Fprintln":
			if kind, what := writerKind(c.Args[0]); kind != 0 {
				return site(kind, "fmt."+name+" to "+what, 1)
			}
		}
	case "io":
		if name == "WriteString" {
			if kind, what := writerKind(c.Args[0]); kind != 0 {
				return site(kind, "io.WriteString to "+what, 1)
			}
		}
	case "os":
		if recv && (name == "Write" || name == "WriteString") {
			if kind, what := writerKind(c.Args[0]); kind == ExposedLog {
				return site(kind, what+"."+name, 1)
			}
		}
	case "encoding/json":
		if recv && name == "Encode" {
			if kind, what := encoderWriter(c.Args[0]); kind != 0 {
				return site(kind, "a JSON encoder on "+what, 1)
			}
		}
	case "net/http":
		switch {
		case !recv && name == "Error":
			return site(ExposedResponse, "http.Error", 1)
		case !recv && name == "Redirect":
			return exposureSite{ExposedFrontChannel, "the Location of http.Redirect", 2, 2, false}, true
		case recv && (name == "Set" || name == "Add") && len(c.Args) == 3 && responseHeader(c.Args[0]):
			if key, ok := stringConst(c.Args[1]); ok && strings.EqualFold(key, "Location") {
				return exposureSite{ExposedFrontChannel, "the Location header of the response", 2, 2, false}, true
			}
			return exposureSite{ExposedResponse, "a header of the HTTP response", 2, 2, false}, true
		}
	case "html/template", "text/template":
		if recv && (name == "Execute" || name == "ExecuteTemplate") && len(c.Args) >= 3 {
			if kind, what := writerKind(c.Args[1]); kind != 0 {
				data := len(c.Args) - 1
				return exposureSite{kind, "a template executed on " + what, data, data, false}, true
			}
		}
	case "go.uber.org/zap":
		if recv && isLoggerMethod(name) {
			return site(ExposedLog, "zap "+name, 1)
		}
	case "github.com/sirupsen/logrus":
		if isLoggerMethod(name) || name == "WithField" || name == "WithFields" {
			if recv {
				return site(ExposedLog, "logrus "+name, 1)
			}
			return site(ExposedLog, "logrus."+name, 0)
		}
	case "github.com/rs/zerolog":
		// Anything added to a zerolog event or context is logged
		// with it: Str, Interface, Msg, Msgf, ...
		if recv && name != "Enabled" && name != "Discard" {
			return site(ExposedLog, "zerolog "+name, 1)
		}
	}
	return exposureSite{}, false
}

// isLoggerMethod reports whether a method name of a leveled logger (zap,
// logrus) writes its arguments: Info, Infof, Infow, Infoln, With, ...
func isLoggerMethod(name string) bool {
	if name == "With" || name == "Log" || name == "Logf" || name == "Logln" {
		return true
	}
	for _, level := range []string{"Trace", "Debug", "Info", "Print", "Warn", "Warning", "Error", "DPanic", "Panic", "Fatal"} {
		if rest, ok := strings.CutPrefix(name, level); ok {
			switch rest {
			case "", "f", "w", "ln":
				return true
			}
		}
	}
	return false
}

// writerKind classifies the writer of fmt.Fprint* and io.WriteString:
// os.Stdout or os.Stderr (a log), an http.ResponseWriter (a response).
func writerKind(w ssa.Value) (ExposureKind, string) {
	for {
		switch x := w.(type) {
		case *ssa.MakeInterface:
			w = x.X
			continue
		case *ssa.ChangeInterface:
			w = x.X
			continue
		case *ssa.UnOp:
			if g, ok := x.X.(*ssa.Global); ok && x.Op == token.MUL && g.Pkg != nil && g.Pkg.Pkg.Path() == "os" &&
				(g.Name() == "Stdout" || g.Name() == "Stderr") {
				return ExposedLog, "os." + g.Name()
			}
		}
		if IsHTTPResponseWriter(w.Type()) {
			return ExposedResponse, "the http.ResponseWriter"
		}
		return 0, ""
	}
}

// encoderWriter classifies the writer of a *json.Encoder made by
// json.NewEncoder in the same function.
func encoderWriter(enc ssa.Value) (ExposureKind, string) {
	call, ok := enc.(*ssa.Call)
	if !ok || !IsFunc(CalleeFunc(call.Common()), "encoding/json", "NewEncoder") || len(call.Call.Args) != 1 {
		return 0, ""
	}
	return writerKind(call.Call.Args[0])
}

// responseHeader reports whether h is the header map of a response:
// w.Header() on an http.ResponseWriter.
func responseHeader(h ssa.Value) bool {
	call, ok := h.(*ssa.Call)
	return ok && call.Call.IsInvoke() && call.Call.Method.Name() == "Header" && IsHTTPResponseWriter(call.Call.Value.Type())
}

// derivation says whether a call's results are made from its arguments so
// that they carry a verifier among them: formatting, concatenating,
// encoding, wrapping into an error, a log attribute or a JSON document.
// A hash, a length or a comparison is none. It returns the derivation's
// name and whether it makes an error.
func derivation(c *ssa.CallCommon) (how string, isErr, ok bool) {
	if c.IsInvoke() {
		switch c.Method.Name() {
		case "Error", "String":
			return "", false, true // the text of the error or value itself
		}
		return "", false, false
	}
	obj := CalleeFunc(c)
	if obj == nil || obj.Pkg() == nil {
		return "", false, false
	}
	name := obj.Name()
	recv := obj.Signature().Recv() != nil
	switch path := obj.Pkg().Path(); path {
	case "fmt":
		switch name {
		case "Errorf":
			return "fmt.Errorf", true, true
		case "Sprint", "Sprintf", "Sprintln", "Append", "Appendf", "Appendln":
			return "fmt." + name, false, true
		}
	case "errors":
		if name == "New" || name == "Join" {
			return "errors." + name, true, true
		}
	case "strings", "bytes":
		// Functions whose result is text made from the argument:
		// ToUpper, TrimSpace, Join, Replace, Split, ...
		if !recv && carriesText(obj.Signature().Results()) {
			return path + "." + name, false, true
		}
		if recv && (name == "String" || name == "Bytes") {
			return "", false, true
		}
	case "strconv":
		if strings.HasPrefix(name, "Quote") || strings.HasPrefix(name, "AppendQuote") {
			return "strconv." + name, false, true
		}
	case "net/url":
		switch name {
		case "QueryEscape", "PathEscape":
			return "url." + name, false, true
		case "Encode":
			return "(url.Values).Encode", false, recv
		}
	case "encoding/base64", "encoding/base32", "encoding/hex":
		if name == "EncodeToString" || name == "AppendEncode" {
			return path[strings.LastIndex(path, "/")+1:] + "." + name, false, true
		}
	case "encoding/json":
		if name == "Marshal" || name == "MarshalIndent" {
			return "json." + name, false, true
		}
	case "log/slog":
		switch name {
		case "String", "Any", "Group", "StringValue", "AnyValue", "GroupValue":
			return "", false, true
		}
	case "go.uber.org/zap":
		switch name {
		case "String", "Any", "ByteString", "Binary", "Stringer", "Reflect", "Strings", "Error", "NamedError":
			return "", false, !recv
		}
	}
	return "", false, false
}

// accumulator says whether a call writes its argument into its receiver
// (argument 0): a strings.Builder, a bytes.Buffer, url.Values.
func accumulator(c *ssa.CallCommon) bool {
	obj := CalleeFunc(c)
	if obj == nil || obj.Signature().Recv() == nil || len(c.Args) < 2 {
		return false
	}
	switch {
	case IsMethod(obj, "strings", "Builder", obj.Name()), IsMethod(obj, "bytes", "Buffer", obj.Name()):
		return strings.HasPrefix(obj.Name(), "Write")
	case IsMethod(obj, URLPath, "Values", "Set"), IsMethod(obj, URLPath, "Values", "Add"):
		return true
	}
	return false
}

// carriesText reports whether a result list holds a string, a byte slice
// or a slice of them.
func carriesText(res *types.Tuple) bool {
	for i := 0; i < res.Len(); i++ {
		t := res.At(i).Type()
		if s, ok := t.Underlying().(*types.Slice); ok && IsStringLike(s.Elem()) {
			return true
		}
		if IsStringLike(t) {
			return true
		}
	}
	return false
}

// SlogArgs returns the arguments of a log/slog call to delete to remove
// the verifier from it: its key-value pair ("verifier", v) or its
// attribute (slog.String("verifier", v)). ok is false unless the argument
// is the verifier itself, named by a variable or field (deleting it
// deletes no call), and its key is a constant.
func (e Exposure) SlogArgs(info *types.Info) (from, to int, ok bool) {
	if !e.Slog || e.Call == nil || e.How != "" || e.Field != "" || e.Call.Ellipsis.IsValid() || e.Arg < e.SlogFirst {
		return 0, 0, false
	}
	args := e.Call.Args
	for j := e.SlogFirst; j <= e.Arg; {
		if isSlogAttr(info.TypeOf(args[j])) {
			if j < e.Arg {
				j++
				continue
			}
			call, isCall := ast.Unparen(args[j]).(*ast.CallExpr)
			if !isCall || len(call.Args) != 2 || !plainOperand(call.Args[1]) {
				return 0, 0, false
			}
			if _, isConst := StringConst(info, call.Args[0]); !isConst {
				return 0, 0, false
			}
			fn := Callee(info, call)
			if !IsFunc(fn, "log/slog", "String") && !IsFunc(fn, "log/slog", "Any") {
				return 0, 0, false
			}
			return j, j, true
		}
		if j+1 == e.Arg {
			if _, isConst := StringConst(info, args[j]); !isConst || !plainOperand(args[e.Arg]) {
				return 0, 0, false
			}
			return j, e.Arg, true
		}
		if j == e.Arg {
			return 0, 0, false // the verifier as a key
		}
		j += 2
	}
	return 0, 0, false
}

// plainOperand reports whether e is a variable or a field selection,
// which evaluating has no effect.
func plainOperand(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return plainOperand(e.X)
	}
	return false
}

func isSlogAttr(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "log/slog" && named.Obj().Name() == "Attr"
}
