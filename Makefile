# Entry points for humans and CI. Needs GNU make, bash, Node.js >= 20.19 and npm; pnpm is installed on demand.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# scripts/ensure-pnpm.sh falls back to a repo-local pnpm in .tools/ when npm -g is not allowed.
export PATH := $(CURDIR)/.tools/bin:$(PATH)

.PHONY: help install build lint test fuzz audit release-check demo clean

help:
	@echo "make install  ensure pnpm 12.4.2, then pnpm install --frozen-lockfile"
	@echo "make build    install, then compile all packages (tsc -b)"
	@echo "make lint     install, then eslint + prettier --check"
	@echo "make test     build, lint, typecheck, api:check, then jest against one embedded Redis (or REDIS_URL), then release-check"
	@echo "make fuzz     build, then fuzz every API route with FUZZ_RUNS (10000) generated requests, random FUZZ_SEED (printed)"
	@echo "make bench    build, then the coordinator against raw Fastify/BullMQ on its own Redis (~12 min): bench/results.{json,md}"
	@echo "make chaos    build, then the six chaos scenarios at full size on their own Redis and processes (~15 min): chaos/results.{json,md}"
	@echo "make audit    pnpm audit of production dependencies; fails on high or critical advisories"
	@echo "make release-check  build, pack every package, then build, test, pack and deploy examples/extension-loyalty with npm"
	@echo "make demo     build, then run scripts/demo.mjs against an embedded Redis (or REDIS_URL)"
	@echo "make clean    remove build output (packages/*/dist)"

install:
	@echo "==> install: pnpm 12.4.2 + frozen lockfile"
	@bash scripts/ensure-pnpm.sh
	pnpm install --frozen-lockfile

build: install
	@echo "==> build"
	pnpm build

lint: install
	@echo "==> lint"
	pnpm lint

test: build
	@echo "==> lint"
	pnpm lint
	@echo "==> typecheck (tests and fixtures)"
	pnpm typecheck
	@echo "==> api report (public API unchanged, or api/*.api.md updated)"
	pnpm api:check
	@echo "==> test"
	node scripts/redis.mjs run -- pnpm test
	$(MAKE) release-check

# The same spec `make test` runs with 400 seeded cases, with many more and a random seed
# (FUZZ_SEED=<n> replays a run; see test/fuzz/fuzz-settings.ts for the other knobs).
fuzz: build
	@seed="$${FUZZ_SEED:-$$(node -e 'process.stdout.write(String(Math.floor(Math.random() * 2 ** 31)))')}"; \
	runs="$${FUZZ_RUNS:-10000}"; \
	echo "==> fuzz: $$runs requests in-process, $${FUZZ_PROCESS_RUNS:-$$((runs / 4))} against the api-host bin, $${FUZZ_RAW_RUNS:-$$((runs / 20))} malformed HTTP; seed $$seed (make fuzz FUZZ_SEED=$$seed replays)"; \
	FUZZ_SEED="$$seed" FUZZ_RUNS="$$runs" node scripts/redis.mjs run -- pnpm test -- test/fuzz/routes.fuzz.spec.ts

# Needs a registry that serves npm's audit endpoint (docs/security.md).
audit: install
	pnpm audit --prod --audit-level high

# Issue 7's benchmark: every case against its raw baseline, A B A B over rounds, medians and targets.
# bench/run.mjs starts its own redis-server (it flushes it between runs, so never REDIS_URL's);
# BENCH_SMOKE=1, BENCH_ROUNDS, BENCH_SECONDS, BENCH_CASES, … are described in bench/config.mjs.
.PHONY: bench
bench: build
	@echo "==> bench (its own redis-server; results in bench/results.json and bench/results.md)"
	node bench/run.mjs

# The reliability issue's chaos suite at full size: the same spec `make test` runs small
# (test/chaos/chaos.spec.ts), with CHAOS_SCALE=full. It starts its own redis-server (it stops and
# restarts it), fakes, api-host and worker hosts on 127.0.0.1, and stops them all by pid; every
# scenario has a hard deadline. CHAOS_OUT_DIR=<dir> writes the results elsewhere.
.PHONY: chaos
chaos: build
	@echo "==> chaos (full size, its own redis-server and hosts; results in chaos/results.json and chaos/results.md)"
	CHAOS_SCALE=full pnpm test -- test/chaos/chaos.spec.ts

release-check: build
	@echo "==> release check (an outside extension against the packed packages)"
	node scripts/release-check.mjs

demo: build
	@echo "==> demo"
	node scripts/redis.mjs run -- node scripts/demo.mjs

clean:
	@echo "==> clean"
	if [ -d node_modules ] && command -v pnpm >/dev/null; then pnpm clean; fi
	rm -rf packages/*/dist
