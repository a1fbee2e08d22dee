package pkce

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"go/version"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

// This file holds what the rules need to offer suggested fixes: a Report
// that carries them, and the small syntax helpers a fix is built from —
// finding the call an option is passed to, the name a package goes by in a
// file, the import to add, the imports a fix leaves unused. A fix is
// offered only where the edit is local and keeps the program's meaning
// apart from the mistake it corrects; each rule says where that is.

// ReportFix is Report with suggested fixes (none when fixes is empty).
func ReportFix(pass *analysis.Pass, rng analysis.Range, ruleID, msg string, fixes []analysis.SuggestedFix, related ...analysis.RelatedInformation) {
	pass.Report(analysis.Diagnostic{
		Pos:            rng.Pos(),
		End:            rng.End(),
		Category:       ruleID,
		Message:        msg,
		Related:        related,
		SuggestedFixes: fixes,
	})
}

// Fix returns a one-fix list, or nil when edits is empty.
func Fix(message string, edits ...analysis.TextEdit) []analysis.SuggestedFix {
	if len(edits) == 0 {
		return nil
	}
	return []analysis.SuggestedFix{{Message: message, TextEdits: edits}}
}

// FileOf returns the file of the pass that holds pos, or nil.
func FileOf(pass *analysis.Pass, pos token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// ArgOf returns the call that e is a direct argument of, and e's index
// among its arguments, when the call is not variadic-spread (f(xs...)).
func ArgOf(pass *analysis.Pass, e ast.Expr) (*ast.CallExpr, int, *ast.File) {
	file := FileOf(pass, e.Pos())
	if file == nil {
		return nil, -1, nil
	}
	path, exact := EnclosingPath(file, e.Pos(), e.End())
	if !exact || len(path) < 2 || path[0] != e {
		return nil, -1, nil
	}
	call, ok := path[1].(*ast.CallExpr)
	if !ok || call.Ellipsis.IsValid() {
		return nil, -1, nil
	}
	for i, a := range call.Args {
		if a == e {
			return call, i, file
		}
	}
	return nil, -1, nil
}

// CallTo returns e as a call of the package-level function pkgPath.name.
func CallTo(info *types.Info, e ast.Expr, pkgPath, name string) (*ast.CallExpr, bool) {
	call, ok := astutil.Unparen(e).(*ast.CallExpr)
	if !ok || !IsFunc(Callee(info, call), pkgPath, name) {
		return nil, false
	}
	return call, true
}

// Qualifier returns how a call's function names its package: "oauth2." for
// oauth2.F(…), "" for a dot-imported F(…). ok is false for other forms.
func Qualifier(info *types.Info, call *ast.CallExpr) (string, bool) {
	switch fun := astutil.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return "", true
	case *ast.SelectorExpr:
		if id, ok := fun.X.(*ast.Ident); ok {
			if _, ok := info.Uses[id].(*types.PkgName); ok {
				return id.Name + ".", true
			}
		}
	}
	return "", false
}

// Render prints an expression as the source has it, comments aside.
func Render(fset *token.FileSet, e ast.Expr) string {
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, e); err != nil {
		return types.ExprString(e)
	}
	return buf.String()
}

// MadeInPlace reports whether e computes its value from nothing but
// constants and calls: it reads no variable and no constant of this
// package. Such a value is stored nowhere and appears nowhere else, so
// replacing the expression changes no other use of the same value.
func MadeInPlace(pass *analysis.Pass, e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			ok = false // a closure may capture anything
		case *ast.Ident:
			switch obj := pass.TypesInfo.Uses[n].(type) {
			case *types.Var:
				ok = false
			case *types.Const:
				if obj.Pkg() == pass.Pkg {
					ok = false
				}
			}
		}
		return ok
	})
	return ok
}

// DeleteArg returns the edit that removes call's argument i with the comma
// before it (i > 0), or after it (i == 0).
func DeleteArg(call *ast.CallExpr, i int) analysis.TextEdit {
	if i > 0 {
		return analysis.TextEdit{Pos: call.Args[i-1].End(), End: call.Args[i].End()}
	}
	if len(call.Args) > 1 {
		return analysis.TextEdit{Pos: call.Args[0].Pos(), End: call.Args[1].Pos()}
	}
	return analysis.TextEdit{Pos: call.Args[0].Pos(), End: call.Args[0].End()}
}

// AtLeastGo reports whether file is compiled at Go version v or later
// (an unknown version counts as new enough).
func AtLeastGo(pass *analysis.Pass, file *ast.File, v string) bool {
	fv := pass.TypesInfo.FileVersions[file]
	if fv == "" && pass.Pkg != nil {
		fv = pass.Pkg.GoVersion()
	}
	return fv == "" || version.Compare(fv, v) >= 0
}

