#!/bin/sh
# The system programs the test suite runs for real, installed from Debian's packages when missing:
#   nginx-light  nginx in front of gateway replicas        (test/gateway/replicas)
#   prometheus   prometheus scraping umcp serve, promtool  (test/telemetry/prometheus)
#   chromium     the dashboard's browser tests             (test/dashboard)
# The tests look at the same paths (or at NGINX, PROMETHEUS, PROMTOOL, CHROMIUM when set), so a machine
# that has them returns at once; `pnpm test` and .ci/run both start here.
set -eu

missing=""
need() { # need <package> <path>...
  package=$1
  shift
  for path in "$@"; do
    if [ ! -x "$path" ]; then
      missing="$missing $package"
      return
    fi
  done
}
need nginx-light "${NGINX:-/usr/sbin/nginx}"
need prometheus "${PROMETHEUS:-/usr/bin/prometheus}" "${PROMTOOL:-/usr/bin/promtool}"
need chromium "${CHROMIUM:-/usr/bin/chromium}"
[ -z "$missing" ] && exit 0

echo "system-deps: installing$missing (Debian packages the tests use)" >&2
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: no apt-get here; install$missing yourself, or point NGINX, PROMETHEUS, PROMTOOL, CHROMIUM at them" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "system-deps: not root and no sudo; as root run: apt-get install -y --no-install-recommends$missing" >&2
    exit 1
  fi
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine's package lists may be missing or stale: update once if the first try fails.
# shellcheck disable=SC2086
$SUDO apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 ||
  { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends $missing >/dev/null; }
