# shellcheck shell=bash
# PostgreSQL: the data path's cluster (wal_level=logical) and a second one without logical decoding (postgres-nocdc). Each component has install_, start_, check_ (answers?) and ready_ (idempotent set-up).
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -n "$d" ] && printf '%s' "$d"
}

install_postgres() { [ -n "$(pg_bin)" ] && command -v psql >/dev/null || apt_install postgresql postgresql-client; }

install_postgres-nocdc() { install_postgres; }

# postgres_cluster NAME PORT WAL_LEVEL SHARED_BUFFERS MAX_CONNECTIONS: one PostgreSQL cluster in
# <work>/NAME, initialised once.
postgres_cluster() {
  local name=$1 port=$2 wal=$3 buffers=$4 connections=$5 dir=$DATARSYNC_WORK/$1 bin
  bin=$(pg_bin)
  mkdir -p "$dir"
  is_root && chown -R postgres:postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    step "initialising PostgreSQL cluster $name"
    as_user postgres "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$LOGS/$name-init.log" 2>&1
  fi
  local drop=()
  is_root && drop=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  launch "$name" "$dir/data" "${drop[@]}" "$bin/postgres" -D "$dir/data" \
    -c listen_addresses=127.0.0.1 -p "$port" -c unix_socket_directories="$dir" \
    -c wal_level="$wal" -c max_wal_senders=10 -c max_replication_slots=10 \
    -c shared_buffers="$buffers" -c max_connections="$connections" -c logging_collector=off
}

# The data path's PostgreSQL: logical decoding on.
start_postgres() { postgres_cluster postgres "$DATARSYNC_POSTGRES_PORT" logical 64MB 200; }

check_postgres() { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$DATARSYNC_POSTGRES_PORT"; }

ready_postgres() { postgres_roles postgres "$DATARSYNC_POSTGRES_PORT"; }

# A second, small cluster with wal_level=replica, where logical capture cannot work: the
# connection test and the health checks are tested on it (docs/data-sources.md).
start_postgres-nocdc() { postgres_cluster postgres-nocdc "$DATARSYNC_POSTGRES_NOCDC_PORT" replica 16MB 20; }

check_postgres-nocdc() { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$DATARSYNC_POSTGRES_NOCDC_PORT"; }

ready_postgres-nocdc() { postgres_roles postgres-nocdc "$DATARSYNC_POSTGRES_NOCDC_PORT"; }

postgres_roles() { # NAME PORT: the suite's role and demo database
  local psql=("$(pg_bin)/psql" -q -v ON_ERROR_STOP=1 -h "$DATARSYNC_WORK/$1" -p "$2" -U postgres -d postgres)
  as_user postgres "${psql[@]}" >/dev/null <<SQL
SELECT 'CREATE ROLE "$DATARSYNC_PG_USER" LOGIN'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DATARSYNC_PG_USER') \gexec
-- WAL capture needs REPLICATION; the tests create their own databases, and roles (a user
-- without REPLICATION shows the connection test's failure).
ALTER ROLE "$DATARSYNC_PG_USER" WITH LOGIN REPLICATION CREATEDB CREATEROLE PASSWORD '$DATARSYNC_PG_PASSWORD';
SELECT 'CREATE DATABASE "$DATARSYNC_DEMO_DB" OWNER "$DATARSYNC_PG_USER"'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DATARSYNC_DEMO_DB') \gexec
SQL
}
