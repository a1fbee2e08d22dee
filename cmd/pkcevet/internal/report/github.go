package report

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/pkcevet/pkcevet/rules"
)

// GitHubWriter returns a writer of GitHub Actions workflow commands, one
// per unsuppressed finding, which GitHub shows as annotations on the lines
// of a pull request's diff and in the job summary, without code scanning
// (a private repository without it, or upload: false):
//
//	::error file=agent/agent.go,line=42,col=9,endLine=42,endColumn=20,title=PKCE003 weak-verifier::code verifier … (PKCE003)
//
// The level is the rule's (error or warning). Paths are relative to
// workspace (the repository root: $GITHUB_WORKSPACE) when the file is
// below it, else to r.WorkDir, else absolute; GitHub matches them to the
// repository's files. Failures (a package that did not load) become
// error annotations too, at their position when they have one. With a
// baseline, only new findings are written.
func GitHubWriter(workspace string) func(io.Writer, *Report) error {
	return func(w io.Writer, r *Report) error {
		bw := bufio.NewWriter(w)
		path := func(file string) string {
			if rel, ok := below(workspace, file); ok {
				return filepath.ToSlash(rel)
			}
			return filepath.ToSlash(displayPath(r.WorkDir, file))
		}
		for _, f := range r.Findings {
			if f.Suppressed || f.Baseline == BaselineUnchanged {
				continue
			}
			level := "error"
			if f.Level == "warning" || f.Level == "note" {
				level = f.Level
				if level == "note" {
					level = "notice"
				}
			}
			title := f.RuleID
			if rule, ok := rules.Get(f.RuleID); ok {
				title += " " + rule.Name
			}
			p := f.Pos
			props := fmt.Sprintf("file=%s,line=%d,col=%d", ghProperty(path(p.File)), p.Line, p.Column)
			if p.EndLine > 0 {
				props += fmt.Sprintf(",endLine=%d,endColumn=%d", p.EndLine, p.EndColumn)
			}
			fmt.Fprintf(bw, "::%s %s,title=%s::%s\n", level, props, ghProperty(title), ghData(rules.WithID(f.Message, f.RuleID)))
		}
		for _, fl := range r.Failures {
			props := "title=pkcevet"
			if p := fl.Pos; p != nil {
				props = fmt.Sprintf("file=%s,line=%d,", ghProperty(path(p.File)), p.Line) + props
			}
			msg := fl.Message
			if fl.Package != "" {
				msg = fl.Package + ": " + msg
			}
			fmt.Fprintf(bw, "::error %s::%s\n", props, ghData(msg))
		}
		return bw.Flush()
	}
}

// ghData escapes a workflow command's message, as @actions/core does.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
