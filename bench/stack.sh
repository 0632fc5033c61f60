# shellcheck shell=bash
# The whole stack for a benchmark, from Release builds, on a throwaway PostgreSQL: sourced by bench/*/run.sh.
#
#   bench_stack_start COMPANIES CONTACTS    builds, seeds the emulator, starts it and the backend; sets BENCH_WORK,
#                                           BENCH_BASE (backend URL), BENCH_EMULATOR (emulator URL),
#                                           BENCH_EMULATOR_PID, BENCH_BACKEND_PID, BENCH_ADMIN_TOKEN, and
#                                           psql_emulator/psql_backend
#   bench_stack_restart_backend             stops the backend and starts it again (same settings)
#   bench_every SECONDS FILE FUNCTION       samples FUNCTION's output into FILE in the background
#   bench_cpu_ticks PID / bench_postgres_ticks
#                                           CPU a process (or every PostgreSQL server process) has used so far, in
#                                           clock ticks (getconf CLK_TCK a second): utime + stime from /proc
#   bench_client COMMAND...                 runs a client of the stack (wrk, a replay) on the backend's cores
# Extra backend settings: export them (e.g. Outbox__BatchSize=100) before bench_stack_start.
# BENCH_SPLIT_CORES=1 stands in for Connectra on a machine of its own: PostgreSQL and the emulator run on core 0,
# the backend and the clients on the other cores (taskset), so the backend's CPU no longer takes Connectra's. Each
# .NET process starts on its cores and sizes its thread pool and GC for them, as it would on a machine that small.
# Everything stops and is deleted when the calling script exits, except with BENCH_STATE=DIR: then the PostgreSQL
# cluster, the seeded data and the emulator index live in DIR and are kept, so a later run with the same DIR skips
# the seeding (seed leaves a database that holds rows alone, whatever sizes it is given).

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
# shellcheck source=../scripts/postgres.sh
source "$BENCH_ROOT/scripts/postgres.sh"

bench__pids=()
bench__cleanup() {
  for pid in "${bench__pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${bench__pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop
  if [ -n "${BENCH_WORK:-}" ] && [ -z "${BENCH_STATE:-}" ]; then rm -rf "$BENCH_WORK"; fi
}
trap bench__cleanup EXIT

# Runs a command in the background for the rest of the benchmark; it is stopped at exit.
bench_background() {
  "$@" &
  bench__pids+=($!)
}

# Appends "<unix time> <output of FUNCTION>" to FILE every SECONDS until the benchmark ends.
bench_every() {
  local seconds=$1 file=$2 function=$3
  ( while true; do echo "$(date +%s) $("$function")"; sleep "$seconds"; done ) >>"$file" &
  bench__pids+=($!)
}

bench__split() { [ "${BENCH_SPLIT_CORES:-0}" = 1 ]; }
bench__connectra_cpus=0
bench__backend_cpus="1-$(($(nproc) - 1))"
# The taskset prefix that puts a command on CPUS when the cores are split (empty otherwise), in bench__pin. A prefix,
# not a wrapper function, so that the command keeps the pid the caller records.
bench__pinned() {
  bench__pin=()
  if bench__split; then bench__pin=(taskset -c "$1"); fi
}
bench_client() {
  bench__pinned "$bench__backend_cpus"
  "${bench__pin[@]}" "$@"
}

bench_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
bench_postgres_ticks() {
  local total=0 pid
  for pid in $(pgrep -P "$(head -n 1 "$PG_DATA/postmaster.pid")"); do total=$((total + $(bench_cpu_ticks "$pid"))); done
  echo "$total"
}

psql_emulator() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d emulator -qAt "$@"; }
psql_backend() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d backend -qAt "$@"; }

