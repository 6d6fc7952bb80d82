#!/usr/bin/env bash
# `npm run bench`: runs every benchmark in bench/*.ts one after another, each in its own Node.js
# process, and prints what each measured (bench/RESULTS.md records the figures of a reference run).
# Benchmarks are measurements, not tests: they fail only when they cannot run.
# BENCH=name runs only bench/name.ts; each benchmark's own options are in its header comment.
set -euo pipefail
cd "$(dirname "$0")/.."

shopt -s nullglob
benches=(bench/*.ts)
if [ -n "${BENCH:-}" ]; then benches=("bench/${BENCH%.ts}.ts"); fi
if [ ${#benches[@]} -eq 0 ]; then
  echo "no benchmarks in bench/" >&2
  exit 1
fi

failed=0
for bench in "${benches[@]}"; do
  if [ ! -f "$bench" ]; then
    echo "no such benchmark: $bench" >&2
    exit 1
  fi
  printf '\n=== %s\n' "$bench"
  started=$(date +%s)
  if node --import tsx "$bench"; then
    printf '=== %s done in %ss\n' "$bench" "$(( $(date +%s) - started ))"
  else
    printf '=== %s FAILED\n' "$bench" >&2
    failed=1
  fi
done
exit $failed
