# shellcheck shell=bash
# rnacos, the Nacos-protocol registry and config centre, and the shared config it serves. Each component has install_, start_, check_ (answers?) and ready_ (idempotent set-up).
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

install_nacos() {
  if ! command -v rnacos >/dev/null; then
    command -v cargo >/dev/null || die "cargo not found: install Rust (rustup) to build rnacos"
    step "cargo install rnacos $RNACOS_VERSION (a Nacos-protocol server; takes a few minutes once)"
    cargo install --quiet --locked rnacos --version "$RNACOS_VERSION"
  fi
}

start_nacos() {
  local dir=$DATARSYNC_WORK/nacos
  # rnacos 0.8.8 was seen restarting on its own raft data with an empty membership and no
  # leader ("unknown the raft leader addr!"), refusing every config write. Locally its data is
  # disposable (instances re-register, the shared config is seeded from the repository), so
  # each start begins from an empty folder.
  rm -rf "$dir/db"
  mkdir -p "$dir"
  # Its HTTP, gRPC and console ports on $DATARSYNC_BIND_ADDRESS only, and its open API (config,
  # naming) for logged-in users only: the suite's user is created on the empty store.
  launch nacos "rnacos" env -C "$dir" RNACOS_HTTP_PORT="$DATARSYNC_NACOS_PORT" \
    RNACOS_GRPC_PORT="$((DATARSYNC_NACOS_PORT + 1000))" RNACOS_HTTP_CONSOLE_PORT="$((DATARSYNC_NACOS_PORT + 2000))" \
    RNACOS_SDK_HOST="$DATARSYNC_BIND_ADDRESS" RNACOS_CONFIG_DB_DIR="$dir/db" \
    RNACOS_ENABLE_OPEN_API_AUTH=true RNACOS_INIT_ADMIN_USERNAME="$DATARSYNC_NACOS_USERNAME" \
    RNACOS_INIT_ADMIN_PASSWORD="$DATARSYNC_NACOS_PASSWORD" \
    "$(command -v rnacos)"
}

nacos_base() { printf 'http://127.0.0.1:%s/nacos/v1' "$DATARSYNC_NACOS_PORT"; }

# An access token of the suite's Nacos user (empty while rnacos is not ready to log in).
nacos_token() {
  curl -s -X POST "$(nacos_base)/auth/login" --data-urlencode "username=$DATARSYNC_NACOS_USERNAME" \
    --data-urlencode "password=$DATARSYNC_NACOS_PASSWORD" | sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p'
}

# Answers at all (without a login its config API says 403).
check_nacos() {
  port_open "$((DATARSYNC_NACOS_PORT + 1000))" &&
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$(nacos_base)/cs/configs?dataId=probe&group=DATA_RSYNC")" != 000 ]
}

# The suite's user is created on the empty store a moment after the start: logs in within 20 s.
nacos_login() {
  local i
  for i in $(seq 1 40); do
    NACOS_TOKEN=$(nacos_token)
    [ -n "$NACOS_TOKEN" ] && return 0
    sleep 0.5
  done
  return 1
}

nacos_url() { printf '%s/cs/configs?accessToken=%s' "$(nacos_base)" "$NACOS_TOKEN"; }

# rnacos 0.8.8 sometimes panics in its raft apply thread right at start-up (raftapply.rs:421,
# an unwrap on None); it then still answers HTTP and gRPC and accepts config writes, but never
# applies them. Only a write read back proves the config store works.
nacos_config_roundtrip() {
  local probe="probe-$RANDOM-$SECONDS" i
  curl -sf -X POST "$(nacos_url)" --data-urlencode dataId=datarsync-probe --data-urlencode group=DATA_RSYNC \
    --data-urlencode "content=$probe" >/dev/null || return 1
  for i in $(seq 1 20); do
    [ "$(curl -s "$(nacos_url)&dataId=datarsync-probe&group=DATA_RSYNC")" = "$probe" ] && return 0
    sleep 0.25
  done
  return 1
}

ready_nacos() {
  local attempt
  for attempt in 1 2 3; do
    if nacos_login && nacos_config_roundtrip; then
      # Publish the shared config when absent (the first start, or after a Nacos restart, which
      # begins empty locally); edits made while Nacos runs are kept until it restarts.
      local q="dataId=data-rsync-shared.yaml&group=DATA_RSYNC"
      if [ "$(curl -s -o /dev/null -w '%{http_code}' "$(nacos_url)&$q")" != 200 ]; then
        curl -sf -X POST "$(nacos_url)" --data-urlencode dataId=data-rsync-shared.yaml \
          --data-urlencode group=DATA_RSYNC --data-urlencode type=yaml \
          --data-urlencode "content@$HERE/nacos/data-rsync-shared.yaml" >/dev/null
        say "    published data-rsync-shared.yaml to Nacos"
      fi
      return 0
    fi
    say "    rnacos refuses the login or does not apply config writes (its start-up race, see nacos.log); restarting it ($attempt/3)"
    stop_one nacos
    start_nacos
    wait_until nacos 120 check_nacos
  done
  die "rnacos never accepted the login and a config write; see $LOGS/nacos.log"
}
