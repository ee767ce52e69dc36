# shellcheck shell=bash
# Installing what is missing: the tools every component and test needs (each component's own install is in components/).
# Sourced by deploy/local/datarsync, which sets HERE, REPO, the work folders and the settings.

install_all() {
  command -v java >/dev/null || die "java not found: Java 17 is required"
  command -v mvn >/dev/null || die "mvn not found: Maven is required"
  command -v curl >/dev/null || apt_install curl
  command -v setpriv >/dev/null || apt_install util-linux
  command -v npm >/dev/null || die "npm not found: Node.js 20 and npm are required (the console is built from sources)"
  # Debian's Chromium and its chromedriver, for the console's browser tests (ConsoleIT), a CJK
  # font so the Chinese pages of its screenshots are legible, and an emoji font (the demo rows have some).
  { command -v chromium >/dev/null && command -v chromedriver >/dev/null; } || apt_install chromium chromium-driver
  [ -d /usr/share/fonts/truetype/wqy ] || apt_install fonts-wqy-zenhei
  [ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || apt_install fonts-noto-color-emoji
  local c
  for c in "${INFRA[@]}"; do "install_$c"; done
  install_fuzzer
  install_filebeat
  ensure_secrets
}

# Schemathesis, in a venv of its own, for the API fuzz run of the tests (ApiFuzzIT).
install_fuzzer() { venv_install "$DATARSYNC_TOOLS/fuzz-venv" "$HERE/fuzz/requirements.txt" "Schemathesis"; }

# Filebeat, for the check that deploy/logging/filebeat.yml parses the services' lines
# (LogShippingIT). No download site is reachable here, so it is built from its Go module
# source, which the Go module proxy serves: about six minutes and 1 GB of modules, once.
install_filebeat() {
  local dir="$DATARSYNC_TOOLS/filebeat-$FILEBEAT_VERSION" go src
  [ -x "$dir/filebeat" ] && return 0
  go=$(command -v go || true)
  [ -z "$go" ] && [ -x /usr/local/go/bin/go ] && go=/usr/local/go/bin/go
  if [ -z "$go" ]; then
    apt_install golang-go
    go=$(command -v go)
  fi
  step "building Filebeat $FILEBEAT_VERSION from its Go module source (a few minutes once)"
  src=$(cd / && "$go" mod download -json "github.com/elastic/beats/v7@v$FILEBEAT_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$src" ] || die "the Go module proxy did not serve github.com/elastic/beats/v7@v$FILEBEAT_VERSION"
  rm -rf "$dir.build" && mkdir -p "$dir.build" "$dir"
  cp -r "$src/." "$dir.build/" && chmod -R u+w "$dir.build"
  (cd "$dir.build" && GOFLAGS=-mod=mod "$go" build -o "$dir/filebeat.part" ./filebeat) \
    || die "building Filebeat failed"
  mv "$dir/filebeat.part" "$dir/filebeat"
  rm -rf "$dir.build"
}
