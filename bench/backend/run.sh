#!/usr/bin/env bash
# Backend overhead and batch-by-uuid benchmarks on a seeded emulator (default 100k companies, 1M contacts):
#  1. wrk: requests/s of POST /api/v3/contacts/query through the backend, and of the same VQL sent straight to the
#     emulator, same connections, same data; the ratio is the backend's overhead.
#  2. BenchmarkDotNet: BatchLookup of 1,000 uuids versus one Connectra call of 100.
# Results go to stdout; docs/benchmarks.md records them.
#
#   bench/backend/run.sh [COMPANIES] [CONTACTS] [SECONDS] [CONNECTIONS] [ROUNDS] [WARMUP]
#   defaults: 100000 1000000 20 8 5 30
# The machine's load average is printed with each round: on a shared machine, say it beside the ratios.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
companies=${1:-100000}
contacts=${2:-1000000}
seconds=${3:-20}
connections=${4:-8}
rounds=${5:-5}
# A fresh backend runs unoptimised code for its first ~30 s (tiered JIT); a round measured then reads as low as 0.5.
warmup=${6:-30}

# shellcheck source=../stack.sh
source "$here/../stack.sh"
bench_stack_start "$companies" "$contacts"
export BENCH_DIR="$here" BENCH_KEY=bench-key BENCH_TOKEN="$BENCH_ADMIN_TOKEN"

echo "## wrk -t2 -c$connections -d${seconds}s, $rounds alternating rounds after a ${warmup} s warm-up of each"
backend="$BENCH_BASE/api/v3/contacts/query"
direct="$BENCH_EMULATOR/contacts/"
bench_client wrk -t2 -c"$connections" -d"${warmup}s" -s "$here/query.lua" "$backend" >/dev/null
bench_client wrk -t2 -c"$connections" -d"${warmup}s" -s "$here/direct.lua" "$direct" >/dev/null
ratios=()
for round in $(seq 1 "$rounds"); do
  through=$(bench_client wrk -t2 -c"$connections" -d"${seconds}s" -s "$here/query.lua" "$backend" | tail -n 1)
  straight=$(bench_client wrk -t2 -c"$connections" -d"${seconds}s" -s "$here/direct.lua" "$direct" | tail -n 1)
  ratio=$(awk -v b="$through" -v d="$straight" 'BEGIN {
    match(b, /rps=[0-9.]+/); rb = substr(b, RSTART + 4, RLENGTH - 4)
    match(d, /rps=[0-9.]+/); rd = substr(d, RSTART + 4, RLENGTH - 4)
    printf "%.3f", rb / rd }')
  ratios+=("$ratio")
  echo "round $round backend   $through"
  echo "round $round emulator  $straight"
  echo "round $round ratio $ratio (load average $(cut -d' ' -f1-3 /proc/loadavg))"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END { m = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2; printf "median ratio %.3f of %d rounds\n", m, NR }'

echo "## BenchmarkDotNet: batch of 1,000 uuids vs one call of 100"
CONNECTRA_BENCH_URL="$BENCH_EMULATOR" CONNECTRA_BENCH_KEY=bench-key \
  dotnet run -c Release --project "$BENCH_ROOT/bench/Connectra.Benchmarks" -- --filter '*BatchLookup*' --join 2>&1 \
  | sed -n '/^| Method/,/^$/p'