bench_stack_start() {
  local companies=$1 contacts=$2 emulator_port pid
  if [ -n "${BENCH_STATE:-}" ]; then
    mkdir -p "$BENCH_STATE"
    BENCH_WORK=$(cd "$BENCH_STATE" && pwd)
  else
    BENCH_WORK=$(mktemp -d)
  fi
  chmod 755 "$BENCH_WORK"
  if bench__split && [ "$(nproc)" -lt 2 ]; then
    echo "BENCH_SPLIT_CORES=1 needs at least two cores" >&2
    return 1
  fi
  pg_start "$BENCH_WORK/pg" fast
  if bench__split; then
    # Server processes PostgreSQL starts later are forked from the postmaster and keep its cores.
    local postmaster
    postmaster=$(head -n 1 "$BENCH_WORK/pg/postmaster.pid")
    for pid in "$postmaster" $(pgrep -P "$postmaster"); do taskset -a -p -c "$bench__connectra_cpus" "$pid" >/dev/null; done
  fi
  pg_create_database emulator
  pg_create_database backend
  dotnet build -c Release "$BENCH_ROOT/src/Connectra.Emulator" -o "$BENCH_WORK/emulator" >/dev/null
  dotnet build -c Release "$BENCH_ROOT/src/Connectra.Backend.Api" -o "$BENCH_WORK/api" >/dev/null
  export Emulator__ConnectionString="${PG_CONNECTION/Database=postgres/Database=emulator}"
  export Emulator__ApiKey=bench-key Emulator__IndexPath="$BENCH_WORK/index"
  export ConnectionStrings__Backend="${PG_CONNECTION/Database=postgres/Database=backend}"
  export ASPNETCORE_ENVIRONMENT=Development Exports__StoragePath="$BENCH_WORK/exports"
  # One user from one address drives every benchmark: per-caller rate limits would measure only themselves.
  export RateLimits__Enabled=false
  # Request logs at Information would measure the console, not the backend.
  export Serilog__MinimumLevel__Default=Warning

  echo "## seed --companies $companies --contacts $contacts"
  local started=$SECONDS
  dotnet "$BENCH_WORK/emulator/Connectra.Emulator.dll" seed --companies "$companies" --contacts "$contacts" >/dev/null
  echo "seeded in $((SECONDS - started)) s"
  emulator_port=$(pg__free_port 18100)
  BENCH_EMULATOR="http://127.0.0.1:$emulator_port"
  bench__pinned "$bench__connectra_cpus"
  bench_background "${bench__pin[@]}" dotnet "$BENCH_WORK/emulator/Connectra.Emulator.dll" --urls "$BENCH_EMULATOR" >"$BENCH_WORK/emulator.log" 2>&1
  BENCH_EMULATOR_PID=${bench__pids[-1]}
  (cd "$BENCH_WORK/api" && dotnet Connectra.Backend.Api.dll migrate >/dev/null)
  export Connectra__BaseUrl="$BENCH_EMULATOR" Connectra__ApiKey=bench-key
  BENCH_BASE="http://127.0.0.1:$(pg__free_port 18200)"
  bench__start_backend
  BENCH_ADMIN_TOKEN=$(cd "$BENCH_WORK/api" && dotnet Connectra.Backend.Api.dll dev-token --role admin --hours 8)
  export BENCH_WORK BENCH_BASE BENCH_EMULATOR BENCH_EMULATOR_PID BENCH_ADMIN_TOKEN
}

bench__start_backend() {
  bench__pinned "$bench__backend_cpus"
  (cd "$BENCH_WORK/api" && ASPNETCORE_URLS="$BENCH_BASE" exec "${bench__pin[@]}" dotnet Connectra.Backend.Api.dll >>"$BENCH_WORK/api.log" 2>&1) &
  BENCH_BACKEND_PID=$!
  bench__pids+=("$BENCH_BACKEND_PID")
  for _ in $(seq 1 120); do
    curl -sf "$BENCH_BASE/health/vql" >/dev/null && return 0
    sleep 1
  done
  echo "the backend did not start; its log:" >&2
  tail -n 30 "$BENCH_WORK/api.log" >&2
  return 1
}

bench_stack_restart_backend() {
  kill "$BENCH_BACKEND_PID"
  wait "$BENCH_BACKEND_PID" 2>/dev/null || true
  bench__start_backend
}
