#!/usr/bin/env bash
# Runs the monitoring test (rules, rule tests, dashboard, metrics lint) on the fixture and on a metrics file the
# real daemon writes: planwatch run with metrics.textfile on the seed plans, one file dropped, then stopped.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=${PLANWATCH_BIN:-.build/debug/planwatch}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
printf 'plans: %s/seeds/plans.d\nmetrics:\n  textfile: %s/planwatch.prom\n' "$PWD" "$work" > "$work/planwatch.yaml"
"$binary" run --config "$work/planwatch.yaml" --state-dir "$work/state" --log-dir "$work/log" 2>"$work/daemon.log" &
pid=$!
for _ in $(seq 200); do [ -d "$work/state/inbox" ] && break; sleep 0.05; done
cp seeds/data/nbs-data-portal-population-provincial.csv "$work/state/inbox/.drop.part"
mv "$work/state/inbox/.drop.part" "$work/state/inbox/population.csv"
for _ in $(seq 200); do grep -q 'planwatch_files_total{outcome="ingested"} 1' "$work/planwatch.prom" 2>/dev/null && break; sleep 0.05; done
kill "$pid"; wait "$pid" || true
exec Tests/monitoring/run-monitoring-test.sh "$work/planwatch.prom"
