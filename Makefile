# pkcevet — build, test and demo targets. `make demo` and `make test` are the
# two set-up commands in the README; CI runs `.ci/run`, which runs `make test`
# and `make sarif-check`.

GO        ?= go
BIN       := bin/pkcevet
GOFILES    = $(shell git ls-files '*.go' ':!:testdata/**' 2>/dev/null || find . -name '*.go' -not -path './testdata/*')

.PHONY: build test test-race demo lint fmt-check vet fuzz

build:
	$(GO) build -o $(BIN) ./cmd/pkcevet

fmt-check:
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# test runs every test. The race detector runs where concurrency lives:
# the driver (RACE_PKGS), which runs the checker's parallel actions, and
# every test named TestConcurrent* (robust's, which run the rule analyzers
# at once over shared packages: the engine's shared state). The rest runs
# without it, at the same time as the race runs; test-race runs everything
# under the race detector. The analyzers' suites load testdata once per
# package, with the standard library from export data (see
# analyzers/internal/pkcetest). -timeout is the hang guard: no test
# compares a duration with a limit. TESTFLAGS passes flags to every go
# test, e.g. TESTFLAGS='-count=1 -json'.
RACE_PKGS    := ./cmd/pkcevet/internal/driver
RACE_TESTS   := TestConcurrent
TEST_TIMEOUT ?= 20m
TESTFLAGS    ?=

test: fmt-check vet
	@pkgs=$$($(GO) list ./... | grep -vxF "$$($(GO) list $(RACE_PKGS))") && \
	racetests=$$(grep -rl --include='*_test.go' --exclude-dir=testdata --exclude-dir=.cache --exclude-dir=node_modules \
		'^func $(RACE_TESTS)' . | xargs -r -n1 dirname | sort -u) && \
	{ $(GO) test -race -timeout $(TEST_TIMEOUT) $(TESTFLAGS) $(RACE_PKGS) & p1=$$!; } && \
	{ if [ -n "$$racetests" ]; then $(GO) test -race -timeout $(TEST_TIMEOUT) $(TESTFLAGS) -run '^$(RACE_TESTS)' $$racetests; fi & p2=$$!; } && \
	status=0 && { $(GO) test -timeout $(TEST_TIMEOUT) $(TESTFLAGS) -skip '^$(RACE_TESTS)' $$pkgs || status=1; } && \
	{ wait $$p1 || status=1; } && { wait $$p2 || status=1; } && exit $$status

test-race: fmt-check vet
	$(GO) test -race -timeout 45m $(TESTFLAGS) ./...

# demo builds pkcevet and scans the demo module, which holds every mistake
# the rules find next to its correct twin. pkcevet exits 1 there (it has
# findings); the target succeeds when it does exactly that.
demo: build
	cd testdata/demo && ../../$(BIN) ./... ; status=$$?; \
	if [ $$status -ne 1 ]; then echo "pkcevet exited $$status, want 1 (findings)"; exit 1; fi

