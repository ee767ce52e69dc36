# shellcheck shell=bash
# The work folder's generated secrets (passwords, keys, the gateway's certificate) and the environment the services start with.
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

ensure_secrets() {
  mkdir -p "$DATARSYNC_WORK"
  if [ ! -f "$SECRETS" ]; then
    umask 077
    {
      echo "# Generated once by deploy/local/datarsync for the local suite; never commit."
      echo "DATARSYNC_DB_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
      echo "DATARSYNC_PG_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    } >"$SECRETS"
    umask 022
  fi
  # Added later than the others: an older secrets file gets it on the next start.
  if ! grep -q '^DATARSYNC_XXL_JOB_TOKEN=' "$SECRETS"; then
    echo "DATARSYNC_XXL_JOB_TOKEN=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" >>"$SECRETS"
  fi
  # The data-source service's AES-256 key for stored credentials (<id>:<base64 of 32 bytes>).
  if ! grep -q '^DATARSYNC_CREDENTIAL_KEYS=' "$SECRETS"; then
    echo "DATARSYNC_CREDENTIAL_KEYS=k1:$(head -c 32 /dev/urandom | base64 -w0)" >>"$SECRETS"
  fi
  # The monitor's AES-256 key for alert channel secrets, apart from the sources' key.
  if ! grep -q '^DATARSYNC_CHANNEL_KEYS=' "$SECRETS"; then
    echo "DATARSYNC_CHANNEL_KEYS=k1:$(head -c 32 /dev/urandom | base64 -w0)" >>"$SECRETS"
  fi
  # The credential of service-to-service calls (the stages' /internal routes take nothing else).
  if ! grep -q '^DATARSYNC_INTERNAL_TOKEN=' "$SECRETS"; then
    echo "DATARSYNC_INTERNAL_TOKEN=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" >>"$SECRETS"
  fi
  # The first super administrator's password (auth creates the user at its first start; the
  # policy wants 12+ characters of three classes, hence the fixed 'Aa1-' around random text).
  if ! grep -q '^DATARSYNC_ADMIN_PASSWORD=' "$SECRETS"; then
    echo "DATARSYNC_ADMIN_PASSWORD=Aa1-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" >>"$SECRETS"
  fi
  # The RSA key auth signs access tokens with (RS256); its public half is served as a JWKS.
  if [ ! -s "$DATARSYNC_WORK/jwt-signing-key.pem" ]; then
    command -v openssl >/dev/null || apt_install openssl
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
      -out "$DATARSYNC_WORK/jwt-signing-key.pem" 2>/dev/null)
  fi
  export DATARSYNC_JWT_SIGNING_KEY_FILE="$DATARSYNC_WORK/jwt-signing-key.pem"
  # The gateway serves HTTPS only: a self-signed certificate for localhost and 127.0.0.1, made
  # once; clients of the local suite (this script, the tests) trust exactly this certificate.
  if [ ! -s "$DATARSYNC_WORK/tls/gateway.crt" ] || [ ! -s "$DATARSYNC_WORK/tls/gateway.key" ]; then
    command -v openssl >/dev/null || apt_install openssl
    mkdir -p "$DATARSYNC_WORK/tls"
    (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=localhost/O=Data Rsync local suite" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -addext "keyUsage=digitalSignature,keyEncipherment" \
      -addext "extendedKeyUsage=serverAuth" \
      -keyout "$DATARSYNC_WORK/tls/gateway.key" -out "$DATARSYNC_WORK/tls/gateway.crt" 2>/dev/null)
  fi
  # Sources are checked every 10 s here (60 s by default), so the tests see changes soon.
  export DATARSYNC_SOURCE_HEALTH_INTERVAL=${DATARSYNC_SOURCE_HEALTH_INTERVAL:-10s}
  # Alert rules are evaluated every 5 s here (15 s by default), for the same reason.
  export DATARSYNC_ALERT_INTERVAL=${DATARSYNC_ALERT_INTERVAL:-5s}
  # Each service also writes its JSON lines to <dir>/data-rsync-<service>.json, rolled and pruned
  # by Logback; the monitor's log search reads them, Filebeat ships them (docs/monitoring.md).
  export DATARSYNC_LOG_DIR=${DATARSYNC_LOG_DIR:-$LOGS/services}
  export DATARSYNC_GATEWAY_TLS_CERT="$DATARSYNC_WORK/tls/gateway.crt"
  export DATARSYNC_GATEWAY_TLS_KEY="$DATARSYNC_WORK/tls/gateway.key"
  set -a
  # shellcheck disable=SC1090
  source "$SECRETS"
  set +a
}
