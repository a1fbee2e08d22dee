package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/astutil"

	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/report"
)

// fixed is the result of applying the fixes of a report.
type fixed struct {
	files   map[string][]byte // file -> fixed content, for the files that change
	old     map[string][]byte // file -> content before
	applied []int             // indices of the findings whose fix was applied
	skipped int               // fixes left out: overlapping an applied one, or unreadable files
}

// applyFixes applies the fix of every unsuppressed finding that has one,
// as go fix does: the first fix of each diagnostic, in report order. Edits
// identical to ones already taken (the same import added by two fixes) are
// taken once; insertions at one place (two imports added after the same
// parenthesis) are made in report order; a fix that overlaps one already
// taken is left out, and a second run picks it up. Then, per file, the
// imports that the merged edits left unused are removed (tidyImports):
// each fix alone may keep an import that two fixes together no longer use.
// A file that was gofmt-ed before is gofmt-ed after.
func applyFixes(r *report.Report) (*fixed, error) {
	out := &fixed{files: make(map[string][]byte), old: make(map[string][]byte)}
	taken := make(map[string][]report.Edit)
	for i, f := range r.Findings {
		if f.Suppressed || f.Fix == nil || len(f.Fix.Edits) == 0 {
			continue
		}
		var add []report.Edit
		ok := true
		for _, e := range f.Fix.Edits {
			if _, err := out.read(e.File); err != nil || e.Start > e.End || e.End > len(out.old[e.File]) {
				ok = false
				break
			}
			dup := false
			for _, t := range append(taken[e.File], add...) {
				switch {
				case t == e:
					dup = true
				case e.Start < t.End && t.Start < e.End, // overlapping
					e.Start == t.Start && (e.Start == e.End) != (t.Start == t.End): // an insertion at a replacement's start
					ok = false
				}
			}
			if !dup {
				add = append(add, e)
			}
		}
		if !ok {
			out.skipped++
			continue
		}
		for _, e := range add {
			taken[e.File] = append(taken[e.File], e)
		}
		out.applied = append(out.applied, i)
	}
	for file, edits := range taken {
		src := out.old[file]
		slices.SortStableFunc(edits, func(a, b report.Edit) int { return a.Start - b.Start })
		var buf bytes.Buffer
		last := 0
		for _, e := range edits {
			buf.Write(src[last:e.Start])
			buf.WriteString(e.NewText)
			last = e.End
		}
		buf.Write(src[last:])
		res := buf.Bytes()
		formatted, err := format.Source(src)
		if tidied, ok := tidyImports(src, res, err == nil && bytes.Equal(formatted, src)); ok {
			res = tidied
		}
		if !bytes.Equal(res, src) {
			out.files[file] = res
		}
	}
	return out, nil
}

// tidyImports removes from res, a file after fixes, the imports that src,
// the file before them, used and res no longer uses, as go fix -fixtool
// does after merging the edits, so that the file still builds; it
// sorts the imports and gofmt-s the file when gofmt is set or when an
// import goes. ok is false when there is nothing to do or res does not
// parse.
//
// An import is used when its name qualifies an identifier (x.Y): the name
// it is renamed to, else the last element of its path that is not a major
// version ("v2"). Without type information that name is a guess; an
// import whose guessed name src does not use is never removed.
func tidyImports(src, res []byte, gofmt bool) (out []byte, ok bool) {
	fset := token.NewFileSet()
	before, err := parser.ParseFile(fset, "before.go", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, false
	}
	after, err := parser.ParseFile(fset, "after.go", res, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, false
	}
	usedBefore, usedAfter := qualifiers(before), qualifiers(after)
	removed := false
	for _, imp := range slices.Clone(after.Imports) {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		name, explicit := importName(path), ""
		if imp.Name != nil {
			name, explicit = imp.Name.Name, imp.Name.Name
		}
		if name == "_" || name == "." || !usedBefore[name] || usedAfter[name] {
			continue
		}
		removed = astutil.DeleteNamedImport(fset, after, explicit, path) || removed
	}
	if !removed && !gofmt {
		return nil, false
	}
	ast.SortImports(fset, after)
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, after); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}

// qualifiers returns the names that qualify an identifier (the x of x.Y)
// outside f's import declarations.
func qualifiers(f *ast.File) map[string]bool {
	used := make(map[string]bool)
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		ast.Inspect(d, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok {
					used[id.Name] = true
				}
			}
			return true
		})
	}
	return used
}

// importName guesses the name a package is imported under: the last
// element of its path that is not a major version.
func importName(path string) string {
	elems := strings.Split(path, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
		name = elems[len(elems)-2]
	}
	return name
}