# tools installs the linters lint runs: actionlint (Go module proxy, into the
# git-ignored .cache/tools) and shellcheck (Debian package). See .ci/install-tools.
ACTIONLINT := $(CURDIR)/.cache/tools/actionlint
WORKFLOWS   = $(wildcard .github/workflows/*.yml .github/workflows/*.yaml)
ACTION     := .github/actions/pkcevet/action.yml

.PHONY: tools lint

tools:
	@bash .ci/install-tools

# lint checks the GitHub workflows with actionlint (which also runs
# shellcheck on their run: blocks) — the repository's own and every
# workflow in README.md (.ci/readme-workflows extracts them into
# .cache/readme-workflows) —, every shell script in the repository
# with shellcheck (files named *.sh or *.bash, or starting with a sh/bash
# shebang), and that the composite action's run: steps only call its run.sh:
# actionlint does not read composite actions, so their shell lives in run.sh.
lint: tools
	@readme=$$(bash .ci/readme-workflows .cache/readme-workflows) && \
	echo "actionlint $(WORKFLOWS) "$$readme && \
	$(ACTIONLINT) $(WORKFLOWS) $$readme
	@bad=$$(grep -nE '^[[:space:]]*run:' $(ACTION) | grep -vE 'run: bash "\$$GITHUB_ACTION_PATH/run\.sh" [a-z]+$$' || true); \
	if [ -n "$$bad" ]; then \
		echo "$(ACTION): a run: step must be one line, bash \"\$$GITHUB_ACTION_PATH/run.sh\" MODE (keep the shell in run.sh, where shellcheck reads it):"; \
		echo "$$bad"; exit 1; \
	fi
	@{ git ls-files -co --exclude-standard 2>/dev/null || \
	   find . -type f -not -path './.git/*' -not -path './.cache/*' -not -path './node_modules/*'; } | \
	while IFS= read -r f; do \
		[ -f "$$f" ] || continue; \
		case "$$f" in *.sh|*.bash) echo "$$f"; continue;; esac; \
		head -n1 "$$f" | grep -qE '^#!.*(/|env[[:space:]]+)(ba|da|k)?sh([[:space:]]|$$)' && echo "$$f"; \
	done > .cache/shell-scripts; \
	echo "shellcheck $$(tr '\n' ' ' < .cache/shell-scripts)"; \
	xargs -r -d '\n' shellcheck < .cache/shell-scripts
	@echo "lint: ok"

# fuzz runs each fuzz target for FUZZTIME (one at a time: go test -fuzz takes
# one target). Crashers land in the package's testdata/fuzz/<target>/, where
# `make test` replays them as regression cases.
FUZZTIME ?= 20s
fuzz:
	$(GO) test ./analyzers/internal/robust -run '^$$' -fuzz '^FuzzAnalyzers$$' -fuzztime $(FUZZTIME)
	$(GO) test ./cmd/pkcevet/internal/report -run '^$$' -fuzz '^FuzzSARIF$$' -fuzztime $(FUZZTIME)
	$(GO) test ./cmd/pkcevet/internal/report -run '^$$' -fuzz '^FuzzLineHashes$$' -fuzztime $(FUZZTIME)
	$(GO) test ./analyzers/internal/pkce -run '^$$' -fuzz '^FuzzWords$$' -fuzztime $(FUZZTIME)

# sarif-check builds pkcevet, scans testdata/demo and the three modules under
# testdata/sarif (zero findings, a package that does not type-check, a
# suppressed finding on a non-ASCII line) with -format sarif, checks each
# exit status, and validates the four logs with Microsoft's SARIF multitool
# under GitHub's ingestion rules plus the SARIF JSON schema: any error or
# warning fails (.ci/sarif-check, .ci/sarif-validate). The first run
# installs the multitool from npm into the git-ignored .cache/sarif-multitool
# (~100 MB). The self-test then strips fullDescription (and other required
# members) from copies of the demo log and requires the validator to reject
# them. Logs are in .cache/sarif-check.
.PHONY: sarif-check
sarif-check: build
	bash .ci/sarif-check
	bash .ci/sarif-check --self-test

# bench measures pkcevet's CPU time and peak memory against the floor (the
# same loader, one no-op analyzer), gosec, go vet and staticcheck (pinned,
# installed into .cache/tools) on the eval modules with -test, on std and
# on a repeat go vet -vettool run; prints the tables, "met"/"NOT met" for
# the goals of issue 12 and pprof's view of pkcevet; on a large real module
# (tailscale.com v1.102.5, copied out of the module cache into .cache/bench)
# pkcevet against go vet ./..., warm and with an empty GOCACHE (one round:
# minutes of CPU; -large-cold-rounds 0 skips it), with issue 21's goals;
# then runs the
# analyzers' Go benchmarks on a generated package. It takes a while; it is
# not part of `make test` or CI. BENCHFLAGS passes flags, e.g.
# BENCHFLAGS='-targets eval,std -rounds 5 -baseline /tmp/pkcevet-main'.
BENCHFLAGS ?=
.PHONY: bench
bench: build
	$(GO) build -o bin/pkcevet-bench ./cmd/pkcevet/internal/bench
	bin/pkcevet-bench $(BENCHFLAGS)
	$(GO) test ./cmd/pkcevet/internal/bench -run '^$$' -bench . -benchmem

# eval scores pkcevet against testdata/eval/labels.tsv on twelve pinned public
# OAuth modules (cmd/pkcevet/internal/evaltargets) (downloaded through the Go module proxy into the git-ignored
# testdata/eval/work): per-rule TP/FP/FN, precision and recall, for library
# code alone and with tests. EVALFLAGS passes flags, e.g. -strict.
EVALFLAGS ?=
.PHONY: eval
eval: build
	$(GO) run ./cmd/pkcevet/internal/eval -pkcevet $(BIN) $(EVALFLAGS)

# golangci-check builds golangci-lint v2.15.0 with the pkcevet module plugin
# (cmd/pkcevet/golangci) from the Go module proxy alone — the nested module
# .ci/golangci, a main importing golangci-lint's pkg/commands and the plugin
# — runs it on a copy of testdata/demo and requires pkcevet's own findings
# there, one issue each (.ci/golangci-check). The first run downloads and
# compiles golangci-lint (a few minutes); later ones use the build cache.
.PHONY: golangci-check
golangci-check: build
	bash .ci/golangci-check

# nogo-check builds ./analyzers/... against golang.org/x/tools v0.51.0, the
# version rules_go v0.65.0 pins for Bazel nogo, in a temporary copy of the
# module (.ci/nogo-check).
.PHONY: nogo-check
nogo-check:
	bash .ci/nogo-check
