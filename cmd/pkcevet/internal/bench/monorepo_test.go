package main

import (
	"slices"
	"testing"

	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/evaltargets"
)

// TestMonorepoShape checks the monorepo shape's commands: the floor and
// pkcevet on the same patterns, standard library included, without
// _test.go files, from the oauth2 target's scratch module.
func TestMonorepoShape(t *testing.T) {
	if !slices.ContainsFunc(evaltargets.All(), func(m evaltargets.Module) bool { return m.Path() == monorepoModule }) {
		t.Fatalf("%s is not among the target modules %v", monorepoModule, evaltargets.All())
	}
	o := &options{self: "/bin/bench", pkcevet: "/bin/pkcevet"}
	floor, pkcevet := monorepoCommands(o, "/work/scratch")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{floor().Args, []string{"/bin/bench", "floor", "std", "golang.org/x/oauth2/..."}},
		{pkcevet().Args, []string{"/bin/pkcevet", "-no-fail", "std", "golang.org/x/oauth2/..."}},
	} {
		if !slices.Equal(c.args, c.want) {
			t.Errorf("command %q, want %q", c.args, c.want)
		}
	}
	if cmd := pkcevet(); cmd.Dir != "/work/scratch" || !slices.Contains(cmd.Env, "GOWORK=off") {
		t.Errorf("pkcevet runs in %s with GOWORK=off %v", cmd.Dir, slices.Contains(cmd.Env, "GOWORK=off"))
	}
}
