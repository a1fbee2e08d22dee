// Package zap is a stub of go.uber.org/zap: the few declarations the
// tests use, with the real package's names and parameter lists (Field is
// an alias of zapcore.Field there).
package zap

// Field is a key and a value to log.
type Field struct {
	Key       string
	String    string
	Interface any
}

// Logger is a structured logger.
type Logger struct{}

// NewNop returns a logger that logs nothing.
func NewNop() *Logger { return &Logger{} }

func (log *Logger) Debug(msg string, fields ...Field) {}
func (log *Logger) Info(msg string, fields ...Field)  {}
func (log *Logger) With(fields ...Field) *Logger      { return log }
func (log *Logger) Sugar() *SugaredLogger             { return &SugaredLogger{} }

// SugaredLogger is the loosely typed logger.
type SugaredLogger struct{}

func (s *SugaredLogger) Infof(template string, args ...interface{})      {}
func (s *SugaredLogger) Infow(msg string, keysAndValues ...interface{})  {}
func (s *SugaredLogger) Debugw(msg string, keysAndValues ...interface{}) {}
func (s *SugaredLogger) With(args ...interface{}) *SugaredLogger         { return s }
func (s *SugaredLogger) Desugar() *Logger                                { return &Logger{} }
func String(key string, val string) Field                                { return Field{Key: key, String: val} }
func Int(key string, val int) Field                                      { return Field{Key: key} }
func Any(key string, value interface{}) Field                            { return Field{Key: key, Interface: value} }
