#!/usr/bin/env bash
# Backend overhead and batch-by-uuid benchmarks on a seeded emulator (default 100k companies, 1M contacts):
#  1. wrk: requests/s of POST /api/v3/contacts/query through the backend, and of the same VQL sent straight to the
#     emulator, same connections, same data; the ratio is the backend's overhead.
#  2. BenchmarkDotNet: BatchLookup of 1,000 uuids versus one Connectra call of 100.
# Results go to stdout; docs/benchmarks.md records them.
#
#   bench/backend/run.sh [COMPANIES] [CONTACTS] [SECONDS] [CONNECTIONS]    defaults: 100000 1000000 20 8
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
companies=${1:-100000}
contacts=${2:-1000000}
seconds=${3:-20}
connections=${4:-8}

# shellcheck source=../stack.sh
source "$here/../stack.sh"
bench_stack_start "$companies" "$contacts"
export BENCH_DIR="$here" BENCH_KEY=bench-key BENCH_TOKEN="$BENCH_ADMIN_TOKEN"

echo "## wrk -t2 -c$connections -d${seconds}s, three alternating rounds after a 10 s warm-up each"
backend="$BENCH_BASE/api/v3/contacts/query"
direct="$BENCH_EMULATOR/contacts/"
wrk -t2 -c"$connections" -d10s -s "$here/query.lua" "$backend" >/dev/null
wrk -t2 -c"$connections" -d10s -s "$here/direct.lua" "$direct" >/dev/null
for round in 1 2 3; do
  printf 'round %s backend   ' "$round"
  wrk -t2 -c"$connections" -d"${seconds}s" -s "$here/query.lua" "$backend" | tail -n 1
  printf 'round %s emulator  ' "$round"
  wrk -t2 -c"$connections" -d"${seconds}s" -s "$here/direct.lua" "$direct" | tail -n 1
done

echo "## BenchmarkDotNet: batch of 1,000 uuids vs one call of 100"
CONNECTRA_BENCH_URL="$BENCH_EMULATOR" CONNECTRA_BENCH_KEY=bench-key \
  dotnet run -c Release --project "$BENCH_ROOT/bench/Connectra.Benchmarks" -- --filter '*BatchLookup*' --join 2>&1 \
  | sed -n '/^| Method/,/^$/p'