func (x *fixed) read(file string) ([]byte, error) {
	if b, ok := x.old[file]; ok {
		return b, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	x.old[file] = b
	return b, nil
}

// write writes the fixed files in place, keeping their permissions.
func (x *fixed) write() error {
	for _, file := range slices.Sorted(maps.Keys(x.files)) {
		fi, err := os.Stat(file)
		if err != nil {
			return err
		}
		if err := os.WriteFile(file, x.files[file], fi.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}

// diff writes a unified diff of the fixed files, with paths relative to
// dir as a/… and b/…, as git diff does.
func (x *fixed) diff(w io.Writer, dir string) error {
	for _, file := range slices.Sorted(maps.Keys(x.files)) {
		name := file
		if rel, err := filepath.Rel(dir, file); err == nil && filepath.IsLocal(rel) {
			name = filepath.ToSlash(rel)
		}
		if _, err := io.WriteString(w, unifiedDiff("a/"+name, "b/"+name, x.old[file], x.files[file])); err != nil {
			return err
		}
	}
	return nil
}

// unifiedDiff is a line diff of a and b with three lines of context. The
// lines the two share at the start and end are set aside first; what is
// left, small for a fix, is compared by longest common subsequence (or,
// past a size where that would cost too much, replaced as one block).
func unifiedDiff(nameA, nameB string, a, b []byte) string {
	al, bl := splitLines(a), splitLines(b)
	pre := 0
	for pre < len(al) && pre < len(bl) && al[pre] == bl[pre] {
		pre++
	}
	suf := 0
	for suf < len(al)-pre && suf < len(bl)-pre && al[len(al)-1-suf] == bl[len(bl)-1-suf] {
		suf++
	}
	// ops over the whole files: ' ' kept, '-' removed, '+' added.
	type op struct {
		kind byte
		line string
	}
	var ops []op
	for _, l := range al[:pre] {
		ops = append(ops, op{' ', l})
	}
	ma, mb := al[pre:len(al)-suf], bl[pre:len(bl)-suf]
	if len(ma)*len(mb) > 4_000_000 {
		for _, l := range ma {
			ops = append(ops, op{'-', l})
		}
		for _, l := range mb {
			ops = append(ops, op{'+', l})
		}
	} else {
		// lcs[i][j]: the longest common subsequence of ma[i:] and mb[j:].
		lcs := make([][]int, len(ma)+1)
		for i := range lcs {
			lcs[i] = make([]int, len(mb)+1)
		}
		for i := len(ma) - 1; i >= 0; i-- {
			for j := len(mb) - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < len(ma) || j < len(mb) {
			switch {
			case i < len(ma) && j < len(mb) && ma[i] == mb[j]:
				ops = append(ops, op{' ', ma[i]})
				i, j = i+1, j+1
			case i < len(ma) && (j == len(mb) || lcs[i+1][j] >= lcs[i][j+1]):
				ops = append(ops, op{'-', ma[i]})
				i++
			default:
				ops = append(ops, op{'+', mb[j]})
				j++
			}
		}
	}
	for _, l := range al[len(al)-suf:] {
		ops = append(ops, op{' ', l})
	}

	const context = 3
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", nameA, nameB)
	for start := 0; start < len(ops); {
		for start < len(ops) && ops[start].kind == ' ' {
			start++
		}
		if start == len(ops) {
			break
		}
		// A hunk runs from context lines before the first change to
		// context lines after the last change that is no more than
		// 2*context unchanged lines from the next.
		from := max(0, start-context)
		end := start
		for k := start; k < len(ops); k++ {
			if ops[k].kind != ' ' {
				end = k + 1
			} else if k-end >= 2*context {
				break
			}
		}
		to := min(len(ops), end+context)
		// Line numbers of the hunk's first line in a and b.
		la, lb := 1, 1
		for _, o := range ops[:from] {
			if o.kind != '+' {
				la++
			}
			if o.kind != '-' {
				lb++
			}
		}
		na, nb := 0, 0
		for _, o := range ops[from:to] {
			if o.kind != '+' {
				na++
			}
			if o.kind != '-' {
				nb++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(la, na), hunkRange(lb, nb))
		for _, o := range ops[from:to] {
			out.WriteByte(o.kind)
			out.WriteString(o.line)
			if !strings.HasSuffix(o.line, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		start = to
	}
	return out.String()
}

func hunkRange(line, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", line-1)
	case 1:
		return fmt.Sprint(line)
	}
	return fmt.Sprintf("%d,%d", line, n)
}

// splitLines splits after each newline, keeping it.
func splitLines(b []byte) []string {
	var lines []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			lines = append(lines, string(b))
			break
		}
		lines = append(lines, string(b[:i+1]))
		b = b[i+1:]
	}
	return lines
}
