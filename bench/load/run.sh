#!/usr/bin/env bash
# Load and soak of the whole backend over the emulator (docs/benchmarks.md#load-and-soak):
#  1. bench/load/mixed.lua (searches, counts, details, company contacts, filter values, writes) at 1, 16 and 64
#     connections: requests/s, p50/p99, errors (every non-2xx answer is one);
#  2. a soak at 16 connections for SOAK seconds: the backend's RSS, its open TCP connections and PostgreSQL's
#     sessions sampled every 10 s — they must stay flat.
#
#   bench/load/run.sh [COMPANIES] [CONTACTS] [SECONDS] [SOAK]    defaults: 100000 1000000 30 300
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
companies=${1:-100000}
contacts=${2:-1000000}
seconds=${3:-30}
soak=${4:-300}

# shellcheck source=../stack.sh
source "$here/../stack.sh"
bench_stack_start "$companies" "$contacts"
export BENCH_DIR="$BENCH_WORK" BENCH_TOKEN="$BENCH_ADMIN_TOKEN" BENCH_TAG="load$RANDOM"
psql_emulator -c "SELECT uuid FROM contacts TABLESAMPLE SYSTEM (1) LIMIT 2000" >"$BENCH_WORK/contacts.txt"
psql_emulator -c "SELECT uuid FROM companies TABLESAMPLE SYSTEM (5) LIMIT 2000" >"$BENCH_WORK/companies.txt"
url="$BENCH_BASE/api/v3/contacts/query"

echo "## warm-up: wrk -t2 -c16 -d20s"
wrk -t2 -c16 -d20s -s "$here/mixed.lua" "$url" | sed -n '/^requests=/,$p'
for connections in 1 16 64; do
  echo "## wrk -c$connections -d${seconds}s mixed"
  wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${seconds}s" --timeout 10s -s "$here/mixed.lua" "$url" | sed -n '/^requests=/,$p'
done

sample() {
  local rss sockets sessions
  rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$BENCH_BACKEND_PID/status")
  sockets=$(find "/proc/$BENCH_BACKEND_PID/fd" -lname 'socket:*' 2>/dev/null | wc -l)
  sessions=$(psql_backend -c "SELECT count(*) FROM pg_stat_activity WHERE datname = 'backend'")
  echo "$rss $sockets $sessions"
}
echo "## soak: wrk -t2 -c16 -d${soak}s mixed; RSS MiB, open sockets, PostgreSQL sessions every 10 s"
bench_every 10 "$BENCH_WORK/soak.log" sample
wrk -t2 -c16 -d"${soak}s" --timeout 10s -s "$here/mixed.lua" "$url" | sed -n '/^requests=/,$p'
sleep 1
awk 'NR == 1 { start = $1 } { printf "  t+%ds rss=%sMiB sockets=%s pg_sessions=%s\n", $1 - start, $2, $3, $4 }' "$BENCH_WORK/soak.log"
