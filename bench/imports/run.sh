#!/usr/bin/env bash
# Import benchmark (docs/benchmarks.md#imports): a CSV of N contacts uploaded as text/csv and imported through the
# write path, on a freshly started backend so its peak RSS is the import's own. Reports the upload time, the
# validating and processing times, database-side rows/s, the backend's peak RSS, how long after the job ends the
# last row is searchable, and the outbox's delivery rate beside a direct batch-upsert of the same payloads, in the
# same batches, to the same emulator. Results go to stdout; docs/benchmarks.md records them.
#
#   bench/imports/run.sh [ROWS...]    default: 100000 1000000 (each on a fresh backend)
#   BENCH_DELIVERY=0 bench/imports/run.sh ...    the import only, without the delivery and the direct batch-upserts
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sizes=("${@:-100000 1000000}")
read -r -a sizes <<< "${sizes[*]}"

export Imports__MaxActivePerUser=100 Imports__PollInterval=00:00:00.100 Imports__MaxRows=2000000
# The job runs with the outbox dispatcher off, so its time, CPU and RSS are the import's own (the database side, not
# the emulator indexing beside it on the same cores); the backend then restarts with the dispatcher on to deliver the
# backlog, which gives the delivery rate and the time until the last row is searchable.
export Imports__MaxFileBytes=1073741824 Outbox__DispatcherEnabled=false
# shellcheck source=../stack.sh
source "$here/../stack.sh"
bench_stack_start 10 10
export Imports__StoragePath="$BENCH_WORK/imports"

make_csv() { # rows tag file
  awk -v n="$1" -v tag="$2" 'BEGIN {
    print "contact_first_name,contact_last_name,contact_email,contact_title,contact_departments,contact_seniority,contact_metadata_city,contact_metadata_country"
    for (i = 0; i < n; i++) printf "First%d,%s,%s.%d@bench.example,\"Head of Sales, EMEA\",\"sales,hr\",director,Lyon,France\n", i, tag, tag, i
  }' > "$3"
}

# CPU seconds a process (and, for PostgreSQL, every server process of the bench's cluster) has used so far: the
# machine may be shared, so rows per CPU-second says what the import costs when wall-clock time does not.
backend_cpu() { bench_cpu_ticks "$BENCH_BACKEND_PID"; }
postgres_cpu() { bench_postgres_ticks; }
seconds() { echo "scale=1; $1 / $(getconf CLK_TCK)" | bc; }

field() { sed -E "s/.*\"$1\":\"?([^,\"}]*).*/\1/"; }

