// Package zerolog is a stub of github.com/rs/zerolog: the few
// declarations the tests use, with the real package's signatures.
package zerolog

import "io"

// Logger is a logger.
type Logger struct{}

// Event is a log event being built.
type Event struct{}

func New(w io.Writer) Logger { return Logger{} }

func (l *Logger) Info() *Event                        { return &Event{} }
func (e *Event) Str(key, val string) *Event           { return e }
func (e *Event) Int(key string, i int) *Event         { return e }
func (e *Event) Msg(msg string)                       {}
func (e *Event) Msgf(format string, v ...interface{}) {}
