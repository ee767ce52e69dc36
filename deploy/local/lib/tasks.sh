# shellcheck shell=bash
# The task CLI: a client of the gateway's API, logged in as the first super administrator.
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1"; }

# The gateway wants an access token: the script logs in as the first super administrator
# (password from secrets.env). Called at the top level, so later $(task_call ...) subshells
# inherit the token.
ensure_admin_token() {
  [ -n "${ADMIN_TOKEN:-}" ] && return 0
  local body answer i
  body=$(python3 -c 'import json,os; print(json.dumps({"username": os.environ.get("DATARSYNC_ADMIN_USERNAME") or "admin", "password": os.environ["DATARSYNC_ADMIN_PASSWORD"]}))')
  for i in $(seq 1 30); do # auth may still be registering behind the gateway
    if answer=$(curl -sS --fail-with-body --cacert "$DATARSYNC_GATEWAY_TLS_CERT" -X POST \
        -H 'Content-Type: application/json' --data-binary "$body" "$(gateway_url)/api/auth/login" 2>/dev/null); then
      ADMIN_TOKEN=$(json_field accessToken <<<"$answer")
      return 0
    fi
    sleep 2
  done
  die "login as the super administrator failed: $answer"
}

task_call() { # METHOD PATH [FILE|-]: a call through the gateway; prints the JSON answer, fails on 4xx/5xx
  local method=$1 path=$2 file=${3:-}
  curl -sS --fail-with-body --cacert "$DATARSYNC_GATEWAY_TLS_CERT" -X "$method" -H 'Content-Type: application/json' \
    ${file:+--data-binary "@$file"} -H "Authorization: Bearer $ADMIN_TOKEN" "$(gateway_url)$path"
}

# The id of the registered data source of this name; empty when there is none.
source_id() {
  task_call GET /api/datasources | python3 -c 'import json,sys
print(next((str(s["id"]) for s in json.load(sys.stdin) if s["name"] == sys.argv[1]), ""))' "$1"
}

# register_source NAME KIND PORT DATABASE USER PASSWORD: registers a source on 127.0.0.1, or
# updates the one of that name (password included); the password travels in the body only.
register_source() {
  local name=$1 id body answer
  body=$(NAME=$1 KIND=$2 PORT=$3 DB=$4 DBUSER=$5 PASSWORD=$6 python3 -c 'import json,os
e=os.environ
print(json.dumps({"name": e["NAME"], "kind": e["KIND"], "host": "127.0.0.1", "port": int(e["PORT"]),
  "database": e["DB"], "username": e["DBUSER"], "password": e["PASSWORD"]}))')
  id=$(source_id "$name") || die "the data-source service did not list the sources"
  if [ -n "$id" ]; then
    answer=$(task_call PUT "/api/datasources/$id" - <<<"$body") || die "the data-source service refused $name: $answer"
  else
    answer=$(task_call POST /api/datasources - <<<"$body") || die "the data-source service refused $name: $answer"
    say "    registered data source $name (id $(json_field id <<<"$answer"))"
  fi
}

# A task goes through the task manager's API: created (or updated to the file's definition),
# then started; the task manager validates it in every stage before anything is created. A
# file may name its source by "dataSourceName" (ids differ between installations): it is
# replaced by the id of the registered source of that name.
task_start() {
  local file=$1 id body answer i name source
  [ -f "$file" ] || die "no task definition at $file"
  id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$file") || die "$file is not a task definition"
  ensure_admin_token
  name=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("source", {}).get("dataSourceName", ""))' "$file")
  source=""
  if [ -n "$name" ]; then
    source=$(source_id "$name") || die "the data-source service did not list the sources"
    [ -n "$source" ] || die "$file names data source '$name', which is not registered (POST /api/datasources)"
  fi
  body=$(SOURCE_ID=$source python3 -c 'import json,os,sys
d=json.load(open(sys.argv[1]))
if os.environ["SOURCE_ID"]:
    d["source"].pop("dataSourceName")
    d["source"]["dataSourceId"]=int(os.environ["SOURCE_ID"])
print(json.dumps({"definition": d}))' "$file")
  # Right after start-up the task manager may not see every stage in the registry yet (503).
  for i in $(seq 1 30); do
    if answer=$(task_call POST /api/tasks - <<<"$body" 2>/dev/null); then
      say "    created task $id"
    elif [ "$(json_field code <<<"$answer" 2>/dev/null)" = DRS-4090 ]; then
      answer=$(task_call PUT "/api/tasks/$id" - <<<"$body") || die "the task manager refused the update of $id: $answer"
    elif [ "$(json_field code <<<"$answer" 2>/dev/null)" = DRS-5030 ]; then
      sleep 2; continue
    else
      die "the task manager refused task $id: $answer"
    fi
    if answer=$(task_call POST "/api/tasks/$id/start" 2>/dev/null); then
      say "    task $id: $(json_field state <<<"$answer")"
      return 0
    elif [ "$(json_field code <<<"$answer" 2>/dev/null)" = DRS-5030 ]; then
      sleep 2; continue
    fi
    die "the task manager refused to start $id: $answer"
  done
  die "the stages did not become reachable for task $id: $answer"
}

cmd_task() {
  local sub=${1:-} arg=${2:-} flag=${3:-}
  case $sub in start|stop|pause|resume|restart|status|runs|list|delete) ensure_admin_token ;; esac
  case $sub in
    start) [ -n "$arg" ] || die "usage: $0 task start FILE"; task_start "$arg" ;;
    stop|pause|resume|restart) [ -n "$arg" ] || die "usage: $0 task $sub ID"
      task_call POST "/api/tasks/$arg/$sub"; echo ;;
    status) [ -n "$arg" ] || die "usage: $0 task status ID"; task_call GET "/api/tasks/$arg/status"; echo ;;
    runs) [ -n "$arg" ] || die "usage: $0 task runs ID"; task_call GET "/api/tasks/$arg/runs"; echo ;;
    list) task_call GET "/api/tasks?size=200"; echo ;;
    delete) [ -n "$arg" ] || die "usage: $0 task delete ID [--drop-collection]"
      task_call DELETE "/api/tasks/$arg?dropCollection=$([ "$flag" = --drop-collection ] && echo true || echo false)"; echo ;;
    *) die "usage: $0 task start FILE | stop|pause|resume|restart|status|runs|delete ID | list" ;;
  esac
}
