package report

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The rolling hash of GitHub code scanning's primaryLocationLineHash, as
// computed by github/codeql-action (src/fingerprints.ts) when it uploads a
// SARIF log. The upload action warns when a log carries a value that differs
// from its own, so this must match it unit for unit.
const (
	hashWindow = 100    // BLOCK_SIZE: code units that make up a line's hash
	hashBase   = 37     // MOD: the multiplier of the polynomial hash
	hashEOF    = 0xFFFF // the unit fed once at end of file
)

// LineHashes returns the primaryLocationLineHash of every line of content:
// element i is the fingerprint of line i+1.
//
// The content is read as UTF-16 code units, decoded from UTF-8 the way
// Node.js does (each ill-formed sequence becomes one U+FFFD). Spaces, tabs
// and an LF that follows a CR are skipped and a CR becomes LF; every other
// unit enters a polynomial hash over the last 100 units, computed modulo
// 2^64. A line's hash is taken over the 100 units that start with its first
// kept unit (a blank line starts with its LF), so it depends on the line and
// what follows it, not on what precedes it. The end of the file is marked by
// the unit 0xFFFF and padded with zeros. The fingerprint is the hash in
// lower-case hex, a colon, and how many times that hex value has occurred so
// far in the file (1 for the first).
//
// As in codeql-action, a file that ends with a newline (or is empty) has one
// more line than it has newlines: the line that holds only the end marker.
func LineHashes(content []byte) []string {
	var firstMod uint64 = 1 // 37^100 mod 2^64, the weight of the unit leaving the window
	for range hashWindow {
		firstMod *= hashBase
	}
	var (
		window    [hashWindow]uint16
		lineAt    [hashWindow]int // the 1-based line that starts at this slot, or 0
		h         uint64          // unsigned arithmetic wraps exactly as signed 64-bit does
		index     int
		line      int
		lineStart = true
		prevCR    bool
		counts    = make(map[string]int)
		hashes    []string
	)
	output := func() {
		hex := strconv.FormatUint(h, 16)
		counts[hex]++
		hashes = append(hashes, hex+":"+strconv.Itoa(counts[hex]))
		lineAt[index] = 0
	}
	update := func(c uint16) {
		leaving := window[index]
		window[index] = c
		h = hashBase*h + uint64(c) - firstMod*uint64(leaving)
		index = (index + 1) % hashWindow
	}
	process := func(c uint16) {
		if c == ' ' || c == '\t' || (prevCR && c == '\n') {
			prevCR = false
			return
		}
		prevCR = c == '\r'
		if c == '\r' {
			c = '\n'
		}
		if lineAt[index] != 0 {
			output()
		}
		if lineStart {
			lineStart = false
			line++
			lineAt[index] = line
		}
		if c == '\n' {
			lineStart = true
		}
		update(c)
	}
	forEachUTF16(content, process)
	process(hashEOF)
	for range hashWindow {
		if lineAt[index] != 0 {
			output()
		}
		update(0)
	}
	// Lines leave the window in the order they entered it, so hashes[i]
	// belongs to line i+1.
	return hashes
}

// forEachUTF16 calls f with each UTF-16 code unit of b decoded as UTF-8.
func forEachUTF16(b []byte, f func(uint16)) {
	for len(b) > 0 {
		r, n := decodeRune(b)
		b = b[n:]
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			f(uint16(r1))
			f(uint16(r2))
		} else {
			f(uint16(r))
		}
	}
}

// utf16Len is the number of UTF-16 code units in b decoded as UTF-8.
func utf16Len(b []byte) int {
	n := 0
	forEachUTF16(b, func(uint16) { n++ })
	return n
}

// decodeRune decodes the first character of a non-empty b as the WHATWG
// Encoding Standard's UTF-8 decoder (used by Node.js) does: a maximal
// ill-formed subsequence becomes a single U+FFFD and the byte that ended it
// is decoded afresh. utf8.DecodeRune differs only on ill-formed input, where
// it consumes one byte per U+FFFD.
func decodeRune(b []byte) (rune, int) {
	c := b[0]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	var (
		need     int
		r        rune
		lo, hi   byte = 0x80, 0xBF // the range of the next continuation byte
		leadMask byte
	)
	switch {
	case 0xC2 <= c && c <= 0xDF:
		need, leadMask = 1, 0x1F
	case 0xE0 <= c && c <= 0xEF:
		need, leadMask = 2, 0x0F
		if c == 0xE0 {
			lo = 0xA0 // no overlong forms
		} else if c == 0xED {
			hi = 0x9F // no surrogates
		}
	case 0xF0 <= c && c <= 0xF4:
		need, leadMask = 3, 0x07
		if c == 0xF0 {
			lo = 0x90 // no overlong forms
		} else if c == 0xF4 {
			hi = 0x8F // nothing above U+10FFFF
		}
	default:
		return utf8.RuneError, 1
	}
	r = rune(c & leadMask)
	for k := 1; k <= need; k++ {
		if k >= len(b) || b[k] < lo || b[k] > hi {
			return utf8.RuneError, k
		}
		r = r<<6 | rune(b[k]&0x3F)
		lo, hi = 0x80, 0xBF
	}
	return r, need + 1
}
