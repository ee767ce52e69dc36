# shellcheck shell=bash
# Milvus Lite's gRPC server, from a venv. Each component has install_, start_, check_ (answers?) and ready_ (idempotent set-up).
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

install_milvus() { venv_install "$DATARSYNC_TOOLS/venv" "$HERE/milvus/requirements.txt" "Milvus Lite"; }

start_milvus() {
  local dir=$DATARSYNC_WORK/milvus
  mkdir -p "$dir"
  launch milvus "$dir/data" "$DATARSYNC_TOOLS/venv/bin/milvus-lite" server --data-dir "$dir/data" \
    --host 127.0.0.1 --port "$DATARSYNC_MILVUS_PORT"
}

check_milvus() {
  port_open "$DATARSYNC_MILVUS_PORT" && "$DATARSYNC_TOOLS/venv/bin/python" -c \
    "from pymilvus import MilvusClient; MilvusClient(uri='http://127.0.0.1:$DATARSYNC_MILVUS_PORT').list_collections()"
}

ready_milvus() { :; }

milvus_count() { # collection -> entity count, via pymilvus in the tools venv
  "$DATARSYNC_TOOLS/venv/bin/python" - "$1" "$DATARSYNC_MILVUS_PORT" <<'PY'
import sys
from pymilvus import MilvusClient
c = MilvusClient(uri=f"http://127.0.0.1:{sys.argv[2]}")
print(c.query(sys.argv[1], filter="", output_fields=["count(*)"], consistency_level="Strong")[0]["count(*)"])
PY
}
