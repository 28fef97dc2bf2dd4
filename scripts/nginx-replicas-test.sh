#!/usr/bin/env bash
# Horizontal scaling: two `lstm-lrp serve` replicas on loopback behind nginx, configured with the
# nginx block of docs/SERVE.md § Scaling out (its ports replaced by free ones). Checks that answers
# through nginx equal a replica's own, that both replicas serve, and that SIGTERM to one replica
# under load loses no request. Prints TAP ('ok - ...' / 'not ok - ...'); exits 1 if a check failed.
# Needs nginx (Debian package; run as the current user, no system service) and `npm run build:ts`.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
client="$root/scripts/nginx-replicas-client.mjs"
tmp=$(mktemp -d)
failed=0
replica_pids=()
nginx_pid=

source "$root/scripts/service-checks.sh"
check() {
  local label=$1 output
  shift
  if output=$("$@" 2>&1); then ok "$label: $output"; else not_ok "$label" "$output"; fi
}

stop() {
  alive "$1" || return 0
  kill -TERM "$1" 2>/dev/null
  for _ in $(seq 100); do alive "$1" || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null
}
cleanup() {
  [ -z "$nginx_pid" ] || stop "$nginx_pid"
  for pid in "${replica_pids[@]}"; do stop "$pid"; done
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

finish() {
  echo "# nginx-replicas: $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

# Starts a replica on a free port; sets replica_url and replica_pid.
start_replica() {
  local name=$1 line=
  node "$root/dist/cli/main.js" serve --port 0 >"$tmp/$name.out" 2>"$tmp/$name.err" &
  replica_pid=$!
  replica_pids+=("$replica_pid")
  for _ in $(seq 600); do
    line=$(grep -m1 '^listening on http://' "$tmp/$name.out")
    [ -z "$line" ] && alive "$replica_pid" && sleep 0.1 && continue
    break
  done
  replica_url=${line#listening on }
  if [ -n "$line" ]; then ok "$name: lstm-lrp serve --port 0 listening on $replica_url"; else not_ok "$name: lstm-lrp serve did not print 'listening on'" "$(cat "$tmp/$name.err")"; fi
}

free_port() { node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })"; }

if ! command -v nginx >/dev/null; then
  not_ok "nginx is installed (Debian package nginx)"
  finish
fi

start_replica replica-a
url_a=$replica_url pid_a=$replica_pid
start_replica replica-b
url_b=$replica_url
[ -n "$url_a" ] && [ -n "$url_b" ] || finish

# The documented configuration, with the test's ports and every file nginx writes in $tmp.
documented=$(awk '/^## Scaling out/ { section = 1; next } /^## / { section = 0 } section && /^```nginx/ { block = 1; next } block && /^```/ { exit } block' "$root/docs/SERVE.md")
if [ -z "$documented" ]; then
  not_ok "docs/SERVE.md § Scaling out has an nginx configuration block"
  finish
fi
nginx_port=$(free_port)
nginx_url=http://127.0.0.1:$nginx_port
user_line=
[ "$(id -u)" -ne 0 ] || user_line="user $(id -un) $(id -gn);"
cat >"$tmp/nginx.conf" <<EOF
$user_line
worker_processes 1;
error_log $tmp/error.log;
events { worker_connections 1024; }
http {
  access_log $tmp/access.log;
  client_body_temp_path $tmp/client_body;
  proxy_temp_path $tmp/proxy;
  fastcgi_temp_path $tmp/fastcgi;
  uwsgi_temp_path $tmp/uwsgi;
  scgi_temp_path $tmp/scgi;
$(sed -e "s/127\.0\.0\.1:8080/127.0.0.1:$nginx_port/; s/127\.0\.0\.1:8081/${url_a#http://}/; s/127\.0\.0\.1:8082/${url_b#http://}/" <<<"$documented")
}
EOF
nginx -p "$tmp" -e "$tmp/error.log" -c "$tmp/nginx.conf" -g "daemon off; pid $tmp/nginx.pid;" 2>"$tmp/nginx.err" &
nginx_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$nginx_port") 2>/dev/null && break
  alive "$nginx_pid" || break
  sleep 0.1
done
if ! (exec 3<>"/dev/tcp/127.0.0.1/$nginx_port") 2>/dev/null; then
  not_ok "nginx starts with the configuration of docs/SERVE.md" "$(cat "$tmp/nginx.err" "$tmp/error.log" 2>/dev/null)"
  finish
fi
ok "nginx starts with the configuration of docs/SERVE.md on $nginx_url"

check "300 explain requests through nginx answer byte for byte as a replica does directly" node "$client" compare "$nginx_url" "$url_a" 300
check "replica A served explain requests (its /metrics)" node "$client" served "$url_a"
check "replica B served explain requests (its /metrics)" node "$client" served "$url_b"
check "SIGTERM to replica A after 100 of 400 requests through nginx: all 400 answered 200" node "$client" drain "$nginx_url" 400 "$pid_a" 100

for _ in $(seq 100); do alive "$pid_a" || break; sleep 0.1; done
if alive "$pid_a"; then
  not_ok "replica A exits after SIGTERM"
else
  wait "$pid_a"
  code=$?
  if [ "$code" -eq 0 ]; then ok "replica A drained and exited 0"; else not_ok "replica A drained and exited 0" "exit code $code; stderr: $(cat "$tmp/replica-a.err")"; fi
fi
check "after replica A is gone, requests through nginx reach replica B" node "$client" compare "$nginx_url" "$url_b" 20

stop "$nginx_pid"
for pid in "${replica_pids[@]}"; do stop "$pid"; done
left=()
for pid in "$nginx_pid" "${replica_pids[@]}"; do alive "$pid" && left+=("$pid"); done
if [ ${#left[@]} -eq 0 ]; then ok "nginx and both replicas stopped"; else not_ok "nginx and both replicas stopped" "still running: ${left[*]}"; fi
finish
