// Command golangci-lint is golangci-lint v2.15.0 with the pkcevet module
// plugin built in: what `golangci-lint custom` produces from
// .custom-gcl.yml, built from the Go module proxy alone (custom clones
// golangci-lint with git). .ci/golangci-check builds and runs it.
package main

import (
	"fmt"
	"os"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/pkcevet/pkcevet/cmd/pkcevet/golangci" // registers the pkcevet plugin
)

func main() {
	info := commands.BuildInfo{GoVersion: "go", Version: "v2.15.0+pkcevet", Commit: "unknown", Date: "unknown"}
	if err := commands.Execute(info); err != nil {
		fmt.Fprintf(os.Stderr, "Failed executing command with error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}
