package report

import (
	"bufio"
	"fmt"
	"io"

	"github.com/pkcevet/pkcevet/rules"
)

// WriteText writes one line per unsuppressed finding, in the form compilers
// and editors recognise:
//
//	path:line:col: message (PKCE00N)
//
// The path is relative to r.WorkDir when the file is below it, else
// absolute; the column counts bytes, as go vet's does. The analyzers end
// every message with its rule ID already (rules.WithID), as go vet and
// golangci-lint show it; a finding made elsewhere gets it here. Related
// locations are not printed (the message names the source), nor are
// suppressed findings or failures (the command reports failures on
// stderr). With a baseline, only new findings are printed.
func WriteText(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		if f.Suppressed || f.Baseline == BaselineUnchanged {
			continue
		}
		fmt.Fprintf(bw, "%s:%d:%d: %s\n", displayPath(r.WorkDir, f.Pos.File), f.Pos.Line, f.Pos.Column, rules.WithID(f.Message, f.RuleID))
	}
	return bw.Flush()
}
