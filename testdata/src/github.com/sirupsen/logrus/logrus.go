// Package logrus is a stub of github.com/sirupsen/logrus: the few
// declarations the tests use, with the real package's signatures.
package logrus

// Fields are the fields of an entry.
type Fields map[string]interface{}

// Logger is a logger.
type Logger struct{}

// Entry is a log entry being built.
type Entry struct{}

func New() *Logger { return &Logger{} }

func Infof(format string, args ...interface{})                        {}
func WithField(key string, value interface{}) *Entry                  { return &Entry{} }
func WithFields(fields Fields) *Entry                                 { return &Entry{} }
func (logger *Logger) Debugf(format string, args ...interface{})      {}
func (logger *Logger) WithField(key string, value interface{}) *Entry { return &Entry{} }
func (entry *Entry) Info(args ...interface{})                         {}
