#!/usr/bin/env bash
# Export benchmark: contacts exported by query (every contact, 48 columns, company data attached) from a seeded
# emulator, against PostgreSQL's own COPY of the same rows (contacts joined with their companies) from the
# emulator's database. Reports wall times and the backend's peak RSS, for a small and a large export, each on a
# freshly started backend so its peak RSS is the export's own. Results go to stdout; docs/benchmarks.md records them.
#
#   bench/exports/run.sh [COMPANIES] [CONTACTS] [SMALL]    defaults: 100000 1000000 100000
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
companies=${1:-100000}
contacts=${2:-1000000}
small=${3:-100000}

export Exports__MaxRows=10000000 Exports__PollInterval=00:00:00.200
# shellcheck source=../stack.sh
source "$here/../stack.sh"
bench_stack_start "$companies" "$contacts"

# Exports the first N contacts in uuid order: a uuid range query picks them, so both sizes read the same way.
# Sets EXPORT_BODY for the bare walk.
export_run() { # label rows
  local label=$1 rows=$2 bound id status started elapsed rss file_size cpu_before cpu_after
  bound=$(psql_emulator -c "SELECT uuid FROM contacts ORDER BY uuid COLLATE \"C\" OFFSET $((rows - 1)) LIMIT 1")
  EXPORT_BODY="{\"query\":{\"filters\":{\"and\":[{\"field\":\"uuid\",\"operator\":\"lte\",\"value\":\"$bound\"}]}}}"
  [ "$rows" -ge "$contacts" ] && EXPORT_BODY='{"query":{}}'
  bench_stack_restart_backend
  warm_up
  cpu_before=$(process_cpu "$BENCH_BACKEND_PID")
  started=$(date +%s.%N)
  id=$(start_export)
  : >"$BENCH_WORK/fetch-limit"
  bench_every 1 "$BENCH_WORK/fetch-limit" fetch_limit
  local sampler=${bench__pids[-1]}
  status=$(wait_export "$id")
  kill "$sampler" 2>/dev/null || true
  elapsed=$(echo "$(date +%s.%N) - $started" | bc)
  cpu_after=$(process_cpu "$BENCH_BACKEND_PID")
  rss=$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$BENCH_BACKEND_PID/status")
  file_size=$(cat "$Exports__StoragePath/$id".*.csv 2>/dev/null | wc -c)
  rows_done=$(echo "$status" | sed -E 's/.*"records_processed":([0-9]+).*/\1/')
  echo "$label: $rows_done rows in ${elapsed} s, file $((file_size / 1048576)) MiB, backend peak RSS ${rss} MiB, backend CPU $(echo "($cpu_after - $cpu_before) * 1000000 / ${rows_done:-1}" | bc) µs a row, pages fetched at once $(awk 'NF == 2 { sum += $2; n++ } END { printf "%.1f", n ? sum / n : 0 }' "$BENCH_WORK/fetch-limit") on average, load average $(cut -d' ' -f1 /proc/loadavg) ($(echo "$status" | sed -E 's/.*"status":"([a-z]+)".*/\1/'))"
}

# A replica that has served for a while, not one that just started: the first export after a start pays for the
# JIT's tiers (docs/benchmarks.md#exports-a-million-contacts-by-query measures by how much), so an export of its
# own runs first (BENCH_WARM_UP_ROWS, default 100,000; 0 measures a cold start). The measured peak RSS includes it.
warm_up() {
  local saved=$EXPORT_BODY bound rows=${BENCH_WARM_UP_ROWS:-100000}
  [ "$rows" -gt 0 ] || return 0
  bound=$(psql_emulator -c "SELECT uuid FROM contacts ORDER BY uuid COLLATE \"C\" OFFSET $((rows - 1)) LIMIT 1")
  EXPORT_BODY="{\"query\":{\"filters\":{\"and\":[{\"field\":\"uuid\",\"operator\":\"lte\",\"value\":\"$bound\"}]}}}"
  wait_export "$(start_export)" >/dev/null
  EXPORT_BODY=$saved
}

# The export's limit of pages fetched at once (exports_fetch_limit), as /metrics shows it now.
fetch_limit() { curl -sf "$BENCH_BASE/metrics" | awk '/^exports_fetch_limit[ {]/ { print $NF; exit }'; }

# CPU seconds (user + system) a process has used so far.
process_cpu() { echo "scale=2; $(bench_cpu_ticks "$1") / $(getconf CLK_TCK)" | bc; }

start_export() {
  curl -sf -X POST -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" -H 'Content-Type: application/json' -d "$EXPORT_BODY" \
    "$BENCH_BASE/api/v3/exports/contacts/export" | sed -E 's/.*"export_id":"([^"]+)".*/\1/'
}

wait_export() { # id; prints the final status document
  local status
  while :; do
    status=$(curl -sf -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" "$BENCH_BASE/api/v3/exports/$1/status")
    case "$status" in *'"status":"completed"'*|*'"status":"failed"'*|*'"status":"cancelled"'*) break ;; esac
    sleep 0.2
  done
  echo "$status"
}

# The same export once more through a relay that keeps every page request, then those requests sent straight to
# the emulator with as many in flight as the export may have (Exports:ParallelStreams): the walk without the backend.
bare_walk() { # label concurrency
  local label=$1 concurrency=$2 relay_port pages="$BENCH_WORK/walk-${1// /-}"
  rm -rf "$pages" && mkdir -p "$pages"
  relay_port=$(pg__free_port 18300)
  python3 "$here/walk.py" record "$relay_port" "$BENCH_EMULATOR" "$pages" &
  local relay_pid=$!
  sleep 1
  Connectra__BaseUrl="http://127.0.0.1:$relay_port" bench_stack_restart_backend
  wait_export "$(start_export)" >/dev/null
  kill "$relay_pid"; wait "$relay_pid" 2>/dev/null || true
  bench_stack_restart_backend
  echo "$label: bare walk of the export's own page requests, $concurrency in flight: $(bench_client python3 "$here/walk.py" replay "$BENCH_EMULATOR" "$pages" "$concurrency"), load average $(cut -d' ' -f1 /proc/loadavg)"
}

copy_run() { # label rows
  local label=$1 rows=$2 started elapsed
  started=$(date +%s.%N)
  psql_emulator -c "\\copy (SELECT c.*, co.* FROM (SELECT * FROM contacts ORDER BY uuid COLLATE \"C\" LIMIT $rows) c LEFT JOIN companies co ON co.uuid = c.company_id) TO '$BENCH_WORK/copy.csv' CSV HEADER"
  elapsed=$(echo "$(date +%s.%N) - $started" | bc)
  echo "$label: COPY of the same rows joined with their companies in ${elapsed} s, $(( $(stat -c %s "$BENCH_WORK/copy.csv") / 1048576 )) MiB"
}

echo "## export by query, every column, company attached"
copy_run "copy $small" "$small"
export_run "export $small" "$small"
bare_walk "walk $small" 1 # a uuid range of its own: one stream
copy_run "copy all" "$contacts"
export_run "export all" "$contacts"
bare_walk "walk all" "${Exports__ParallelStreams:-4}"
