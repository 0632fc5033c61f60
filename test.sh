#!/usr/bin/env bash
# Every test of the solution against a throwaway local PostgreSQL (or the server CONNECTRA_TEST_PG names), the
# static check of docker-compose.yml, and the contract checks of docs/openapi.json (contract/check.sh).
# The last line is the summary: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

work=$(mktemp -d)
chmod 755 "$work" # the postgres user must reach the cluster inside
cleanup() {
  pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${CONNECTRA_TEST_PG:-}" ]; then
  pg_start "$work/pg" fast || { echo "0 passed, 0 failed"; exit 1; }
  export CONNECTRA_TEST_PG="$PG_CONNECTION"
fi

# No Docker engine here or in CI: docker-compose.yml is checked statically instead (docs/operations.md#docker-compose).
# It counts as one test in the summary.
compose_passed=0 compose_failed=0
if scripts/check-compose.sh --self-test; then compose_passed=1; else compose_failed=1; fi

# The OpenAPI lints and the generated client's type check (contract/check.sh, three tests in the summary) run
# beside the .NET tests: they need only docs/openapi.json, and the .NET tests hold that file to the served document.
contract_log="$work/contract.log"
contract/check.sh >"$contract_log" 2>&1 &
contract_pid=$!

log="$work/test.log"
dotnet test --solution Connectra.Backend.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Microsoft.Testing.Platform ends with "total: N / failed: F / succeeded: S / skipped: K" for the whole run.
passed=$(awk '/^[[:space:]]*succeeded:/ { n = $2 } END { print n + 0 }' "$log")
failed=$(awk '/^[[:space:]]*failed:/ { n = $2 } END { print n + 0 }' "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed before reporting; never let that read as a pass
fi
wait "$contract_pid"
contract_status=$?
echo "--- contract checks (contract/check.sh) ---"
# The lints print hundreds of warnings; the whole log only when a check failed, so a failing test stays on screen.
if [ "$contract_status" -ne 0 ]; then cat "$contract_log"; else grep -E '^contract check|passed,' "$contract_log"; fi
contract_passed=$(tail -n 1 "$contract_log" | awk '/passed,/ { print $1 + 0 }')
contract_failed=$(tail -n 1 "$contract_log" | awk '/passed,/ { print $3 + 0 }')
contract_passed=${contract_passed:-0} contract_failed=${contract_failed:-3}
if [ "$contract_status" -ne 0 ] && [ "$contract_failed" -eq 0 ]; then
  contract_failed=1
fi

if grep -qE '^failed ' "$log"; then
  echo "--- failed tests (details above) ---"
  grep -E -A 6 '^failed ' "$log" | head -n 120
fi

passed=$((passed + compose_passed + contract_passed)) failed=$((failed + compose_failed + contract_failed))
[ "$compose_failed" -eq 0 ] && [ "$contract_failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit "$status"