// ImportName returns the name under which the code at pos in file can
// refer to the package path, with the edits that import it when the file
// does not yet: the name of an existing import, else the first of names
// that nothing visible at pos already uses (so an alias such as crand when
// rand is math/rand). It returns "" when no name is usable.
func ImportName(pass *analysis.Pass, file *ast.File, pos token.Pos, path string, names ...string) (string, []analysis.TextEdit) {
	scope := pass.Pkg.Scope().Innermost(pos)
	if scope == nil {
		return "", nil
	}
	for _, imp := range file.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p != path {
			continue
		}
		pn, _ := pass.TypesInfo.Implicits[imp].(*types.PkgName)
		if imp.Name != nil {
			pn, _ = pass.TypesInfo.Defs[imp.Name].(*types.PkgName)
		}
		if pn == nil || pn.Name() == "_" || pn.Name() == "." {
			continue
		}
		if _, obj := scope.LookupParent(pn.Name(), pos); obj == pn {
			return pn.Name(), nil
		}
	}
	for i, name := range names {
		if _, obj := scope.LookupParent(name, pos); obj != nil {
			continue
		}
		spec := strconv.Quote(path)
		if i > 0 || !pathEndsWith(path, name) {
			spec = name + " " + spec
		}
		return name, []analysis.TextEdit{addImport(file, spec)}
	}
	return "", nil
}

func pathEndsWith(path, name string) bool {
	return path == name || len(path) > len(name) && path[len(path)-len(name)-1] == '/' && path[len(path)-len(name):] == name
}

// addImport inserts an import spec at the start of the file's first import
// declaration, or as a declaration of its own after the package clause.
// gofmt puts it in order.
func addImport(file *ast.File, spec string) analysis.TextEdit {
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT {
			continue
		}
		if gen.Lparen.IsValid() {
			return analysis.TextEdit{Pos: gen.Lparen + 1, End: gen.Lparen + 1, NewText: []byte("\n\t" + spec)}
		}
		return analysis.TextEdit{Pos: gen.Pos(), End: gen.Pos(), NewText: []byte("import " + spec + "\n")}
	}
	return analysis.TextEdit{Pos: file.Name.End(), End: file.Name.End(), NewText: []byte("\n\nimport " + spec)}
}

// DropImports returns the edits that delete the imports of file whose
// every use lies inside the replaced ranges, so that a fix that replaces
// them leaves a file that compiles under drivers that do not clean up
// imports themselves (go fix does; golangci-lint does not).
func DropImports(pass *analysis.Pass, file *ast.File, replaced ...analysis.Range) []analysis.TextEdit {
	inside := func(pos token.Pos) bool {
		for _, r := range replaced {
			if r.Pos() <= pos && pos < r.End() {
				return true
			}
		}
		return false
	}
	uses := make(map[*types.PkgName]int)     // uses outside the ranges
	touched := make(map[*types.PkgName]bool) // some use inside them
	ast.Inspect(file, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		if pn, ok := pass.TypesInfo.Uses[id].(*types.PkgName); ok {
			if inside(id.Pos()) {
				touched[pn] = true
			} else {
				uses[pn]++
			}
		}
		return true
	})
	var edits []analysis.TextEdit
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT {
			continue
		}
		for _, s := range gen.Specs {
			imp := s.(*ast.ImportSpec)
			pn, _ := pass.TypesInfo.Implicits[imp].(*types.PkgName)
			if imp.Name != nil {
				pn, _ = pass.TypesInfo.Defs[imp.Name].(*types.PkgName)
			}
			if pn == nil || !touched[pn] || uses[pn] > 0 {
				continue
			}
			if !gen.Lparen.IsValid() {
				edits = append(edits, analysis.TextEdit{Pos: gen.Pos(), End: gen.End()})
				continue
			}
			// The spec, its comment and the line it is on.
			start, end := imp.Pos(), imp.End()
			if imp.Doc != nil {
				start = imp.Doc.Pos()
			}
			if imp.Comment != nil {
				end = imp.Comment.End()
			}
			tf := pass.Fset.File(start)
			if line := tf.Line(start); tf.LineStart(line) > gen.Lparen {
				start = tf.LineStart(line)
			}
			if line := tf.Line(end); line < tf.LineCount() && tf.LineStart(line+1) < gen.Rparen {
				end = tf.LineStart(line + 1)
			}
			edits = append(edits, analysis.TextEdit{Pos: start, End: end})
		}
	}
	return edits
}
