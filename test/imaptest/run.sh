#!/usr/bin/env bash
# Dovecot's imaptest compliance suite against this checkout's server, as CI runs it.
# Usage: test/imaptest/run.sh [GROUP]   (GROUP: one test group, e.g. search-date; default: all)
# Builds imaptest with the shared script (../shared/tools/imaptest, or $IMAPTEST_TOOLS), starts
# `bun src/main.ts serve` on a temporary data directory and free loopback ports, creates an account
# with an app password over the API, runs compliance.sh on the IMAPS port, stops the server.
# Exit 0 only when no group failed. Last line: compliance.sh's summary.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tools=${IMAPTEST_TOOLS:-$root/../shared/tools/imaptest}
[ -x "$tools/compliance.sh" ] || { echo "imaptest tools not found at $tools (set IMAPTEST_TOOLS)"; exit 3; }
cd "$root"

# build.sh links against libdovecot, which Debian ships in dovecot-core (dovecot-dev does not
# pull it in); install it without starting the system's Dovecot.
"$root/test/support/debian-packages.sh" dovecot-core
"$tools/build.sh" >/dev/null

free_port() { bun -e 'const s=Bun.listen({hostname:"127.0.0.1",port:0,socket:{data(){}}});console.log(s.port);s.stop(true)'; }
PATH="$root/node_modules/.bin:$PATH"
data=$(mktemp -d)
http=$(free_port); imaps=$(free_port); smtps=$(free_port); sub=$(free_port); mx=$(free_port)
key="abx_imaptest_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
AGENTBOX_DATA_DIR=$data AGENTBOX_API_KEY=$key AGENTBOX_LOG_LEVEL=warn AGENTBOX_HTTP_PORT=$http \
  AGENTBOX_IMAPS_PORT=$imaps AGENTBOX_SMTPS_PORT=$smtps AGENTBOX_SUBMISSION_PORT=$sub \
  AGENTBOX_MX_PORT=$mx AGENTBOX_SMTP_QUEUE_HOLD=1 bun src/main.ts serve >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$http/healthz" >/dev/null && break
  kill -0 $server 2>/dev/null || { cat "$data/server.log"; exit 1; }
  sleep 0.1
done

user=imaptest@agents.localhost; pass='Imaptest-Pass-2024!'
curl -sf -X POST "http://127.0.0.1:$http/v3/connect/custom" -H "authorization: Bearer $key" \
  -H 'content-type: application/json' \
  -d "{\"provider\":\"nylas\",\"settings\":{\"email\":\"$user\",\"app_password\":\"$pass\"}}" >/dev/null

set +e
"$tools/compliance.sh" 127.0.0.1 "$imaps" "$user" "$pass" "${1:-}"
rc=$?
set -e
if ! kill -0 $server 2>/dev/null; then echo "the server died during the run:"; tail -50 "$data/server.log"; exit 1; fi
grep -iE '"level":(50|60)' "$data/server.log" | head -20 || true
exit $rc
