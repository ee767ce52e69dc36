# shellcheck shell=bash
# The Spring Boot services: jars, JVM sizing, building, starting, further instances.
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

jar_of() { printf '%s/data-rsync-%s/target/data-rsync-%s.jar' "$REPO" "$1" "$1"; }

# JVM sizing for a 2-core machine: small heaps, serial GC, few compiler threads. Control-plane
# services stop at C1 (faster start, less memory); data-path services keep C2 for throughput.
jvm_opts() {
  local opts="-Xms48m -Xss512k -XX:+UseSerialGC -XX:CICompilerCount=2 -XX:ReservedCodeCacheSize=64m"
  opts+=" -XX:MaxMetaspaceSize=192m -Djava.security.egd=file:/dev/urandom"
  case $1 in
    log-listener|data-process|milvus-sync) opts+=" -Xmx384m" ;;
    gateway) opts+=" -Xmx192m -XX:TieredStopAtLevel=1" ;;
    *) opts+=" -Xmx160m -XX:TieredStopAtLevel=1" ;;
  esac
  printf '%s %s' "$opts" "${DATARSYNC_JAVA_OPTS:-}"
}

build_needed() {
  local s
  for s in "${SERVICES[@]}"; do
    [ -f "$(jar_of "$s")" ] || return 0
  done
  # Any source or pom newer than the oldest jar means a rebuild.
  local oldest
  oldest=$(ls -tr "$REPO"/data-rsync-*/target/data-rsync-*.jar | head -n1)
  [ -n "$(find "$REPO"/pom.xml "$REPO"/data-rsync-*/pom.xml "$REPO"/data-rsync-*/src/main -newer "$oldest" -type f 2>/dev/null | head -n1)" ]
}

build_services() {
  if build_needed; then
    step "building the services (mvn package, tests skipped; the test command runs them)"
    (cd "$REPO" && mvn -B -q -DskipTests -pl "$(printf 'data-rsync-%s,' "${SERVICES[@]}")" -am package) ||
      die "build failed"
  else
    say "    service jars are up to date"
  fi
}

start_service() {
  local s=$1 jar
  jar=$(jar_of "$s")
  [ -f "$jar" ] || die "$jar missing: run '$0 up' (it builds) or 'mvn package'"
  launch "$s" "$jar" env DATARSYNC_ADVERTISE_IP=127.0.0.1 DATARSYNC_NACOS_ADDR="127.0.0.1:$DATARSYNC_NACOS_PORT" \
    java $(jvm_opts "$s") -jar "$jar"
  sha1sum "$jar" | cut -d' ' -f1 >"$RUN/$s.jarsum"
}

check_service() { curl -sf "http://127.0.0.1:$(health_port_of "$1")/actuator/health" | grep -q '"status":"UP"'; }

is_service() { [[ " ${SERVICES[*]} " == *" $1 "* ]]; }

is_infra() { [[ " ${INFRA[*]} " == *" $1 "* ]]; }

jar_changed() { # a running service whose jar was rebuilt since it started
  local s=$1 jar
  jar=$(jar_of "$s")
  [ -f "$jar" ] && [ -f "$RUN/$s.jarsum" ] && [ "$(sha1sum "$jar" | cut -d' ' -f1)" != "$(cat "$RUN/$s.jarsum")" ]
}

# A further instance of a service on its own port, for failover drills and tests:
# instance start|stop|kill SERVICE PORT. It registers in Nacos beside the first one.
cmd_instance() {
  local action=${1:-} s=${2:-} port=${3:-} name var jar
  [ -n "$port" ] && is_service "$s" || die "usage: $0 instance start|stop|kill SERVICE PORT"
  name="$s@$port"
  case $action in
    start)
      if [ -n "$(pid_of "$name")" ]; then say "    $name already running (pid $(pid_of "$name"))"; return 0; fi
      port_open "$port" && die "port $port is taken"
      jar=$(jar_of "$s")
      [ -f "$jar" ] || die "$jar missing: run '$0 build'"
      var="DATARSYNC_$(echo "$s" | tr 'a-z-' 'A-Z_')_PORT"
      launch "$name" "--server.port=$port" env DATARSYNC_ADVERTISE_IP=127.0.0.1 \
        DATARSYNC_NACOS_ADDR="127.0.0.1:$DATARSYNC_NACOS_PORT" "$var=$port" \
        java $(jvm_opts "$s") -jar "$jar" "--server.port=$port"
      wait_until "$name" 240 curl -sf "http://127.0.0.1:$port/actuator/health"
      say "    started $name (pid $(pid_of "$name"))" ;;
    stop) stop_one "$name" ;;
    kill) kill_one "$name" ;;
    *) die "usage: $0 instance start|stop|kill SERVICE PORT" ;;
  esac
}
