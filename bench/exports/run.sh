#!/usr/bin/env bash
# Export benchmark: contacts exported by query (every contact, 48 columns, company data attached) from a seeded
# emulator, against PostgreSQL's own COPY of the same rows (contacts joined with their companies) from the
# emulator's database. Reports wall times and the backend's peak RSS, for a small and a large export.
# Results go to stdout; docs/benchmarks.md records them.
#
#   bench/exports/run.sh [COMPANIES] [CONTACTS] [SMALL]    defaults: 100000 1000000 100000
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
companies=${1:-100000}
contacts=${2:-1000000}
small=${3:-100000}

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
psql_emulator() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d emulator -qAt "$@"; }

dotnet build -c Release "$root/src/Connectra.Emulator" -o "$work/emulator" >/dev/null
dotnet build -c Release "$root/src/Connectra.Backend.Api" -o "$work/api" >/dev/null
export Emulator__ConnectionString="${PG_CONNECTION/Database=postgres/Database=emulator}"
export Emulator__ApiKey=bench-key Emulator__IndexPath="$work/index"
export ConnectionStrings__Backend="${PG_CONNECTION/Database=postgres/Database=backend}"
export ASPNETCORE_ENVIRONMENT=Development Serilog__MinimumLevel__Default=Warning
export Exports__StoragePath="$work/exports" Exports__MaxRows=10000000 Exports__PollInterval=00:00:00.200

echo "## seed --companies $companies --contacts $contacts"
dotnet "$work/emulator/Connectra.Emulator.dll" seed --companies "$companies" --contacts "$contacts" >/dev/null
emulator_port=$(pg__free_port 18300)
backend_port=$(pg__free_port 18400)
dotnet "$work/emulator/Connectra.Emulator.dll" --urls "http://127.0.0.1:$emulator_port" >"$work/emulator.log" 2>&1 &
pids+=($!)
(cd "$work/api" && dotnet Connectra.Backend.Api.dll migrate >/dev/null)
start_backend() {
  (cd "$work/api" && Connectra__BaseUrl="http://127.0.0.1:$emulator_port" Connectra__ApiKey=bench-key \
    ASPNETCORE_URLS="http://127.0.0.1:$backend_port" exec dotnet Connectra.Backend.Api.dll >"$work/api.log" 2>&1) &
  backend_pid=$!
  pids+=("$backend_pid")
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$backend_port/health/vql" >/dev/null && return 0
    sleep 1
  done
  echo "backend did not start" >&2
  return 1
}
token=$(cd "$work/api" && dotnet Connectra.Backend.Api.dll dev-token --hours 4)

# Exports the first N contacts by uuid order: a uuid range query picks them, so both sizes read the same way.
export_run() { # label rows
  local label=$1 rows=$2 bound body id status started elapsed rss file_size
  bound=$(psql_emulator -c "SELECT uuid FROM contacts ORDER BY uuid COLLATE \"C\" OFFSET $((rows - 1)) LIMIT 1")
  body="{\"query\":{\"filters\":{\"and\":[{\"field\":\"uuid\",\"operator\":\"lte\",\"value\":\"$bound\"}]}}}"
  [ "$rows" -ge "$contacts" ] && body='{"query":{}}'
  start_backend
  started=$(date +%s.%N)
  id=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" \
    "http://127.0.0.1:$backend_port/api/v3/exports/contacts/export" | sed -E 's/.*"export_id":"([^"]+)".*/\1/')
  while :; do
    status=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$backend_port/api/v3/exports/$id/status")
    case "$status" in *'"status":"completed"'*|*'"status":"failed"'*|*'"status":"cancelled"'*) break ;; esac
    sleep 0.2
  done
  elapsed=$(echo "$(date +%s.%N) - $started" | bc)
  rss=$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$backend_pid/status")
  file_size=$(stat -c %s "$work/exports/$id.csv" 2>/dev/null || echo 0)
  echo "$label: $(echo "$status" | sed -E 's/.*"records_processed":([0-9]+).*/\1/') rows in ${elapsed} s, file $((file_size / 1048576)) MiB, backend peak RSS ${rss} MiB ($(echo "$status" | sed -E 's/.*"status":"([a-z]+)".*/\1/'))"
  kill "$backend_pid"; wait "$backend_pid" 2>/dev/null || true
}

copy_run() { # label rows
  local label=$1 rows=$2 started elapsed
  started=$(date +%s.%N)
  psql_emulator -c "\\copy (SELECT c.*, co.* FROM (SELECT * FROM contacts ORDER BY uuid COLLATE \"C\" LIMIT $rows) c LEFT JOIN companies co ON co.uuid = c.company_id) TO '$work/copy.csv' CSV HEADER"
  elapsed=$(echo "$(date +%s.%N) - $started" | bc)
  echo "$label: COPY of the same rows joined with their companies in ${elapsed} s, $(( $(stat -c %s "$work/copy.csv") / 1048576 )) MiB"
}

echo "## export by query, every column, company attached"
copy_run "copy $small" "$small"
export_run "export $small" "$small"
copy_run "copy all" "$contacts"
export_run "export all" "$contacts"
