package report

import (
	"path/filepath"
	"strings"
)

// below reports whether file lies inside dir and, if so, returns its path
// relative to dir. Both are absolute paths; an empty dir contains nothing.
func below(dir, file string) (string, bool) {
	if dir == "" || file == "" {
		return "", false
	}
	rel, err := filepath.Rel(dir, file)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return rel, true
}

// displayPath is file as text and JSON print it: relative to workDir when
// the file is below it, else as given (absolute).
func displayPath(workDir, file string) string {
	if rel, ok := below(workDir, file); ok {
		return rel
	}
	return file
}

// relativeURI turns a relative file path into a relative URI reference:
// forward slashes, percent-encoding, and no colon in the first segment
// (where it would read as a URI scheme).
func relativeURI(rel string) string {
	p := filepath.ToSlash(rel)
	first, rest, found := strings.Cut(p, "/")
	first = strings.ReplaceAll(escapePath(first), ":", "%3A")
	if !found {
		return first
	}
	return first + "/" + escapePath(rest)
}

// fileURI is the absolute file:// URI of an absolute path.
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive path: file:///C:/...
	}
	return "file://" + escapePath(p)
}

// dirURI is the absolute file:// URI of a directory, with the trailing
// slash that lets relative references resolve inside it.
func dirURI(dir string) string {
	u := fileURI(dir)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// escapePath percent-encodes the bytes of p that may not appear in a URI
// path (RFC 3986 pchar plus "/"), non-ASCII bytes included.
func escapePath(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if isPathChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xF])
	}
	return b.String()
}

func isPathChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0
}
