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
export_run() { # label rows
  local label=$1 rows=$2 bound body id status started elapsed rss file_size
  bound=$(psql_emulator -c "SELECT uuid FROM contacts ORDER BY uuid COLLATE \"C\" OFFSET $((rows - 1)) LIMIT 1")
  body="{\"query\":{\"filters\":{\"and\":[{\"field\":\"uuid\",\"operator\":\"lte\",\"value\":\"$bound\"}]}}}"
  [ "$rows" -ge "$contacts" ] && body='{"query":{}}'
  bench_stack_restart_backend
  started=$(date +%s.%N)
  id=$(curl -sf -X POST -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" -H 'Content-Type: application/json' -d "$body" \
    "$BENCH_BASE/api/v3/exports/contacts/export" | sed -E 's/.*"export_id":"([^"]+)".*/\1/')
  while :; do
    status=$(curl -sf -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" "$BENCH_BASE/api/v3/exports/$id/status")
    case "$status" in *'"status":"completed"'*|*'"status":"failed"'*|*'"status":"cancelled"'*) break ;; esac
    sleep 0.2
  done
  elapsed=$(echo "$(date +%s.%N) - $started" | bc)
  rss=$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$BENCH_BACKEND_PID/status")
  file_size=$(stat -c %s "$Exports__StoragePath/$id.csv" 2>/dev/null || echo 0)
  echo "$label: $(echo "$status" | sed -E 's/.*"records_processed":([0-9]+).*/\1/') rows in ${elapsed} s, file $((file_size / 1048576)) MiB, backend peak RSS ${rss} MiB ($(echo "$status" | sed -E 's/.*"status":"([a-z]+)".*/\1/'))"
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
copy_run "copy all" "$contacts"
export_run "export all" "$contacts"
