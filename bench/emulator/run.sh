#!/usr/bin/env bash
# Seeds 100k companies + 1M contacts into a private PostgreSQL cluster, serves them with the emulator (Release) and
# measures the issue's four operations with wrk (one connection, so latencies are not queueing), then the same
# reads as hand-written SQL with pgbench. Results go to stdout; docs/benchmarks.md records them.
#
#   bench/emulator/run.sh [COMPANIES] [CONTACTS] [SECONDS]      defaults: 100000 1000000 20
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
companies=${1:-100000}
contacts=${2:-1000000}
seconds=${3:-20}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
# shellcheck source=../../scripts/postgres.sh
source "$root/scripts/postgres.sh"
work=$(mktemp -d)
chmod 755 "$work"
pg_start "$work/pg" fast
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null || true
  pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
pg_create_database connectra

dotnet build -c Release "$root/src/Connectra.Emulator" -o "$work/bin" >/dev/null
export Emulator__ConnectionString="${PG_CONNECTION/Database=postgres/Database=connectra}"
export Emulator__ApiKey=bench-key
export Emulator__IndexPath="$work/index"
export BENCH_KEY=bench-key BENCH_DIR="$here"

echo "## seed --companies $companies --contacts $contacts"
/usr/bin/time -f "seed wall time: %e s, peak RSS: %M KB" dotnet "$work/bin/Connectra.Emulator.dll" seed --companies "$companies" --contacts "$contacts"

port=$(pg__free_port 18000)
dotnet "$work/bin/Connectra.Emulator.dll" --urls "http://127.0.0.1:$port" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 120); do
  curl -sf -H "X-API-Key: bench-key" "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 1
done
url="http://127.0.0.1:$port"
psql() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d connectra -tAq "$@"; }
psql -c "CREATE EXTENSION IF NOT EXISTS fuzzystrmatch"
BENCH_COMPANY=$(psql -c "SELECT uuid FROM companies ORDER BY id LIMIT 1")
export BENCH_COMPANY

echo "## results (one connection, ${seconds}s each after a 3s warm-up)"
for scenario in filter count cursor upsert; do
  path=/contacts/
  # warm-up, then the measured run
  wrk -t1 -c1 -d3s -s "$here/$scenario.lua" "$url$path" >/dev/null
  printf '%-8s emulator  ' "$scenario"
  wrk -t1 -c1 -d"${seconds}s" -s "$here/$scenario.lua" "$url$path" | tail -n 1
done

for scenario in filter count cursor; do
  "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c1 -T 3 -f "$here/$scenario.sql" connectra >/dev/null 2>&1
  (cd "$work" && rm -f pgbench_log.* && "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c1 -T "$seconds" -l -f "$here/$scenario.sql" connectra >/dev/null 2>&1)
  printf '%-8s sql       ' "$scenario"
  cat "$work"/pgbench_log.* | awk '{print $3 / 1000}' | sort -n | awk '{a[NR]=$1} END {printf "requests=%d p50=%.2fms p95=%.2fms p99=%.2fms\n", NR, a[int(NR*0.5)+1], a[int(NR*0.95)+1], a[int(NR*0.99)+1]}'
done
