#!/usr/bin/env bash
# imaptest's stress mode (the default command mix, 10 clients, 20 s, TLS) against agentbox and
# against a local Dovecot in the same run, alternating which goes first each round, and each
# one's ops/s and error count (issue 13: 0 errors, agentbox's ops/s >= Dovecot's).
#   bench/imap-stress.sh [ROUNDS=1] [CLIENTS=10] [SECS=20]
# Needs: the shared imaptest build (../shared/tools/imaptest/build.sh, run here if missing) and
# Dovecot (apt-get install dovecot-imapd). Both servers are private instances: temporary data
# directories, loopback ports, Dovecot with its own config (run as root, its mail belongs to
# "nobody"; otherwise to the current user). Dovecot serves agentbox's self-signed certificate.
# imaptest's raw output of each run stays in the printed work directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
rounds=${1:-1} clients=${2:-10} secs=${3:-20}
imaptest=$("$repo/../shared/tools/imaptest/build.sh" "${IMAPTEST_PREFIX:-$HOME/.cache/imaptest}" | tail -1)
mbox=$(dirname "$(dirname "$imaptest")")/tests/default.mbox
command -v dovecot >/dev/null || { echo "dovecot is missing: apt-get install dovecot-imapd" >&2; exit 3; }

work=$(mktemp -d /tmp/imap-stress.XXXXXX)
chmod 755 "$work"
echo "work directory: $work"
free_port() { node_modules/.bin/bun -e 'const s = Bun.listen({hostname: "127.0.0.1", port: 0, socket: {data() {}}}); console.log(s.port); s.stop(true)'; }
cd "$repo"

# ── agentbox ──────────────────────────────────────────────────────────────────────────────────
http=$(free_port) imaps=$(free_port)
key="stress-$(date +%s)-$RANDOM-key"
user="stress@agents.localhost" pass="StressPassw0rd2024xyz"
AGENTBOX_DATA_DIR="$work/agentbox" AGENTBOX_HTTP_PORT=$http AGENTBOX_IMAPS_PORT=$imaps \
  AGENTBOX_SMTPS_PORT=$(free_port) AGENTBOX_SUBMISSION_PORT=$(free_port) AGENTBOX_MX_PORT=$(free_port) \
  AGENTBOX_API_KEY=$key AGENTBOX_LOG_LEVEL=warn AGENTBOX_IMAP_MAX_CONNECTIONS=$((clients * 4)) \
  node_modules/.bin/bun src/main.ts serve >"$work/agentbox.log" 2>&1 &
agentbox=$!
trap 'kill $agentbox 2>/dev/null; [ -f "$work/dovecot/run/master.pid" ] && kill "$(cat "$work/dovecot/run/master.pid")" 2>/dev/null; true' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$http/healthz" >/dev/null && break; sleep 0.2; done
curl -sf -X POST "http://127.0.0.1:$http/v3/connect/custom" -H "Authorization: Bearer $key" \
  -H 'content-type: application/json' \
  -d "{\"provider\":\"nylas\",\"settings\":{\"email\":\"$user\",\"app_password\":\"$pass\"}}" >/dev/null

# ── Dovecot ───────────────────────────────────────────────────────────────────────────────────
dv="$work/dovecot" dport=$(free_port)
mkdir -p "$dv/run" "$dv/state" "$dv/mail"
if [ "$(id -u)" = 0 ]; then
  mail_uid=$(id -u nobody) mail_gid=$(id -g nobody) service_users=""
else
  mail_uid=$(id -u) mail_gid=$(id -g)
  service_users="default_internal_user = $(id -un)
default_login_user = $(id -un)
default_internal_group = $(id -gn)"
fi
chown "$mail_uid:$mail_gid" "$dv/mail"
echo "$user:{PLAIN}$pass:$mail_uid:$mail_gid::$dv/mail/$user" >"$dv/passwd"
cat >"$dv/dovecot.conf" <<EOF
instance_name = imap-stress-$dport
base_dir = $dv/run
state_dir = $dv/state
log_path = $dv/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <$work/agentbox/tls/cert.pem
ssl_key = <$work/agentbox/tls/key.pem
auth_mechanisms = plain
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = $dv/passwd
}
userdb {
  driver = passwd-file
  args = $dv/passwd
}
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = $dport
    ssl = yes
  }
}
service anvil {
  chroot =
}
$service_users
EOF
dovecot -c "$dv/dovecot.conf"
for _ in $(seq 1 50); do (echo >"/dev/tcp/127.0.0.1/$dport") 2>/dev/null && break; sleep 0.1; done

# ── the runs ──────────────────────────────────────────────────────────────────────────────────
run() { # name port → "ops/s errors" (and the raw output in $work/<name>-<round>.txt)
  local out="$work/$1-$3.txt"
  "$imaptest" host=127.0.0.1 port="$2" user="$user" pass="$pass" ssl=any-cert mbox="$mbox" \
    clients="$clients" secs="$secs" >"$out" 2>&1 || true
  local total errors
  total=$(awk '/^Totals:/ {t = NR} t && NR == t + 4 {s = 0; for (i = 1; i <= NF; i++) s += $i; print s}' "$out")
  errors=$(grep -c '^Error:' "$out" || true)
  echo "$(awk -v t="${total:-0}" -v s="$secs" 'BEGIN {printf "%.0f", t / s}') $errors"
}
declare -A ops errs
for ((n = 1; n <= rounds; n++)); do
  order=("agentbox $imaps" "dovecot $dport")
  ((n % 2)) || order=("dovecot $dport" "agentbox $imaps")
  for entry in "${order[@]}"; do
    set -- $entry
    read -r o e < <(run "$1" "$2" "$n")
    ops[$1]="${ops[$1]:-} $o" errs[$1]="${errs[$1]:-} $e"
    echo "round $n  $1: $o ops/s, $e errors"
  done
done
echo
echo "## imaptest stress: clients=$clients secs=$secs, default mix, TLS ($rounds round(s))"
for name in agentbox dovecot; do
  printf '%-10s ops/s:%s  errors:%s\n' "$name" "${ops[$name]}" "${errs[$name]}"
done
echo "first error lines of each: grep -m5 '^Error' $work/*.txt"
