package driver

import (
	"os"
	"path/filepath"
	"testing"
)

func TestModuleRoot(t *testing.T) {
	tmp := t.TempDir()
	mod := filepath.Join(tmp, "repo")
	sub := filepath.Join(mod, "internal", "auth")
	nested := filepath.Join(mod, "tools") // a second main module, inside the first
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/repo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(tmp, "gopath", "pkg", "mod", "example.com", "dep@v1.0.0")
	for _, c := range []struct {
		name     string
		dir      string
		mainDirs []string
		want     string
	}{
		{"run at the root", mod, []string{mod}, mod},
		{"run below the root", sub, []string{mod}, mod},
		{"nearest main module", filepath.Join(nested, "x"), []string{mod, nested}, nested},
		{"main module not above dir", sub, []string{nested}, sub},
		{"workspace root above its modules", tmp, []string{mod, nested}, tmp},
		// Only a dependency was listed: the go.mod above dir, never
		// the dependency's directory.
		{"no main package listed", sub, nil, mod},
		{"no go.mod at all", cache, nil, cache},
	} {
		if got := moduleRoot(c.dir, c.mainDirs); got != c.want {
			t.Errorf("%s: moduleRoot(%s, %v) = %s, want %s", c.name, c.dir, c.mainDirs, got, c.want)
		}
	}
}
