# shellcheck shell=bash
# Local PostgreSQL for run.sh and test.sh: finds (or, as root, installs) the machine's PostgreSQL binaries and runs
# a private cluster on a free loopback port. Sourced, not executed.
#
#   pg_find_binaries             sets PG_BIN; installs Debian's postgresql when missing and running as root
#   pg_start DATA_DIR [fast]     initialises DATA_DIR if empty, starts it; sets PG_PORT and PG_CONNECTION
#   pg_stop                      stops the cluster pg_start started (safe to call twice)

pg__as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_find_binaries() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL is not installed. Install it (sudo apt-get install -y postgresql postgresql-contrib) or set ConnectionStrings__Backend." >&2
      return 1
    fi
    echo "Installing PostgreSQL from apt..." >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >&2 || return 1
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  export PG_BIN
}

pg__free_port() {
  local port
  for port in $(seq "${1:-55432}" $((${1:-55432} + 200))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# A data directory the cluster owner can use: initdb refuses to run as root, and the postgres user may not be able
# to enter the checkout (CI clones under /root).
pg__usable_dir() {
  local dir=$1
  mkdir -p "$dir" || return 1
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir" 2>/dev/null || return 1
    runuser -u postgres -- test -w "$dir" || return 1
  fi
  return 0
}

pg_start() {
  local data=$1 mode=${2:-durable} sock options
  pg_find_binaries || return 1
  pg__usable_dir "$data" || { echo "the postgres user cannot write to $data" >&2; return 1; }
  chmod 700 "$data"
  if [ ! -s "$data/PG_VERSION" ]; then
    pg__as_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -N -E UTF8 --locale=C.UTF-8 >"$data.initdb.log" 2>&1 \
      || { cat "$data.initdb.log" >&2; return 1; }
  fi
  PG_PORT=$(pg__free_port) || { echo "no free port for PostgreSQL" >&2; return 1; }
  sock="$data/socket"
  mkdir -p "$sock" && [ "$(id -u)" = 0 ] && chown postgres:postgres "$sock"
  options="-p $PG_PORT -k $sock -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=512MB"
  if [ "$mode" = fast ]; then
    # Throwaway test clusters: durability buys nothing and costs seconds per test run.
    options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  else
    options="$options -c synchronous_commit=off"
  fi
  pg__as_owner "$PG_BIN/pg_ctl" -D "$data" -o "$options" -l "$data/server.log" -w -t 60 start >/dev/null \
    || { tail -n 20 "$data/server.log" >&2; return 1; }
  PG_DATA=$data
  PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
  export PG_PORT PG_DATA PG_CONNECTION
}

pg_stop() {
  if [ -n "${PG_DATA:-}" ] && [ -s "$PG_DATA/postmaster.pid" ]; then
    pg__as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

# Creates a database on the running cluster unless it exists.
pg_create_database() {
  local name=$1
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
    || "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
}
