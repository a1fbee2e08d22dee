package report

import (
	"math/big"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// naiveLineHashes is a deliberately direct reading of codeql-action's
// fingerprint definition, sharing no code with LineHashes: normalise the
// whole file into one slice of code units, then compute each line's hash
// from scratch as the polynomial over the 100 units that start at the line's
// first unit, with big.Int reduced modulo 2^64. It only handles valid UTF-8.
func naiveLineHashes(content string) []string {
	units := utf16.Encode([]rune(content))
	var kept []uint16 // the stream that enters the hash
	var starts []int  // index in kept of each line's first unit
	atLineStart := true
	keep := func(c uint16) {
		if atLineStart {
			starts = append(starts, len(kept))
			atLineStart = false
		}
		kept = append(kept, c)
		atLineStart = c == '\n'
	}
	for i, c := range units {
		switch {
		case c == ' ' || c == '\t':
		case c == '\n' && i > 0 && units[i-1] == '\r':
		case c == '\r':
			keep('\n')
		default:
			keep(c)
		}
	}
	keep(0xFFFF)
	kept = append(kept, make([]uint16, 100)...)

	mod := new(big.Int).Lsh(big.NewInt(1), 64)
	seen := map[string]int{}
	var out []string
	for _, p := range starts {
		h := new(big.Int)
		for k := range 100 {
			h.Mul(h, big.NewInt(37))
			h.Add(h, big.NewInt(int64(kept[p+k])))
		}
		hex := h.Mod(h, mod).Text(16)
		seen[hex]++
		out = append(out, hex+":"+strconv.Itoa(seen[hex]))
	}
	return out
}

var hashCases = map[string]string{
	"empty":          "",
	"one char":       "a",
	"short":          "package p\n\nfunc f() {}\n",
	"no final EOL":   "package p\nvar x = 1",
	"crlf":           "package p\r\n\r\nfunc f() {\r\n\treturn\r\n}\r\n",
	"lone cr":        "a\rb\r\rc\n\r\n",
	"tabs and blank": "\tfunc f() {\n\t\tx  :=\t1\n\n   \n\t}\n",
	"spaces only":    "   \n\t\t\n \t \n",
	"non-ascii":      "s := \"héllo→\" + x // 😀 ok\n\U0001F600\U0001F601\n日本語\n",
	"long lines": strings.Repeat("verifier := oauth2.GenerateVerifier() // a line that is long enough\n", 5) +
		strings.Repeat("x", 250) + "\n",
	"repeated": strings.Repeat("x = 1\n", 40),
}

func TestLineHashesMatchesNaive(t *testing.T) {
	for name, content := range hashCases {
		t.Run(name, func(t *testing.T) {
			got := LineHashes([]byte(content))
			want := naiveLineHashes(content)
			if !slices.Equal(got, want) {
				t.Errorf("LineHashes(%q)\n got %q\nwant %q", content, got, want)
			}
		})
	}
}

// TestLineHashesKnownValues pins values produced by codeql-action's own
// hash function (src/fingerprints.ts run under Node.js) on the same input.
func TestLineHashesKnownValues(t *testing.T) {
	for _, tc := range []struct {
		content string
		want    []string
	}{
		{"a", []string{"53b5d4aabe50d64:1"}},
		{hashCases["crlf"], []string{
			"56b6e41eb6292d8:1", "277c9ff04f6961a6:1", "bce2f7b57b1a8a94:1",
			"58228fc5cbc49530:1", "32dce9ccfdbc9d3e:1", "c129715d7a2bc9a3:1",
		}},
		{hashCases["non-ascii"], []string{
			"ca43f2a8a699e2cb:1", "375834239a4b2a2d:1", "f858839ba7634f30:1", "c129715d7a2bc9a3:1",
		}},
		// Ill-formed UTF-8 and a byte order mark, decoded as Node.js does.
		{"a\xffb\n\xe2\x82a\n\xe0\x80\x80x\n\xed\xa0\x80\n\xf0\x9f\x98\n\xc0\xaf\n\xef\xbb\xbfbom\n\xf4\x90\x80\x80\n\xe2\x82", []string{
			"e06579cfc2a4ecc4:1", "20e9ee17a8886fe:1", "2175489dc5b87382:1",
			"57ebfb7e5061838d:1", "e74ca10b81d6d1d4:1", "595e2033c8d5aa49:1",
			"27c9d46bc0373f75:1", "d56a6dd585a90a7e:1", "8989dec65f08d110:1",
		}},
	} {
		if got := LineHashes([]byte(tc.content)); !slices.Equal(got, tc.want) {
			t.Errorf("LineHashes(%q) = %q, want %q", tc.content, got, tc.want)
		}
	}
}

func TestLineHashesLineCount(t *testing.T) {
	for _, tc := range []struct {
		content string
		lines   int
	}{
		{"", 1},           // the end marker is a line of its own
		{"a", 1},          // no final newline: the marker ends line 1
		{"a\n", 2},        // final newline: the marker starts line 2
		{"a\r\nb\r\n", 3}, // CRLF is one newline
		{"a\rb", 2},       // a lone CR is a newline too
		{"a\n\n\nb", 4},   // blank lines count
	} {
		if got := LineHashes([]byte(tc.content)); len(got) != tc.lines {
			t.Errorf("LineHashes(%q) has %d lines, want %d", tc.content, len(got), tc.lines)
		}
	}
}

func TestLineHashesRepeatedLines(t *testing.T) {
	// Forty identical lines, four units each once blanks are skipped
	// ("x=1\n"): lines 1 to 16 are followed by the same 100 units, so they
	// share a hash and are told apart by the counter.
	got := LineHashes([]byte(strings.Repeat("x = 1\n", 40)))
	hex, _, _ := strings.Cut(got[0], ":")
	for i := range 16 {
		if want := hex + ":" + strconv.Itoa(i+1); got[i] != want {
			t.Errorf("line %d: got %s, want %s", i+1, got[i], want)
		}
	}
	// From line 17 on, the window reaches the end of the file.
	for i := 16; i < len(got); i++ {
		if strings.HasPrefix(got[i], hex+":") {
			t.Errorf("line %d hash %s equals line 1's", i+1, got[i])
		}
	}
}

func TestLineHashesIgnoresBlanksAndLineEndings(t *testing.T) {
	// Spaces, tabs and the form of the newline do not enter the hash.
	a := LineHashes([]byte("func f() {\n\treturn x\n}\n"))
	b := LineHashes([]byte("func  f()  {\r\n    return\tx  \r\n}\r\n"))
	if !slices.Equal(a, b) {
		t.Errorf("whitespace changed the hashes:\n%q\n%q", a, b)
	}
}

func TestLineHashesStableAcrossEditsAbove(t *testing.T) {
	body := "func f() {\n\tv := oauth2.GenerateVerifier()\n\t_ = v\n}\n"
	before := LineHashes([]byte("package p\n\n" + body))
	after := LineHashes([]byte("package p\n\nimport \"fmt\"\n\nvar _ = fmt.Sprint\n\n" + body))
	// Line 3 of before is line 7 of after; everything from there on is the
	// same text, so the same 100 units follow each line.
	for i := 2; i < len(before); i++ {
		if before[i] != after[i+4] {
			t.Errorf("line %d (now %d): hash %s became %s", i+1, i+5, before[i], after[i+4])
		}
	}
	// An edit below a line, within its 100 units, does change it.
	edited := LineHashes([]byte("package p\n\n" + strings.Replace(body, "_ = v", "_ = w", 1)))
	if edited[2] == before[2] {
		t.Errorf("line 3 hash %s did not change when the line after it did", edited[2])
	}
}

func TestLineHashesNonASCII(t *testing.T) {
	// An emoji is two UTF-16 units (a surrogate pair), é and → one each: the
	// hash must see D83D DE00, not the four UTF-8 bytes or one rune.
	content := "😀\n"
	units := []uint16{0xD83D, 0xDE00, '\n', 0xFFFF}
	h := new(big.Int)
	for k := range 100 {
		h.Mul(h, big.NewInt(37))
		if k < len(units) {
			h.Add(h, big.NewInt(int64(units[k])))
		}
	}
	want := h.Mod(h, new(big.Int).Lsh(big.NewInt(1), 64)).Text(16) + ":1"
	if got := LineHashes([]byte(content)); got[0] != want {
		t.Errorf("LineHashes(%q)[0] = %s, want %s", content, got[0], want)
	}
}

func TestDecodeRuneIllFormed(t *testing.T) {
	// Node.js (WHATWG) replaces each maximal ill-formed subsequence with one
	// U+FFFD; the byte that breaks a sequence starts the next character.
	for _, tc := range []struct {
		in   string
		want []rune
	}{
		{"a\xffb", []rune{'a', utf8.RuneError, 'b'}},
		{"\xe2\x82a", []rune{utf8.RuneError, 'a'}},                               // truncated 3-byte sequence: one U+FFFD
		{"\xe2\x82", []rune{utf8.RuneError}},                                     // truncated at end of input
		{"\xf0\x9f\x98", []rune{utf8.RuneError}},                                 // truncated 4-byte sequence
		{"\xe0\x80\x80", []rune{utf8.RuneError, utf8.RuneError, utf8.RuneError}}, // overlong: E0 needs A0..BF next
		{"\xed\xa0\x80", []rune{utf8.RuneError, utf8.RuneError, utf8.RuneError}}, // a surrogate
		{"\xc0\xaf", []rune{utf8.RuneError, utf8.RuneError}},                     // C0 never starts a sequence
		{"é→😀", []rune{'é', '→', '😀'}},
	} {
		var got []rune
		for b := []byte(tc.in); len(b) > 0; {
			r, n := decodeRune(b)
			got = append(got, r)
			b = b[n:]
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("decode %q = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzLineHashes(f *testing.F) {
	for _, content := range hashCases {
		f.Add(content)
	}
	f.Fuzz(func(t *testing.T, content string) {
		if !utf8.ValidString(content) {
			t.Skip("the naive reference decodes valid UTF-8 only")
		}
		if got, want := LineHashes([]byte(content)), naiveLineHashes(content); !slices.Equal(got, want) {
			t.Errorf("LineHashes(%q)\n got %q\nwant %q", content, got, want)
		}
	})
}
