package driver

import (
	"go/parser"
	"go/token"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestParseDirective(t *testing.T) {
	tests := []struct {
		text    string
		ok      bool
		rules   []string
		unknown []string
		reason  string
	}{
		{"//pkcevet:ignore PKCE003 fixture for the tests", true, []string{"PKCE003"}, nil, "fixture for the tests"},
		{"//pkcevet:ignore PKCE003,PKCE004 two rules", true, []string{"PKCE003", "PKCE004"}, nil, "two rules"},
		{"//pkcevet:ignore PKCE003, PKCE004 spaced list", true, []string{"PKCE003", "PKCE004"}, nil, "spaced list"},
		{"//pkcevet:ignore weakverifier,weak-verifier,pkce003 by name", true, []string{"PKCE003", "PKCE003", "PKCE003"}, nil, "by name"},
		{"//pkcevet:ignore PKCE003", true, []string{"PKCE003"}, nil, ""},
		{"//pkcevet:ignore PKCE009 typo", true, nil, []string{"PKCE009"}, "typo"},
		{"//pkcevet:ignore", true, nil, nil, ""},
		{"//pkcevet:ignore\tPKCE001\treason", true, []string{"PKCE001"}, nil, "reason"},
		{"//pkcevet:ignoreall PKCE003 x", false, nil, nil, ""},
		{"// pkcevet:ignore PKCE003 spaced prefix is prose", false, nil, nil, ""},
		{"//nolint:pkcevet", false, nil, nil, ""},
	}
	for _, tt := range tests {
		d, ok := parseDirective(tt.text)
		if ok != tt.ok {
			t.Errorf("parseDirective(%q) ok = %v, want %v", tt.text, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if !slices.Equal(d.rules, tt.rules) || !slices.Equal(d.unknown, tt.unknown) || d.reason != tt.reason {
			t.Errorf("parseDirective(%q) = rules %q unknown %q reason %q, want %q %q %q",
				tt.text, d.rules, d.unknown, d.reason, tt.rules, tt.unknown, tt.reason)
		}
	}
}

// coverSrc is a file with directives in each position they can take. The
// test checks the lines each covers against the "covers a-b" notes.
const coverSrc = `package p

import "strconv"

//pkcevet:ignore PKCE003 covers 6-8: the whole declaration that follows
func f() string {
	return strconv.Itoa(1)
}

func g(n int) string {
	//pkcevet:ignore PKCE003 covers 12-12: the statement that follows
	v := strconv.Itoa(n)
	x := strconv.Itoa(n) //pkcevet:ignore PKCE003 covers 13-13: trailing
	//pkcevet:ignore PKCE003 covers 16-18: a doc-style group
	// with more prose under it
	if n > 0 {
		v += x
	}
	//pkcevet:ignore PKCE003 covers nothing: a blank line follows

	m := map[string]string{
		//pkcevet:ignore PKCE002 covers 23-23: a composite literal element
		"code_challenge_method": "plain",
	}
	_ = m
	return v
} //pkcevet:ignore PKCE003 covers 27-27: trailing a closing brace

//pkcevet:ignore PKCE004 covers 30-33: a multi-line var declaration
var (
	a = 1
	b = 2
)

//pkcevet:ignore PKCE005 covers nothing: the end of the file
`

func TestFileDirectivesCover(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", coverSrc, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	ds := fileDirectives(fset, f)
	if len(ds) != 9 {
		t.Fatalf("got %d directives, want 9", len(ds))
	}
	for _, d := range ds {
		_, note, _ := strings.Cut(d.reason, "covers ")
		note, _, _ = strings.Cut(note, ":")
		var got string
		if d.to == 0 {
			got = "nothing"
		} else {
			got = strings.Join([]string{strconv.Itoa(d.from), strconv.Itoa(d.to)}, "-")
		}
		if got != note {
			t.Errorf("directive at line %d covers %s, want %s", d.pos.Line, got, note)
		}
	}
}

const problemsSrc = `package p

func f() {
	_ = 1 //pkcevet:ignore PKCE003 used: a finding is on this line
	_ = 2 //pkcevet:ignore PKCE003 unused: no finding here
	_ = 3 //pkcevet:ignore PKCE003
	_ = 4 //pkcevet:ignore PKCE009 unknown rule
	_ = 5 //pkcevet:ignore
	_ = 6 //pkcevet:ignore PKCE001 not analysed: the rule's analyzer did not run
	_ = 7 //pkcevet:ignore PKCE003,PKCE005 half used
}
`

func TestDirectivesSuppressAndProblems(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "/src/p.go", problemsSrc, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	s := newDirectives()
	s.addFile(fset, f)
	s.addFile(fset, f) // a second time, as -test does: no duplicates

	type finding struct {
		line int
		rule string
	}
	for _, tt := range []struct {
		finding
		reason string // "" means not suppressed
	}{
		{finding{4, "PKCE003"}, "used: a finding is on this line"},
		{finding{4, "PKCE004"}, ""}, // another rule
		{finding{6, "PKCE003"}, ""}, // no reason: suppresses nothing
		{finding{7, "PKCE003"}, ""},
		{finding{10, "PKCE003"}, "half used"},
	} {
		d := s.suppress("/src/p.go", tt.line, tt.rule)
		got := ""
		if d != nil {
			got = d.reason
		}
		if got != tt.reason {
			t.Errorf("suppress(line %d, %s) = %q, want %q", tt.line, tt.rule, got, tt.reason)
		}
	}
	if d := s.suppress("/src/other.go", 4, "PKCE003"); d != nil {
		t.Errorf("a directive suppressed a finding in another file")
	}

	analysed := func(file, rule string) bool { return file == "/src/p.go" && rule != "PKCE001" }
	var got []string
	for _, p := range s.problems(analysed) {
		got = append(got, strconv.Itoa(p.Pos.Line)+" "+p.Rule+" "+p.Message)
	}
	slices.Sort(got)
	want := []string{
		`10 PKCE005 unused //pkcevet:ignore directive for PKCE005: no PKCE005 finding here; remove it`,
		`5 PKCE003 unused //pkcevet:ignore directive for PKCE003: no PKCE003 finding here; remove it`,
		`6 PKCE003 //pkcevet:ignore directive for PKCE003 gives no reason and suppresses nothing; write //pkcevet:ignore PKCE003 <why the finding is safe>`,
		`7  unknown rule "PKCE009" in //pkcevet:ignore directive; name rules by ID, PKCE001 to PKCE006`,
		`8  //pkcevet:ignore directive names no rule; write //pkcevet:ignore PKCE00N <why the finding is safe>`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\ngot  %q\nwant %q", got, want)
	}
}
