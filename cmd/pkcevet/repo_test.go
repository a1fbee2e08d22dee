package main

import (
	"bufio"
	"bytes"
	"os/exec"
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
