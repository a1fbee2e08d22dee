package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// maxTrackedSize is the largest file the repository may track outside
// testdata/. Every `go install …@version` downloads the module zip, which
// holds every tracked file: a committed binary (an 11.8 MB pkcevet once
// sat at the root) makes every user download it.
const maxTrackedSize = 1 << 20

// TestNoLargeTrackedFiles fails when git tracks a file larger than
// maxTrackedSize outside testdata/. It reads the sizes of the blobs in the
// index (what the next commit holds), not of the files on disk, so a large
// build output that is ignored does not count and one that is staged does.
// It skips where there is no git or no repository (a module zip, a copy).
func TestNoLargeTrackedFiles(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git on PATH")
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not in a git repository: %v", err)
	}
	root := strings.TrimSpace(string(top))

	// git ls-files -s: "<mode> <object> <stage>\t<path>"; cat-file reads
	// "<object> <path>" and answers "<size> <path>".
	ls := exec.Command("git", "ls-files", "-s", "-z")
	ls.Dir = root
	staged, err := ls.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	var in bytes.Buffer
	for _, rec := range bytes.Split(staged, []byte{0}) {
		meta, path, ok := strings.Cut(string(rec), "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) < 2 || strings.ContainsAny(path, "\n") {
			continue
		}
		if fields[0] == "160000" { // a submodule: a commit, not a blob
			continue
		}
		in.WriteString(fields[1] + " " + path + "\n")
	}
	cat := exec.Command("git", "cat-file", "--batch-check=%(objectsize) %(rest)")
	cat.Dir = root
	cat.Stdin = &in
	out, err := cat.Output()
	if err != nil {
		t.Fatalf("git cat-file: %v", err)
	}
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		sizeText, path, _ := strings.Cut(sc.Text(), " ")
		size, err := strconv.Atoi(sizeText)
		if err != nil {
			t.Fatalf("git cat-file: unexpected line %q", sc.Text())
		}
		n++
		if path == "testdata" || strings.HasPrefix(path, "testdata/") || strings.Contains(path, "/testdata/") {
			continue
		}
		if size > maxTrackedSize {
			t.Errorf("%s is tracked and %d bytes (more than %d outside testdata/): every go install downloads it; git rm --cached it and ignore it", path, size, maxTrackedSize)
		}
	}
	if n == 0 {
		t.Fatal("git lists no tracked file")
	}
}

// TestREADMEGolangciBuild checks that the README's proxy-only build of
// golangci-lint with the plugin writes the main that .ci/golangci holds
// (which make golangci-check builds and runs), at the golangci-lint
// version .ci/golangci pins.
func TestREADMEGolangciBuild(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	main, err := os.ReadFile("../../.ci/golangci/main.go")
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile("../../.ci/golangci/go.mod")
	if err != nil {
		t.Fatal(err)
	}
	const start = "cat > main.go <<'EOF'\n"
	_, rest, ok := strings.Cut(string(readme), start)
	body, _, ok2 := strings.Cut(rest, "\nEOF\n")
	if !ok || !ok2 {
		t.Fatalf("README.md has no %q ... EOF block", start)
	}
	if body+"\n" != string(main) {
		t.Errorf("the README's main.go differs from .ci/golangci/main.go:\n%s", body)
	}
	m := regexp.MustCompile(`github.com/golangci/golangci-lint/v2 (v\S+)`).FindStringSubmatch(string(gomod))
	if m == nil || !strings.Contains(string(readme), "go get github.com/golangci/golangci-lint/v2@"+m[1]+" ") {
		t.Errorf("the README's go get does not pin golangci-lint %v, the version .ci/golangci/go.mod requires", m)
	}
}
