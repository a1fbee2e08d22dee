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
