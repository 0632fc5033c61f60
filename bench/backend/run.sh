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
root=$(cd "$here/../.." && pwd)
companies=${1:-100000}
contacts=${2:-1000000}
seconds=${3:-20}
connections=${4:-8}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
# shellcheck source=../../scripts/postgres.sh
source "$root/scripts/postgres.sh"
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
pg_start "$work/pg" fast
pg_create_database emulator
pg_create_database backend

dotnet build -c Release "$root/src/Connectra.Emulator" -o "$work/emulator" >/dev/null
dotnet build -c Release "$root/src/Connectra.Backend.Api" -o "$work/api" >/dev/null
export Emulator__ConnectionString="${PG_CONNECTION/Database=postgres/Database=emulator}"
export Emulator__ApiKey=bench-key Emulator__IndexPath="$work/index"
export ConnectionStrings__Backend="${PG_CONNECTION/Database=postgres/Database=backend}"
export ASPNETCORE_ENVIRONMENT=Development BENCH_DIR="$here" BENCH_KEY=bench-key
# Request logs at Information would measure the console, not the backend.
export Serilog__MinimumLevel__Default=Warning

echo "## seed --companies $companies --contacts $contacts"
dotnet "$work/emulator/Connectra.Emulator.dll" seed --companies "$companies" --contacts "$contacts"
emulator_port=$(pg__free_port 18100)
backend_port=$(pg__free_port 18200)
dotnet "$work/emulator/Connectra.Emulator.dll" --urls "http://127.0.0.1:$emulator_port" >"$work/emulator.log" 2>&1 &
pids+=($!)
(cd "$work/api" && dotnet Connectra.Backend.Api.dll migrate >/dev/null)
(cd "$work/api" && Connectra__BaseUrl="http://127.0.0.1:$emulator_port" Connectra__ApiKey=bench-key \
  ASPNETCORE_URLS="http://127.0.0.1:$backend_port" exec dotnet Connectra.Backend.Api.dll >"$work/api.log" 2>&1) &
pids+=($!)
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$backend_port/health/vql" >/dev/null && break
  sleep 1
done
BENCH_TOKEN=$(cd "$work/api" && dotnet Connectra.Backend.Api.dll dev-token)
export BENCH_TOKEN

echo "## wrk -t2 -c$connections -d${seconds}s, three alternating rounds after a 10 s warm-up each"
backend="http://127.0.0.1:$backend_port/api/v3/contacts/query"
direct="http://127.0.0.1:$emulator_port/contacts/"
wrk -t2 -c"$connections" -d10s -s "$here/query.lua" "$backend" >/dev/null
wrk -t2 -c"$connections" -d10s -s "$here/direct.lua" "$direct" >/dev/null
for round in 1 2 3; do
  printf 'round %s backend   ' "$round"
  wrk -t2 -c"$connections" -d"${seconds}s" -s "$here/query.lua" "$backend" | tail -n 1
  printf 'round %s emulator  ' "$round"
  wrk -t2 -c"$connections" -d"${seconds}s" -s "$here/direct.lua" "$direct" | tail -n 1
done

echo "## BenchmarkDotNet: batch of 1,000 uuids vs one call of 100"
CONNECTRA_BENCH_URL="http://127.0.0.1:$emulator_port" CONNECTRA_BENCH_KEY=bench-key \
  dotnet run -c Release --project "$root/bench/Connectra.Benchmarks" -- --filter '*BatchLookup*' --join 2>&1 \
  | sed -n '/^| Method/,/^$/p'
