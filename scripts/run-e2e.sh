#!/usr/bin/env bash
# End-to-end tests: a real browser (Debian's chromium, driven by playwright-core) and a real
# Secret Service (gnome-keyring in a private D-Bus session), in a throwaway HOME so nothing of
# the machine's own keychain or config is read or written. Run with `npm run test:e2e`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -x /usr/bin/chromium ] || missing+=("/usr/bin/chromium")
if [ "${#missing[@]}" -gt 0 ]; then
  echo "run-e2e: missing ${missing[*]} (apt-get install chromium gnome-keyring dbus libsecret-tools)" >&2
  exit 1
fi
if [ ! -f dist/bundle/main.js ]; then
  echo "run-e2e: dist/ is missing; run \`npm run build\` first (npm run test:e2e does)" >&2
  exit 1
fi

E2E_HOME="$(mktemp -d -t dsync-e2e-XXXXXX)"
cleanup() { rm -rf "$E2E_HOME"; }
trap cleanup EXIT
export HOME="$E2E_HOME"
export XDG_CONFIG_HOME="$E2E_HOME/.config"
export XDG_DATA_HOME="$E2E_HOME/.local/share"
export XDG_CACHE_HOME="$E2E_HOME/.cache"
export XDG_RUNTIME_DIR="$E2E_HOME/run"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL DSYNC_CONFIG_DIR DSYNC_KEYCHAIN DSYNC_ACCESS_TOKEN || true

VITEST="$PWD/node_modules/.bin/vitest"
export VITEST

dbus-run-session -- bash -c '
  set -euo pipefail
  # gnome-keyring creates and unlocks the login keyring with this (throwaway) password and
  # prints the variables its clients need.
  while IFS= read -r line; do
    case "$line" in *=*) export "$line" ;; esac
  done < <(printf %s "dsync-e2e-keyring" | gnome-keyring-daemon --unlock --components=secrets)
  # Wait until the Secret Service answers (the daemon registers on the bus asynchronously).
  for _ in $(seq 1 50); do
    if printf %s probe | secret-tool store --label "dsync e2e probe" service dsync-e2e-probe account probe 2>/dev/null; then
      secret-tool clear service dsync-e2e-probe account probe || true
      break
    fi
    sleep 0.1
  done
  printf %s probe | secret-tool store --label "dsync e2e probe" service dsync-e2e-probe account probe
  secret-tool clear service dsync-e2e-probe account probe
  echo "run-e2e: Secret Service ready on $DBUS_SESSION_BUS_ADDRESS" >&2
  "$VITEST" run --project e2e
' 2> >(grep -v "Failed to set fd limit" >&2)
