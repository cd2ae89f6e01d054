#!/usr/bin/env bash
# Conformance suite: starts `freshet broker --config` (num.partitions=4) on a free 127.0.0.1 port with a fresh
# data directory, drives it with kcat and kafkajs, and ends with one line "N passed, N failed". Tests that
# restart a broker start their own from the same build (FRESHET_CLI).
# A second broker serves SASL_SSL with SCRAM and ACLs (secure-broker.sh) for kcat-security.sh and
# kafkajs/security.test.js.
# Needs: kcat (Debian package kcat), openssl, Node.js with `npm ci` run in this folder, and a Release build
# of src/Freshet.Cli (dotnet build -c Release). Usage: tests/conformance/run.sh
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cli="$root/src/Freshet.Cli/bin/Release/net10.0/freshet.dll"
[ -f "$cli" ] || { echo "build first: dotnet build -c Release ($cli is missing)"; echo "0 passed, 1 failed"; exit 1; }

data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 19092)
log="$data.broker.log"
# Auto-created topics get 4 partitions, as Kafka test setups often configure (kcat.sh checks it).
num_partitions=4
printf 'num.partitions=%s\nlisteners=PLAINTEXT://127.0.0.1:%s\nlog.dirs=%s\n' "$num_partitions" "$port" "$data" >"$data.properties"
dotnet "$cli" broker --config "$data.properties" >"$log" 2>&1 &
broker=$!
cleanup() { kill -TERM "$broker" 2>/dev/null; wait "$broker" 2>/dev/null; rm -rf "$data" "$log" "$data.properties"; declare -F stop_secure_broker >/dev/null && stop_secure_broker; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$log" && break
  sleep 0.1
done
grep -q "listening on" "$log" || { echo "the broker did not start:"; cat "$log"; echo "0 passed, 1 failed"; exit 1; }
export FRESHET_BOOTSTRAP="127.0.0.1:$port"
# Tests that must stop and restart a broker start their own from this build (kafkajs/restart.test.js).
export FRESHET_CLI="$cli"
export FRESHET_NUM_PARTITIONS=$num_partitions
# shellcheck source=secure-broker.sh
. "$here/secure-broker.sh"
grep -q "listening on" "$secure_log" || { echo "the SASL_SSL broker did not start:"; cat "$secure_log"; echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp)
echo "== kcat"
timeout 600 "$here/kcat.sh" | tee -a "$results"
echo "== kcat over SASL_SSL"
timeout 300 "$here/kcat-security.sh" | tee -a "$results"
echo "== kafkajs"
(cd "$here" && timeout 600 node --test --test-timeout=120000 --test-reporter=tap kafkajs/ 2>&1) | tee "$results.node"
grep -E '^(ok|not ok) ' "$results.node" >>"$results" || true

passed=$(grep -c '^ok ' "$results")
failed=$(grep -c '^not ok ' "$results")
rm -f "$results" "$results.node"
if ! kill -0 "$broker" 2>/dev/null; then
  echo "the broker died during the suite:"; tail -20 "$log"; failed=$((failed + 1))
fi
if ! kill -0 "$secure_broker" 2>/dev/null; then
  echo "the SASL_SSL broker died during the suite:"; tail -20 "$secure_log"; failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
