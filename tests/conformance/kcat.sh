#!/usr/bin/env bash
# Drives a running Freshet broker (FRESHET_BOOTSTRAP=host:port) with kcat (librdkafka): metadata,
# produce and consume with every codec, a balanced consumer group, and offset reset.
# Prints "ok - NAME" or "not ok - NAME" per test, and exits non-zero if any failed.
set -uo pipefail
: "${FRESHET_BOOTSTRAP:?FRESHET_BOOTSTRAP must name the broker (host:port)}"
B=$FRESHET_BOOTSTRAP
failures=0
run_id=$RANDOM$RANDOM

pass() { echo "ok - $1"; }
fail() { echo "not ok - $1: $2"; failures=$((failures + 1)); }

# Metadata: producing to a new topic creates it (auto-create); -L lists it with the controller broker.
topic="kcat-meta-$run_id"
echo "hello" | kcat -b "$B" -t "$topic" -P -X topic.metadata.refresh.interval.ms=100 2>/dev/null
if kcat -b "$B" -L -t "$topic" 2>/dev/null | grep -q "topic \"$topic\" with 1 partitions"; then
  pass "metadata lists an auto-created topic"
else
  fail "metadata lists an auto-created topic" "$(kcat -b "$B" -L 2>&1 | head -5)"
fi

# Old clients: without ApiVersions and with a pre-0.10 fallback, librdkafka asks Metadata v0, where an
# empty topic list means every topic.
if kcat -b "$B" -L -X api.version.request=false -X broker.version.fallback=0.9.0 2>/dev/null | grep -q "topic \"$topic\" with 1 partitions"; then
  pass "metadata v0 (api.version.request=false, broker.version.fallback=0.9.0) lists every topic"
else
  fail "metadata v0 (api.version.request=false, broker.version.fallback=0.9.0) lists every topic" "$(kcat -b "$B" -L -X api.version.request=false -X broker.version.fallback=0.9.0 2>&1 | head -5)"
fi

# Produce and consume with each codec; keys and values must come back byte-identical and in order.
for codec in none gzip snappy lz4 zstd; do
  topic="kcat-$codec-$run_id"
  expected=$(for i in $(seq 1 200); do echo "key$i:value-$i-$(printf '%*s' $((i % 50)) '' | tr ' ' x)"; done)
  echo "$expected" | kcat -b "$B" -t "$topic" -P -K: -z "$codec" 2>/dev/null
  actual=$(kcat -b "$B" -t "$topic" -C -o beginning -e -K: -f '%k:%s\n' -q 2>/dev/null)
  if [ "$actual" = "$expected" ]; then
    pass "produce and consume with $codec"
  else
    fail "produce and consume with $codec" "got $(echo "$actual" | wc -l) lines"
  fi
done

# Offset reset: -o -5 reads the last five, -o 10 from offset 10, -o end nothing.
topic="kcat-offsets-$run_id"
seq 0 19 | kcat -b "$B" -t "$topic" -P 2>/dev/null
last5=$(kcat -b "$B" -t "$topic" -C -o -5 -e -q 2>/dev/null | paste -sd, -)
from10=$(kcat -b "$B" -t "$topic" -C -o 10 -e -q 2>/dev/null | head -1)
at_end=$(kcat -b "$B" -t "$topic" -C -o end -e -q 2>/dev/null | wc -l)
if [ "$last5" = "15,16,17,18,19" ] && [ "$from10" = "10" ] && [ "$at_end" -eq 0 ]; then
  pass "offset reset: relative, absolute and end"
else
  fail "offset reset: relative, absolute and end" "last5=$last5 from10=$from10 at_end=$at_end"
fi

# Balanced consumer group: two members on a 4-partition topic consume every message exactly once
# between them, and after one leaves the other takes over its partitions.
topic="kcat-group-$run_id"
group="kcat-group-$run_id"
node "$(dirname "$0")/create-topic.mjs" "$topic" 4
out=$(mktemp -d)
for p in 0 1 2 3; do seq 1 25 | sed "s/^/p$p-/" | kcat -b "$B" -t "$topic" -P -p "$p" 2>/dev/null; done
kcat -b "$B" -G "$group" -o beginning -q -f '%s\n' -X session.timeout.ms=6000 "$topic" >"$out/a" 2>/dev/null &
a=$!
kcat -b "$B" -G "$group" -o beginning -q -f '%s\n' -X session.timeout.ms=6000 "$topic" >"$out/b" 2>/dev/null &
b=$!
for _ in $(seq 1 60); do
  [ "$(cat "$out/a" "$out/b" | grep -c '^p')" -ge 100 ] && break
  sleep 0.5
done
kill -TERM "$b" 2>/dev/null; wait "$b" 2>/dev/null
for p in 0 1 2 3; do seq 26 30 | sed "s/^/p$p-/" | kcat -b "$B" -t "$topic" -P -p "$p" 2>/dev/null; done
for _ in $(seq 1 60); do
  [ "$(grep '^p.-\(2[6-9]\|30\)$' "$out/a" | sort -u | wc -l)" -ge 20 ] && break
  sleep 0.5
done
kill -TERM "$a" 2>/dev/null; wait "$a" 2>/dev/null
total=$(cat "$out/a" "$out/b" | grep '^p' | sort | uniq | wc -l)
both_worked=$([ -s "$out/a" ] && [ -s "$out/b" ] && echo yes || echo no)
# Distinct: a consumer resumes from its last auto-commit after a rebalance, so it may see a message twice (at-least-once).
after_leave=$(grep '^p.-\(2[6-9]\|30\)$' "$out/a" | sort -u | wc -l)
if [ "$total" -eq 120 ] && [ "$both_worked" = yes ] && [ "$after_leave" -eq 20 ]; then
  pass "balanced consumer group shares partitions and rebalances when a member leaves"
else
  fail "balanced consumer group shares partitions and rebalances when a member leaves" "distinct=$total both=$both_worked after_leave=$after_leave"
fi
rm -rf "$out"

[ "$failures" -eq 0 ]
