# shellcheck shell=bash
# The test command (every test, on the shared infrastructure) and the full-size benchmarks.
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

# The long tests that run at a fast default inside the test command and at full size in
# 'datarsync bench' (DATARSYNC_FULL_SIZE=true; docs/testing.md).
BENCH_TESTS=NumericScaleBenchmarkIT,VerificationAtScaleIT,DataPathBenchmarkIT,LocalModelBenchmarkIT,DependencyOutageIT,StageMetricsIT,MariaDbDataPathIT,PostgresDataPathIT,ChunkedSnapshotIT,ApiFuzzIT

cmd_test() {
  step "building and running every test (mvn verify)"
  maven_on_infra verify "$@"
}

# bench [TEST,...]: the benchmark, fault and soak tests at full size (1,000,000 rows, 90 s
# outages), printing the same BENCHMARK lines as the test command's fast run.
cmd_bench() {
  local tests=${1:-$BENCH_TESTS}
  step "full-size benchmarks: $tests (DATARSYNC_FULL_SIZE=true)"
  # Only deploy's tests run, so the service jars they start are built first.
  build_services
  DATARSYNC_FULL_SIZE=true maven_on_infra verify -pl deploy -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test="$tests" -Dfailsafe.failIfNoSpecifiedTests=false
}

# maven_on_infra ARGS...: installs what is missing, starts the infrastructure (shared by every
# integration test), runs mvn with ARGS and stops the services the tests started.
maven_on_infra() {
  local t0=$SECONDS before=() s rc=0
  step "installing what is missing"
  install_all
  step "starting infrastructure (shared by every integration test)"
  cmd_start infra
  for s in "${SERVICES[@]}"; do [ -n "$(pid_of "$s")" ] && before+=("$s"); done
  (cd "$REPO" && mvn -B "$@") || rc=$?
  # Services the suite tests started are stopped again; ones that ran before are left alone.
  for s in "${SERVICES[@]}"; do
    [[ " ${before[*]} " == *" $s "* ]] || stop_one "$s" >/dev/null
  done
  say "tests finished in $((SECONDS - t0))s with exit code $rc"
  return $rc
}
