#!/usr/bin/env bash
# Writes a copy of gpufleet's rule files with time compressed 60 times, for end-to-end tests that
# scrape and evaluate every second and must finish in minutes:
#   every duration literal <n>m becomes <n>s and <n>h becomes <n>m (windows, offsets, `for:`),
#   group `interval: 30s` becomes `interval: 1s`,
#   every recorded constant in seconds (`record: ...:seconds` then `expr: vector(<n>)`) is divided by 60.
# Thresholds that are not times (ratios, bytes per second, dollars) stay as they are.
#
# Usage: alerts/fast-rules.sh OUT_DIR   → OUT_DIR/rules/*.rules.yml and OUT_DIR/alerts/*.alerts.yml
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: fast-rules.sh OUT_DIR}
mkdir -p "$out/rules" "$out/alerts"

for file in "$here"/rules/*.rules.yml "$here"/alerts/*.alerts.yml; do
  relative=${file#"$here"/}
  sed -E \
    -e 's/\b([0-9]+)m\b/\1s/g' \
    -e 's/\b([0-9]+)h\b/\1m/g' \
    -e 's/^( *interval: )30s$/\11s/' \
    "$file" |
  awk '
    /record: [a-z_]+:[a-z_]+:seconds *$/ { seconds = 1; print; next }
    seconds && match($0, /vector\([0-9.]+\)/) {
      value = substr($0, RSTART + 7, RLENGTH - 8) / 60
      $0 = substr($0, 1, RSTART - 1) "vector(" value ")" substr($0, RSTART + RLENGTH)
    }
    { seconds = 0; print }
  ' > "$out/$relative"
done
