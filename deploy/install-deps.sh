#!/usr/bin/env bash
# Installs every Debian 12 package pgtwin needs to build, test and run its sandbox.
# Idempotent: when everything is present it only checks (no apt-get update), in about a second.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config git
  libpqxx-dev libpq-dev libyaml-cpp-dev libcpprest-dev libssl-dev libspdlog-dev libfmt-dev
  libre2-dev libgtest-dev libgmock-dev libcli11-dev nlohmann-json3-dev
  # servers and replication parts
  postgresql-15 postgresql-client-15 postgresql-15-pgq3 postgresql-15-pgq-node
  postgresql-15-londiste-sql python3-londiste pgqd postgresql-15-plproxy pgbouncer
  # real-world schemas used by the completeness tests
  zabbix-server-pgsql mediawiki
  # tools the scripts use
  procps iproute2 util-linux time curl jq
  # the serve test reads the status page in headless Chromium
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages (${missing[*]}); run as root" >&2
  exit 1
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Keep Debian's default cluster from being created and started: pgtwin runs its own instances.
mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/pgtwin.conf
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Packaged daemons are not used: pgtwin starts its own pgbouncer/pgqd per instance.
for svc in pgbouncer pgqd; do
  if command -v systemctl >/dev/null && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl disable --now "$svc" >/dev/null 2>&1 || true
  fi
done
echo "install-deps: done"
