# shellcheck shell=bash
# Prometheus scraping every service, with the shipped alert rules. Each component has install_, start_, check_ (answers?) and ready_ (idempotent set-up).
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

install_prometheus() { command -v prometheus >/dev/null || apt_install prometheus; }

# Writes Prometheus' scrape configuration and copies the shipped alert rules next to it;
# answers true when either changed.
prometheus_config() {
  local dir=$DATARSYNC_WORK/prometheus targets="" s before=""
  mkdir -p "$dir/data"
  [ -f "$dir/prometheus.yml" ] && before=$(cat "$dir/prometheus.yml" "$dir/datarsync-alerts.yml" 2>/dev/null)
  for s in "${SERVICES[@]}"; do targets+="${targets:+, }'127.0.0.1:$(health_port_of "$s")'"; done
  cp "$HERE/../monitoring/prometheus/datarsync-alerts.yml" "$dir/datarsync-alerts.yml"
  (umask 077 && printf '%s' "$DATARSYNC_METRICS_TOKEN" >"$dir/metrics-token")
  sed -e "s|@TARGETS@|$targets|" -e "s|@RULES@|$dir/datarsync-alerts.yml|" -e "s|@CREDENTIALS@|$dir/metrics-token|" \
    "$HERE/prometheus/prometheus.yml.tmpl" >"$dir/prometheus.yml"
  [ "$before" != "$(cat "$dir/prometheus.yml" "$dir/datarsync-alerts.yml")" ]
}

start_prometheus() {
  local dir=$DATARSYNC_WORK/prometheus
  prometheus_config || true
  launch prometheus "$dir/prometheus.yml" prometheus --config.file="$dir/prometheus.yml" \
    --storage.tsdb.path="$dir/data" --storage.tsdb.retention.time=2d \
    --web.listen-address="$DATARSYNC_BIND_ADDRESS:$DATARSYNC_PROMETHEUS_PORT"
}

check_prometheus() { curl -sf "http://127.0.0.1:$DATARSYNC_PROMETHEUS_PORT/-/ready"; }

ready_prometheus() { :; }
