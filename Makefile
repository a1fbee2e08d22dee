# pkcevet — build, test and demo targets. `make demo` and `make test` are the
# two set-up commands in the README; CI runs `.ci/run`, which runs `make test`.

GO        ?= go
BIN       := bin/pkcevet
GOFILES    = $(shell git ls-files '*.go' ':!:testdata/**' 2>/dev/null || find . -name '*.go' -not -path './testdata/*')

.PHONY: build test demo lint fmt-check vet

build:
	$(GO) build -o $(BIN) ./cmd/pkcevet

fmt-check:
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

test: fmt-check vet
	$(GO) test -race ./...

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
# shellcheck on their run: blocks), every shell script in the repository
# with shellcheck (files named *.sh or *.bash, or starting with a sh/bash
# shebang), and that the composite action's run: steps only call its run.sh:
# actionlint does not read composite actions, so their shell lives in run.sh.
lint: tools
	@echo "actionlint $(WORKFLOWS)"
	@$(ACTIONLINT) $(WORKFLOWS)
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