import_run() { # rows
  local rows=$1 tag file started uploaded status id completed elapsed rss count searchable job_started job_completed
  tag="bench$rows$RANDOM"
  file="$BENCH_WORK/$tag.csv"
  make_csv "$rows" "$tag" "$file"
  bench_stack_restart_backend
  local cpu_backend cpu_postgres idle_rss
  sleep 2
  idle_rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$BENCH_BACKEND_PID/status")
  cpu_backend=$(backend_cpu) cpu_postgres=$(postgres_cpu)
  started=$(date +%s.%N)
  id=$(curl -sf -X POST -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" -H 'Content-Type: text/csv' --data-binary "@$file" \
    "$BENCH_BASE/api/v3/imports/contacts?match_on=email" | field import_id)
  uploaded=$(date +%s.%N)
  while :; do
    status=$(curl -sf -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" "$BENCH_BASE/api/v3/imports/$id")
    case "$status" in *'"status":"completed"'*|*'"status":"failed"'*|*'"status":"cancelled"'*) break ;; esac
    sleep 0.2
  done
  completed=$(date +%s.%N)
  cpu_backend=$(( $(backend_cpu) - cpu_backend )) cpu_postgres=$(( $(postgres_cpu) - cpu_postgres ))
  rss=$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$BENCH_BACKEND_PID/status")
  job_started=$(psql_backend -c "SELECT extract(epoch FROM started_at) FROM user_imports WHERE import_id = '$id'")
  job_completed=$(psql_backend -c "SELECT extract(epoch FROM completed_at) FROM user_imports WHERE import_id = '$id'")
  elapsed=$(echo "$job_completed - $job_started" | bc)
  echo "import $rows: upload $(echo "$uploaded - $started" | bc) s ($(( $(stat -c %s "$file") / 1048576 )) MiB), job ${elapsed} s," \
    "$(echo "$rows / $elapsed" | bc) rows/s, created $(echo "$status" | field created), failed $(echo "$status" | field failed)," \
    "backend peak RSS ${rss} MiB (${idle_rss} MiB started and idle before the upload) ($(echo "$status" | field status))"
  echo "import $rows: CPU from upload to completion: backend $(seconds "$cpu_backend") s (the outbox dispatcher included)," \
    "PostgreSQL $(seconds "$cpu_postgres") s (the emulator's database included): $(echo "$rows * $(getconf CLK_TCK) / ($cpu_backend + $cpu_postgres)" | bc) rows per CPU-second"
  # BENCH_DELIVERY=0 measures the import alone (a 1M backlog takes ~25 minutes to deliver here).
  [ "${BENCH_DELIVERY:-1}" = 0 ] && return 0
  Outbox__DispatcherEnabled=true bench_stack_restart_backend
  delivering=$(date +%s.%N)
  while :; do
    count=$(curl -sf -X POST -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" -H 'Content-Type: application/json' \
      -d "{\"filters\":{\"and\":[{\"field\":\"last_name\",\"operator\":\"eq\",\"value\":\"$tag\"}]}}" "$BENCH_BASE/api/v3/contacts/count" | field count)
    [ "$count" = "$rows" ] && break
    sleep 0.5
  done
  searchable=$(date +%s.%N)
  delivered_rate=$(echo "$rows / ($searchable - $delivering)" | bc)
  echo "import $rows: last row searchable $(echo "$searchable - $completed" | bc) s after the job completed (the dispatcher held" \
    "back until then); outbox delivered $rows rows in $(echo "$searchable - $delivering" | bc) s, $delivered_rate rows/s"
  direct_run "$rows" "$tag"
  echo "import $rows: outbox delivery at $(echo "scale=2; $delivered_rate / $direct_rate" | bc)x the direct batch-upsert rate (target >= 0.8)," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# The same payloads the outbox sent, in batches of Outbox:BatchSize, posted straight to the emulator.
direct_run() { # rows tag
  local rows=$1 tag=$2 started elapsed batch=100 dir="$BENCH_WORK/direct-$2"
  mkdir -p "$dir"
  psql_backend -c "SELECT o.payload FROM connectra_outbox o JOIN contacts c ON c.uuid = o.uuid WHERE c.last_name = '$tag' ORDER BY o.id" \
    | awk -v b="$batch" -v dir="$dir" '{ f = sprintf("%s/%08d.json", dir, int((NR - 1) / b)); printf "%s%s", (((NR - 1) % b) ? "," : "["), $0 > f } END { }' 
  for f in "$dir"/*.json; do printf ']' >> "$f"; done
  started=$(date +%s.%N)
  for f in "$dir"/*.json; do
    curl -sf -o /dev/null -X POST -H "X-API-Key: $Connectra__ApiKey" -H 'Content-Type: application/json' --data-binary "@$f" "$BENCH_EMULATOR/contacts/batch-upsert"
  done
  elapsed=$(echo "$(date +%s.%N) - $started" | bc)
  direct_rate=$(echo "$rows / $elapsed" | bc)
  echo "direct batch-upsert $rows: ${elapsed} s, $direct_rate rows/s"
}

echo "## import of contacts by e-mail, text/csv, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for rows in "${sizes[@]}"; do
  import_run "$rows"
done
