# shellcheck shell=bash
# Redis, AOF on. Each component has install_, start_, check_ (answers?) and ready_ (idempotent set-up).
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

install_redis() { command -v redis-server >/dev/null || apt_install redis-server; }

start_redis() {
  local dir=$DATARSYNC_WORK/redis
  mkdir -p "$dir"
  # redis rewrites its process title to "redis-server host:port", so that is the marker.
  launch redis "redis-server" redis-server --bind 127.0.0.1 --port "$DATARSYNC_REDIS_PORT" --dir "$dir" \
    --appendonly yes --appendfsync everysec --daemonize no --protected-mode yes --logfile ""
}

check_redis() { [ "$(redis-cli -p "$DATARSYNC_REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

ready_redis() { :; }
