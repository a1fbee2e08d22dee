// Package thirdparty logs verifiers with zap, logrus and zerolog,
// matched by their types.
package thirdparty

import (
	"context"
	"os"

	"github.com/rs/zerolog"
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
	"golang.org/x/oauth2"
)

var conf = &oauth2.Config{}

func zaps(ctx context.Context, code string, logger *zap.Logger) {
	v := oauth2.GenerateVerifier()
	logger.Info("pkce", zap.String("verifier", v)) // want `code verifier written to a log by zap Info`
	logger.Debug("pkce", zap.Int("verifier_len", len(v)))
	sugar := logger.Sugar()
	sugar.Infow("pkce", "verifier", v) // want `code verifier written to a log by zap Infow`
	sugar.Infof("pkce verifier %s", v) // want `code verifier written to a log by zap Infof`
	_, _ = conf.Exchange(ctx, code, oauth2.VerifierOption(v))
}

func logruses(ctx context.Context, code string) {
	v := oauth2.GenerateVerifier()
	logrus.Infof("verifier %s", v)                            // want `code verifier written to a log by logrus.Infof`
	logrus.WithField("verifier", v).Info("exchanging")        // want `code verifier written to a log by logrus.WithField`
	logrus.WithFields(logrus.Fields{"verifier": v}).Info("x") // want `code verifier written to a log by logrus.WithFields`
	logrus.New().Debugf("%s", v)                              // want `code verifier written to a log by logrus Debugf`
	logrus.WithField("verifier_len", len(v)).Info("ok")
	_, _ = conf.Exchange(ctx, code, oauth2.VerifierOption(v))
}

func zerologs(ctx context.Context, code string) {
	v := oauth2.GenerateVerifier()
	l := zerolog.New(os.Stderr)
	l.Info().Str("verifier", v).Msg("pkce") // want `code verifier written to a log by zerolog Str`
	l.Info().Msgf("verifier %s", v)         // want `code verifier written to a log by zerolog Msgf`
	l.Info().Int("verifier_len", len(v)).Msg("ok")
	_, _ = conf.Exchange(ctx, code, oauth2.VerifierOption(v))
}
