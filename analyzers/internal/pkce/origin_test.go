package pkce

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSameModule(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"demo/go.mod":                   "module example.com/demo\n",
		"demo/agent/a.go":               "package agent\n",
		"demo/internal/util/u.go":       "package util\n",
		"demo/nested/go.mod":            "module example.com/demo/nested\n",
		"demo/nested/n.go":              "package nested\n",
		"mod/example.com/lib@v1/go.mod": "module example.com/lib\n",
		"mod/example.com/lib@v1/l.go":   "package lib\n",
	} {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	at := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
	for _, c := range []struct {
		here, other, want string
		ok                bool
	}{
		{"demo/agent/a.go", "demo/internal/util/u.go", "internal/util/u.go", true},
		{"demo/internal/util/u.go", "demo/agent/a.go", "agent/a.go", true},
		{"demo/agent/a.go", "demo/nested/n.go", "", false},            // a nested module
		{"demo/agent/a.go", "mod/example.com/lib@v1/l.go", "", false}, // a dependency
		{"demo/agent/a.go", "nowhere/x.go", "", false},
	} {
		got, ok := sameModule(at(c.here), at(c.other))
		if got != c.want || ok != c.ok {
			t.Errorf("sameModule(%s, %s) = %q, %v; want %q, %v", c.here, c.other, got, ok, c.want, c.ok)
		}
	}
}
