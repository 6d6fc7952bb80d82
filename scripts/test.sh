#!/usr/bin/env bash
# README's test command (`npm test`): every test of every part, fastest first. Any failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh

step() { printf '\n=== %s\n' "$*"; }

step "typecheck: scripts, tests, benches, deploy generators"
npx tsc -p tsconfig.json

step "exporter: typecheck and unit tests"
npm test --workspace exporter

step "alerts: promtool check rules + promtool test rules"
bash alerts/check.sh

step "grafana-plugin: typecheck, jest, build, dist check"
npm run typecheck --workspace grafana-plugin
npm run test:ci --workspace grafana-plugin
npm run build --workspace grafana-plugin
npm run test:dist --workspace grafana-plugin

step "end to end: simulator -> exporter -> Prometheus -> rules -> dashboards, compose, plugin pages in Chromium"
node --import tsx --test --test-concurrency=1 $(find tests -name '*.test.ts' -not -path '*/harness/*' | sort)
