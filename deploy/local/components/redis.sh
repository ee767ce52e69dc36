# shellcheck shell=bash
# Redis, AOF on. Each component has install_, start_, check_ (answers?) and ready_ (idempotent set-up).
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

install_redis() { command -v redis-server >/dev/null || apt_install redis-server; }

start_redis() {
  local dir=$DATARSYNC_WORK/redis
  mkdir -p "$dir"
  # The password in a file of the work folder, not on the command line (ps would show it).
  (umask 077 && printf 'requirepass "%s"\n' "$DATARSYNC_REDIS_PASSWORD" >"$dir/auth.conf")
  # redis rewrites its process title to "redis-server host:port", so that is the marker.
  launch redis "redis-server" redis-server "$dir/auth.conf" --bind "$DATARSYNC_BIND_ADDRESS" \
    --port "$DATARSYNC_REDIS_PORT" --dir "$dir" \
    --appendonly yes --appendfsync everysec --daemonize no --protected-mode yes --logfile ""
}

check_redis() {
  [ "$(REDISCLI_AUTH="$DATARSYNC_REDIS_PASSWORD" redis-cli -p "$DATARSYNC_REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

ready_redis() { :; }
