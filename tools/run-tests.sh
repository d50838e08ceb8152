#!/usr/bin/env bash
# Runs every test suite, even after one fails, then prints one summary line
# ("N passed, N failed") and exits non-zero if anything failed.
# Expects scripts/setup.sh to have run (./huabu test does that).
set -uo pipefail
cd "$(dirname "$0")/.."

log_dir=$(mktemp -d)
passed=0
failed=0
failed_suites=()

# Counts from ctest's "N% tests passed, F tests failed out of T".
run_ctest() {
  local name=$1 preset=$2 log="$log_dir/$1.log"
  echo "== $name"
  ctest --preset "$preset" --output-on-failure 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local line total fails
  line=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$log" | tail -1)
  if [[ -n "$line" ]]; then
    fails=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
    passed=$((passed + total - fails)); failed=$((failed + fails))
  else
    failed=$((failed + 1))
  fi
  ((status == 0)) || failed_suites+=("$name")
}

# One test file at a time: browser tests each start Chromium, and there are only 2 cores.
# (Node 18's runner has no --test-concurrency flag and runs files one by one anyway.)
node_flags=()
node --help | grep -q -- --test-concurrency && node_flags+=(--test-concurrency=1)

# Counts from node's test runner ("# pass N", "# fail N").
run_node() {
  local name=$1; shift
  local log="$log_dir/$name.log"
  echo "== $name"
  node --test "${node_flags[@]}" "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local p f
  p=$(grep -E "^# pass [0-9]+" "$log" | tail -1 | awk '{print $3}')
  f=$(grep -E "^# fail [0-9]+" "$log" | tail -1 | awk '{print $3}')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
  ((status == 0)) || failed_suites+=("$name")
}

run_ctest "core-native" native
run_ctest "core-wasm" wasm
run_node "node" tests/node/*.test.mjs
run_node "browser" tests/browser/*.test.mjs

echo
((${#failed_suites[@]})) && echo "failed suites: ${failed_suites[*]}"
echo "$passed passed, $failed failed"
((failed == 0 && ${#failed_suites[@]} == 0))
