#!/usr/bin/env bash
# Checks gpufleet's rules: promtool validates every rule file and runs every unit test (also against
# the time-compressed copy end-to-end tests use); then the conventions promtool cannot see are
# enforced: every alert has a severity, a runbook file and a runbook_url to it, a test where it fires
# and one where it must not; every recorded series has an exact expected value in a test and a row
# in README.md. amtool checks alertmanager.yml when it is installed. Exits non-zero on any failure.
set -euo pipefail

cd "$(dirname "$0")"
runbook_base="https://github.com/gpufleet/gpufleet/blob/main/alerts/runbooks"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

if ! command -v promtool >/dev/null 2>&1; then
  echo "promtool not found: install the Debian package 'prometheus'" >&2
  exit 1
fi

rule_files=(rules/*.rules.yml alerts/*.alerts.yml)
promtool check rules "${rule_files[@]}"
promtool test rules tests/*.test.yml

# The time-compressed copy (fast-rules.sh) must stay valid and behave the same, in seconds.
fast_dir=$(mktemp -d)
trap 'rm -rf "$fast_dir"' EXIT
./fast-rules.sh "$fast_dir"
promtool check rules "$fast_dir"/rules/*.yml "$fast_dir"/alerts/*.yml
mkdir -p "$fast_dir/tests"
cp tests/fast/*.test.yml "$fast_dir/tests/"
promtool test rules "$fast_dir"/tests/*.test.yml

# Alerts: severity, runbook, tests that fire and tests that stay silent.
alert_facts=$(awk '
  function flush() { if (name != "") print name, severity, url }
  /^ *- alert: / { flush(); name = $3; severity = "-"; url = "-"; next }
  /^ *- (record|alert): / { flush(); name = ""; next }
  name != "" && /^ *severity: / { severity = $2 }
  name != "" && /^ *runbook_url: / { url = $2 }
  END { flush() }
' alerts/*.alerts.yml)
test_facts=$(awk '
  /^ *- alertname: / { alert = $3; next }
  /^ *exp_alerts: *\[\] *$/ { if (alert != "") print alert, "silent"; alert = ""; next }
  /^ *exp_alerts: *$/ { if (alert != "") print alert, "fires"; alert = ""; next }
' tests/*.test.yml tests/fast/*.test.yml)
while read -r name severity url; do
  [[ $severity =~ ^(critical|warning|info)$ ]] || fail "$name: severity '$severity' is not critical|warning|info"
  [[ $url == "$runbook_base/$name.md" ]] || fail "$name: runbook_url '$url' is not $runbook_base/$name.md"
  [[ -f runbooks/$name.md ]] || fail "$name: runbooks/$name.md is missing"
  grep -qx "$name fires" <<<"$test_facts" || fail "$name: no test where it fires"
  grep -qx "$name silent" <<<"$test_facts" || fail "$name: no test where it must not fire"
done <<<"$alert_facts"

# Recorded series: an exact expected value in some test, and a row in README.md.
for series in $(awk '/^ *- record: / { print $3 }' rules/*.rules.yml | sort -u); do
  grep -q "labels: '$series[{']" tests/*.test.yml || fail "$series: no test expects a value of it"
  grep -qF "\`$series\`" README.md || fail "$series: not listed in README.md"
done

if command -v amtool >/dev/null 2>&1; then
  amtool check-config alertmanager.yml
  expect_route() {
    local want=$1; shift
    local got
    got=$(amtool config routes test --config.file=alertmanager.yml "$@" 2>/dev/null)
    [[ $got == "$want" ]] || fail "alertmanager.yml routes {$*} to '$got', expected '$want'"
  }
  expect_route gpu-pager alertname=GpuCriticalXid severity=critical
  expect_route gpu-chat alertname=GpuThermalThrottling severity=warning
  expect_route gpu-tickets alertname=GpuTeamLowUtilization severity=info
  expect_route gpu-chat alertname=GpuStragglerDetected severity=warning
else
  echo "amtool not installed (Debian package prometheus-alertmanager): alertmanager.yml not checked"
fi

if ((failures > 0)); then
  echo "$failures convention check(s) failed" >&2
  exit 1
fi
echo "alerts: all checks passed"
