# shellcheck shell=bash
# The work folder's generated secrets (passwords, keys, the gateway's certificate) and the environment the services start with.
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

# Random text of N bytes' worth, letters and digits only.
random_text() { head -c "$1" /dev/urandom | base64 -w0 | tr -d '/+='; }

# Adds NAME=VALUE to the secrets file unless it names NAME already: each name is generated
# once, and an older file gets the names added since on its next start.
add_secret() { grep -q "^$1=" "$SECRETS" || echo "$1=$2" >>"$SECRETS"; }

ensure_secrets() {
  mkdir -p "$DATARSYNC_WORK"
  if [ ! -f "$SECRETS" ]; then
    (umask 077 && echo "# Generated once by deploy/local/datarsync for the local suite; never commit." >"$SECRETS")
  fi
  add_secret DATARSYNC_DB_PASSWORD "$(random_text 18)"
  add_secret DATARSYNC_META_DB_PASSWORD "$(random_text 18)"
  add_secret DATARSYNC_DEMO_DB_PASSWORD "$(random_text 18)"
  add_secret DATARSYNC_PG_PASSWORD "$(random_text 18)"
  add_secret DATARSYNC_XXL_JOB_TOKEN "$(random_text 18)"
  # AES-256 keys (<id>:<base64 of 32 bytes>): data-source's for stored credentials, the
  # monitor's for alert channel secrets.
  add_secret DATARSYNC_CREDENTIAL_KEYS "k1:$(head -c 32 /dev/urandom | base64 -w0)"
  add_secret DATARSYNC_CHANNEL_KEYS "k1:$(head -c 32 /dev/urandom | base64 -w0)"
  # The credential of service-to-service calls (the stages' /internal routes take nothing else).
  add_secret DATARSYNC_INTERNAL_TOKEN "$(random_text 24)"
  # The Nacos user of the suite (rnacos checks its open API's logins), Redis' password and the
  # scraper's credential for the services' /actuator/prometheus.
  add_secret DATARSYNC_NACOS_PASSWORD "$(random_text 18)"
  add_secret DATARSYNC_REDIS_PASSWORD "$(random_text 18)"
  add_secret DATARSYNC_METRICS_TOKEN "$(random_text 24)"
  # Kafka's SASL logins: the suite's clients' and the node's own (broker to controller).
  add_secret DATARSYNC_KAFKA_PASSWORD "$(random_text 18)"
  add_secret DATARSYNC_KAFKA_BROKER_PASSWORD "$(random_text 18)"
  # The first super administrator's password (auth creates the user at its first start; the
  # policy wants 12+ characters of three classes, hence the fixed 'Aa1-' around random text).
  add_secret DATARSYNC_ADMIN_PASSWORD "Aa1-$(random_text 18)"
  export DATARSYNC_BIND_ADDRESS DATARSYNC_NACOS_USERNAME DATARSYNC_KAFKA_SECURITY_PROTOCOL DATARSYNC_KAFKA_SASL_MECHANISM \
    DATARSYNC_KAFKA_USERNAME
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
  # Outbound calls to user-typed URLs go to public addresses only; the local suite's one reviewed
  # exception is 127.77.0.0/16, where the tests' stand-ins for DingTalk, WeCom, SMS, e-mail,
  # webhooks and OpenAI-compatible endpoints listen (nothing of the suite does: it is on 127.0.0.1).
  export DATARSYNC_OUTBOUND_ALLOWED_NETWORKS=${DATARSYNC_OUTBOUND_ALLOWED_NETWORKS-127.77.0.0/16}
  export DATARSYNC_GATEWAY_TLS_CERT="$DATARSYNC_WORK/tls/gateway.crt"
  export DATARSYNC_GATEWAY_TLS_KEY="$DATARSYNC_WORK/tls/gateway.key"
  set -a
  # shellcheck disable=SC1090
  source "$SECRETS"
  set +a
}
