# The project's commands. `make demo` runs the functions locally; `make test` runs every
# test. Both install what they need (Python tools into .venv, Node packages into
# infra/node_modules) on a fresh machine.

SHELL := /bin/bash
VENV := $(CURDIR)/.venv
PY_TOOLS := $(VENV)/.installed
export PATH := $(VENV)/bin:$(PATH)
## Cargo tools, installed into the project (not ~/.cargo) at pinned versions.
TOOLS := $(CURDIR)/.tools
CARGO_DENY := $(TOOLS)/bin/cargo-deny
CARGO_DENY_VERSION := 0.20.2

.PHONY: all test check fmt clippy deny advisories rust-test client-test infra-test tools build build-lambdas synth deploy demo bench

## Cargo's target directory: CARGO_TARGET_DIR when set (relative to here), else target/.
TARGET_DIR := $(abspath $(or $(CARGO_TARGET_DIR),target))

# Context for the CDK app, e.g. CDK_CONTEXT="-c credentialsParameter=/sf/creds -c connectInstanceArn=arn:…"
CDK_CONTEXT ?=
INFRA_DEPS := infra/node_modules/.package-lock.json

all: check

## Python tools: moto_server (a local SSM/Secrets Manager endpoint for tests),
## cargo-lambda (the Lambda Runtime API emulator and cross-compiler), and
## simple-salesforce with pytest for the client tests.
$(PY_TOOLS): requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

tools: $(PY_TOOLS)

build:
	cargo build --workspace

## The end-to-end harness builds the binaries it starts, so this is a bare `cargo test`.
rust-test: tools
	cargo test --workspace

## A Salesforce client people already use (simple-salesforce) against the sandbox binary.
client-test: tools
	cargo build -p sf-sandbox --bin sf-sandbox
	$(VENV)/bin/python -m pytest -q tests/clients

## Node packages for the CDK app, exactly as the lock file pins them.
$(INFRA_DEPS): infra/package-lock.json
	cd infra && npm ci --no-audit --no-fund --loglevel=error

infra-test: $(INFRA_DEPS)
	cd infra && npm run build && npm test

## Every test, and the demo, so that the main job is proven on a fresh machine too.
test: rust-test client-test infra-test demo

fmt:
	cargo fmt --all -- --check

clippy:
	cargo clippy --workspace --all-targets -- -D warnings

## The dependency graph against deny.toml: licenses, banned crates, sources. These need
## only Cargo.lock, so they run offline.
$(CARGO_DENY):
	cargo install --locked --root $(TOOLS) cargo-deny --version $(CARGO_DENY_VERSION)

deny: $(CARGO_DENY)
	$(CARGO_DENY) check --hide-inclusion-graph licenses bans sources

## Known vulnerabilities (RustSec). Fetches the advisory database from GitHub, so it is
## kept out of `make check` for machines without that access; CI with it runs both.
advisories: $(CARGO_DENY)
	$(CARGO_DENY) check --hide-inclusion-graph advisories

check: fmt clippy deny test

## The Lambda architecture to build and deploy: arm64 (Graviton, the default) or x86_64.
ARCH ?= arm64
ifeq ($(ARCH),arm64)
RUST_TARGET := aarch64-unknown-linux-gnu
LAMBDA_ARCH_FLAG := --arm64
else ifeq ($(ARCH),x86_64)
RUST_TARGET := x86_64-unknown-linux-gnu
LAMBDA_ARCH_FLAG := --x86-64
else
$(error ARCH must be arm64 or x86_64, got $(ARCH))
endif

## Release binaries for Lambda (Amazon Linux 2023, $(ARCH)), in $(TARGET_DIR)/lambda/<name>/bootstrap.
## rustup installs only the host's target; adding another is a no-op once it is there.
build-lambdas: tools
	rustup target add $(RUST_TARGET)
	cargo lambda build --release $(LAMBDA_ARCH_FLAG)

## The CloudFormation template (infra/cdk.out/SfConnect.template.json), offline.
synth: build-lambdas $(INFRA_DEPS)
	cd infra && npm run synth -- -c architecture=$(ARCH) -c assetDir=$(TARGET_DIR)/lambda $(CDK_CONTEXT)

## Deploys with the AWS credentials of the shell (see infra/README.md).
deploy: build-lambdas $(INFRA_DEPS)
	cd infra && npm run deploy -- -c architecture=$(ARCH) -c assetDir=$(TARGET_DIR)/lambda $(CDK_CONTEXT)

## BENCHMARKS.md: cold starts over TLS (the headline) and HTTP, with and without the
## shared token cache, warm latency against the floor, the function's CPU per cold start
## and per warm invocation, memory, sizes, calls per invocation, a burst of 200 cold
## containers, and criterion figures for the pure code.
## Release builds (made by the harness) take several minutes on 2 cores; the run itself
## about two.
bench: tools
	cargo bench -p sf-core --bench pure_code -- --warm-up-time 1 --measurement-time 3
	SF_E2E_PROFILE=release cargo bench -p sf-e2e --bench functions

## The main job: every function answering its event from events/ against the sandbox.
demo: tools
	bash scripts/demo.sh
