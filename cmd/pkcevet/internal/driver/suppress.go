package driver

import (
	"fmt"

	"github.com/pkcevet/pkcevet/cmd/pkcevet/internal/report"
)

// The analyzers apply //pkcevet:ignore directives themselves (package
// analyzers); Run configures them with analyzers.Options.Mark, so that a
// suppressed finding comes back marked (analyzers.SuppressedBy) and goes
// into the report with Suppressed set, and a directive that names no rule
// comes back under analyzers.CategoryBadDirective.

// badDirective records a directive that names no rule, or a name that is
// no rule, as a failure (exit status 2, like a bad flag): it can be
// attached to no rule, and SARIF results must name one. Each analyzer
// reports it, and with -test a file is in two packages: it is recorded once.
func (c *collector) badDirective(pkg string, pos report.Position, msg string) {
	key := fmt.Sprintf("%s:%d:%d\x00%s", pos.File, pos.Line, pos.Column, msg)
	if c.failed[key] {
		return
	}
	c.failed[key] = true
	c.failures = append(c.failures, report.Failure{Package: pkg, Pos: &pos, Message: msg})
}
