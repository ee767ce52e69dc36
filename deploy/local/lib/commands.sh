# shellcheck shell=bash
# start, stop, status and up: groups of components and services in order.
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

expand() { # targets -> names, in start order
  local t out=()
  [ $# -gt 0 ] || set -- all
  for t in "$@"; do
    case $t in
      all) out+=("${INFRA[@]}" "${SERVICES[@]}") ;;
      infra) out+=("${INFRA[@]}") ;;
      services) out+=("${SERVICES[@]}") ;;
      *) is_infra "$t" || is_service "$t" || die "unknown target '$t'; known: all infra services ${INFRA[*]} ${SERVICES[*]}"
         out+=("$t") ;;
    esac
  done
  printf '%s\n' "${out[@]}" | awk '!seen[$0]++'
}

cmd_start() {
  local names=() infra=() services=() n
  mapfile -t names < <(expand "$@")
  mkdir -p "$RUN" "$LOGS"
  ensure_secrets
  for n in "${names[@]}"; do
    if is_infra "$n"; then infra+=("$n"); else services+=("$n"); fi
  done
  # Infrastructure first and set up (users, databases) before a service connects to it: on a
  # fresh work folder the services would otherwise meet a database without their user.
  [ ${#infra[@]} -eq 0 ] || start_group "${infra[@]}"
  [ ${#services[@]} -eq 0 ] || start_group "${services[@]}"
}

# start_group NAME...: launches every one not yet running, then waits for each to answer.
start_group() {
  local names=("$@") n launched=()
  for n in "${names[@]}"; do
    if [ -n "$(pid_of "$n")" ]; then
      if is_service "$n" && jar_changed "$n"; then
        say "    $n: jar rebuilt since start, restarting"
        stop_one "$n"
      else
        say "    $n already running (pid $(pid_of "$n"), port $(port_of "$n"))"
        # A running Prometheus reloads its scrape targets when they changed (ports moved).
        if [ "$n" = prometheus ] && prometheus_config; then
          kill -HUP "$(pid_of prometheus)" && say "    prometheus: scrape targets changed, configuration reloaded"
        fi
        continue
      fi
    fi
    port_open "$(port_of "$n")" && die "port $(port_of "$n") for $n is taken by a process this script did not start"
    if is_service "$n"; then start_service "$n"; else "start_$n"; fi
    launched+=("$n")
    say "    started $n (pid $(pid_of "$n"))"
  done
  # Processes were all launched first, so they start in parallel; now wait for each to answer.
  # Wait for every target, not only the ones launched now: one started by an earlier,
  # interrupted call may still be coming up.
  for n in "${names[@]}"; do
    if is_service "$n"; then
      wait_until "$n" 240 check_service "$n"
    else
      wait_until "$n" 120 "check_$n"
    fi
    [[ " ${launched[*]} " == *" $n "* ]] && say "    $n is up on port $(port_of "$n")"
  done
  # Idempotent set-up (users, databases, seed config) for every component asked for, so an
  # interrupted earlier start is completed by the next one.
  for n in "${names[@]}"; do
    if is_infra "$n"; then "ready_$n"; fi
  done
}

cmd_stop() {
  local names=() i
  mapfile -t names < <(expand "$@")
  for ((i = ${#names[@]} - 1; i >= 0; i--)); do stop_one "${names[i]}"; done
}

stop_instances() { # every further instance started by 'instance start'
  local f
  for f in "$RUN"/*@*.pid; do
    [ -e "$f" ] && stop_one "$(basename "$f" .pid)"
  done
  return 0
}

cmd_status() {
  local n pid rss total=0 state
  printf '%-14s %-8s %-6s %-8s %s\n' NAME STATE PORT PID RSS_MB
  for n in "${INFRA[@]}" "${SERVICES[@]}"; do
    pid=$(pid_of "$n"); rss=0; state=stopped
    if [ -n "$pid" ]; then
      state=running
      # Sum the whole process group: wrappers (setpriv, env) exec, servers may fork helpers.
      rss=$(ps -o rss= -g "$pid" 2>/dev/null | awk '{s+=$1} END {print int(s/1024)}')
      total=$((total + rss))
    fi
    printf '%-14s %-8s %-6s %-8s %s\n' "$n" "$state" "$(port_of "$n")" "${pid:--}" "$rss"
  done
  printf 'total resident memory of running processes: %s MB\n' "$total"
}

cmd_up() {
  local t0=$SECONDS
  step "installing what is missing"
  install_all
  step "starting infrastructure"
  cmd_start infra
  build_services
  step "starting services"
  cmd_start services
  demo_task
  say ""
  cmd_status
  say ""
  say "Data Rsync is up in $((SECONDS - t0))s. Gateway: $(gateway_url) (certificate: $DATARSYNC_GATEWAY_TLS_CERT)  Nacos console: http://127.0.0.1:$((DATARSYNC_NACOS_PORT + 2000)) (user $DATARSYNC_NACOS_USERNAME, its password in $SECRETS)"
  say "Logs: $LOGS   Stop: $0 down"
}

demo_task() {
  step "demo task: datarsync_demo.articles (MariaDB) -> Milvus collection demo_articles"
  mariadb --no-defaults --default-character-set=utf8mb4 --socket="$DATARSYNC_WORK/mariadb/mysqld.sock" -uroot "$DATARSYNC_DEMO_DB" \
    <"$HERE/tasks/demo_articles.sql"
  # Tasks read from registered data sources: the demo's is registered (or updated) first. Then,
  # idempotently, an existing demo task is updated to the file and started if it is not running.
  ensure_admin_token
  register_source demo-mariadb mariadb "$DATARSYNC_MARIADB_PORT" "$DATARSYNC_DEMO_DB" "$DATARSYNC_DEMO_DB_USER" "$DATARSYNC_DEMO_DB_PASSWORD"
  task_start "$HERE/tasks/demo_articles.json"
  local rows="" i
  for i in $(seq 1 60); do
    rows=$(milvus_count demo_articles 2>/dev/null || true)
    [ "${rows:-0}" -gt 0 ] && break
    sleep 1
  done
  say "    Milvus collection demo_articles holds ${rows:-0} entities; edit datarsync_demo.articles and watch them follow"
}
