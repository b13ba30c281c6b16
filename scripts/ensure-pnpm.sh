#!/usr/bin/env bash
# Makes pnpm 12.4.2 (the `packageManager` pin) available. A fresh CI machine has only Node.js + npm.
# Order: pnpm already on PATH -> `npm i -g` -> a repo-local prefix `.tools/` (no root needed;
# the Makefile puts .tools/bin first on PATH). Corepack is not used: it rejects this registry's
# metadata unless COREPACK_INTEGRITY_KEYS=0 is set for every pnpm call.
set -euo pipefail

want=12.4.2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
export PATH="$tools/bin:$PATH"

current() { pnpm --version 2>/dev/null || true; }

have="$(current)"
if [ "$have" = "$want" ]; then
  echo "pnpm: $want already available ($(command -v pnpm)); nothing to do"
  exit 0
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

if npm install --global --no-fund --no-audit "pnpm@$want" >"$log" 2>&1; then
  hash -r
  if [ "$(current)" = "$want" ]; then
    echo "pnpm: installed $want with npm i -g ($(command -v pnpm))${have:+, was $have}"
    exit 0
  fi
  reason="npm i -g succeeded but '$(command -v pnpm || echo pnpm)' on PATH reports '$(current)'"
else
  reason="npm i -g failed: $(grep -m1 -E 'EACCES|EPERM|ERR!' "$log" || tail -n1 "$log")"
fi

if npm install --global --prefix "$tools" --no-fund --no-audit "pnpm@$want" >"$log" 2>&1; then
  hash -r
  if [ "$(current)" = "$want" ]; then
    echo "pnpm: installed $want into $tools/bin ($reason)"
    exit 0
  fi
fi
echo "pnpm: could not install pnpm@$want ($reason); last npm output:" >&2
tail -n 20 "$log" >&2
exit 1
