# shellcheck shell=bash
# Helpers every part of the script uses: output, ports, PIDs, launching and stopping processes, apt-get.
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

say() { printf '%s\n' "$*"; }
step() { printf '==> %s\n' "$*"; }
die() { printf 'datarsync: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

port_of() { # component -> port
  local var="DATARSYNC_$(echo "$1" | tr 'a-z-' 'A-Z_')_PORT"
  printf '%s' "${!var}"
}

# Where a service answers health and metrics: its own port, except the gateway's, whose public
# port speaks HTTPS only; its actuator listens on a loopback management port in plain HTTP.
health_port_of() {
  if [ "$1" = gateway ]; then printf '%s' "$DATARSYNC_GATEWAY_MANAGEMENT_PORT"; else port_of "$1"; fi
}

gateway_url() { printf 'https://127.0.0.1:%s' "$DATARSYNC_GATEWAY_PORT"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_of() { # name -> pid of a live process we started, or nothing
  local f="$RUN/$1.pid" pid marker
  [ -f "$f" ] || return 0
  pid=$(head -n1 "$f"); marker=$(sed -n 2p "$f")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"; then
    printf '%s' "$pid"
  fi
}

# launch NAME MARKER CMD...: start CMD in its own session, stdout/stderr to the log, record the PID
# and a marker that must appear in its command line (so a recycled PID is never mistaken for ours).
launch() {
  local name=$1 marker=$2; shift 2
  mkdir -p "$RUN" "$LOGS"
  [ -f "$LOGS/$name.log" ] && mv -f "$LOGS/$name.log" "$LOGS/$name.log.1"
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  local pid=$! i
  printf '%s\n%s\n' "$pid" "$marker" >"$RUN/$name.pid"
  # Until the child has exec'd, its command line is still this script's: wait for the marker.
  for i in $(seq 50); do
    [ -n "$(pid_of "$name")" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
}

# wait_until NAME SECONDS CHECK...: poll CHECK until it succeeds; fail early if the process died.
wait_until() {
  local name=$1 limit=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if [ -z "$(pid_of "$name")" ]; then
      tail -n 30 "$LOGS/$name.log" >&2 2>/dev/null || true
      die "$name exited during start-up (log: $LOGS/$name.log)"
    fi
    [ $SECONDS -lt $deadline ] || die "$name did not answer within ${limit}s (log: $LOGS/$name.log)"
    sleep 1
  done
}

kill_one() { # SIGKILL, no shutdown hooks: what a crash looks like to the rest of the suite
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] || { say "    $1 is not running"; return 0; }
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  rm -f "$RUN/$1.pid" "$RUN/$1.jarsum"
  say "    killed $1 (pid $pid)"
}

stop_one() {
  local name=$1 pid
  pid=$(pid_of "$name")
  if [ -z "$pid" ]; then
    rm -f "$RUN/$name.pid"
    return 0
  fi
  # The process leads its own session (setsid), so signal the whole group: wrappers and children.
  # PostgreSQL takes SIGTERM as a "smart" shutdown that waits for every client (a replication
  # stream never ends by itself); SIGINT is its fast shutdown, still clean.
  local sig=TERM
  [[ $name == postgres* ]] && sig=INT
  kill -"$sig" -- "-$pid" 2>/dev/null || kill -"$sig" "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 40))
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    say "    $name did not stop in 40s, killing"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN/$name.pid" "$RUN/$name.jarsum"
  say "    stopped $name (pid $pid)"
}

# Servers that refuse to run as root (PostgreSQL) drop to their Debian user; setpriv execs, so
# the PID we record is the server's own.
as_user() {
  local user=$1; shift
  if is_root; then setpriv --reuid="$user" --regid="$user" --init-groups -- "$@"; else "$@"; fi
}

APT_UPDATED=0
apt_install() {
  local sudo=""
  is_root || sudo=sudo
  command -v apt-get >/dev/null || die "apt-get not found: install $* with your package manager"
  if [ $APT_UPDATED = 0 ]; then
    $sudo apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  step "apt-get install $*"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# venv_install VENV REQUIREMENTS LABEL: a venv with the pinned requirements, made again only when
# the requirements file changed (a stamp named by its hash).
venv_install() {
  local venv=$1 requirements=$2 label=$3 stamp
  stamp="$venv/.requirements-$(sha1sum "$requirements" | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    step "installing $label into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
    touch "$stamp"
  fi
}
