#!/usr/bin/env bash
# Drives a running Freshet broker (FRESHET_BOOTSTRAP=host:port) with kcat (librdkafka): metadata,
# produce and consume with every codec, a balanced consumer group, offset reset, and topic settings
# (compression.type, message.timestamp.type). FRESHET_NUM_PARTITIONS is the broker's num.partitions
# (default 1), the partition count of auto-created topics.
# Prints "ok - NAME" or "not ok - NAME" per test, and exits non-zero if any failed.
set -uo pipefail
: "${FRESHET_BOOTSTRAP:?FRESHET_BOOTSTRAP must name the broker (host:port)}"
B=$FRESHET_BOOTSTRAP
num_partitions=${FRESHET_NUM_PARTITIONS:-1}
failures=0
run_id=$RANDOM$RANDOM

pass() { echo "ok - $1"; }
fail() { echo "not ok - $1: $2"; failures=$((failures + 1)); }

# Metadata: producing to a new topic creates it (auto-create) with the broker's num.partitions; -L lists it.
topic="kcat-meta-$run_id"
echo "hello" | kcat -b "$B" -t "$topic" -P -X topic.metadata.refresh.interval.ms=100 2>/dev/null
if kcat -b "$B" -L -t "$topic" 2>/dev/null | grep -q "topic \"$topic\" with $num_partitions partitions"; then
  pass "metadata lists an auto-created topic with num.partitions ($num_partitions) partitions"
else
  fail "metadata lists an auto-created topic with num.partitions ($num_partitions) partitions" "$(kcat -b "$B" -L -t "$topic" 2>&1 | head -5)"
fi

# DeleteRecords and the other admin APIs are not checked here: kcat 1.7 has no admin commands, and
# Debian's python3-confluent-kafka (1.7.0) has no AdminClient.delete_records. librdkafka's admin
# client is covered by tests/Freshet.Broker.Tests/Admin (Confluent.Kafka), kafkajs's by kafkajs/admin.test.js.

# Old clients: without ApiVersions and with a pre-0.10 fallback, librdkafka asks Metadata v0, where an
# empty topic list means every topic.
if kcat -b "$B" -L -X api.version.request=false -X broker.version.fallback=0.9.0 2>/dev/null | grep -q "topic \"$topic\" with $num_partitions partitions"; then
  pass "metadata v0 (api.version.request=false, broker.version.fallback=0.9.0) lists every topic"
else
  fail "metadata v0 (api.version.request=false, broker.version.fallback=0.9.0) lists every topic" "$(kcat -b "$B" -L -X api.version.request=false -X broker.version.fallback=0.9.0 2>&1 | head -5)"
fi

# Produce and consume with each codec; keys and values must come back byte-identical and in order.
for codec in none gzip snappy lz4 zstd; do
  topic="kcat-$codec-$run_id"
  expected=$(for i in $(seq 1 200); do echo "key$i:value-$i-$(printf '%*s' $((i % 50)) '' | tr ' ' x)"; done)
  echo "$expected" | kcat -b "$B" -t "$topic" -p 0 -P -K: -z "$codec" 2>/dev/null
  actual=$(kcat -b "$B" -t "$topic" -p 0 -C -o beginning -e -K: -f '%k:%s\n' -q 2>/dev/null)
  if [ "$actual" = "$expected" ]; then
    pass "produce and consume with $codec"
  else
    fail "produce and consume with $codec" "got $(echo "$actual" | wc -l) lines"
  fi
done

# Offset reset: -o -5 reads the last five, -o 10 from offset 10, -o end nothing.
topic="kcat-offsets-$run_id"
seq 0 19 | kcat -b "$B" -t "$topic" -p 0 -P 2>/dev/null
last5=$(kcat -b "$B" -t "$topic" -p 0 -C -o -5 -e -q 2>/dev/null | paste -sd, -)
from10=$(kcat -b "$B" -t "$topic" -p 0 -C -o 10 -e -q 2>/dev/null | head -1)
at_end=$(kcat -b "$B" -t "$topic" -p 0 -C -o end -e -q 2>/dev/null | wc -l)
if [ "$last5" = "15,16,17,18,19" ] && [ "$from10" = "10" ] && [ "$at_end" -eq 0 ]; then
  pass "offset reset: relative, absolute and end"
else
  fail "offset reset: relative, absolute and end" "last5=$last5 from10=$from10 at_end=$at_end"
fi

# compression.type=zstd: batches kcat sends uncompressed are stored recompressed, and read back intact.
topic="kcat-zstd-topic-$run_id"
node "$(dirname "$0")/create-topic.mjs" "$topic" 1 compression.type=zstd
expected=$(for i in $(seq 1 100); do echo "k$i:v$i-$(printf '%*s' $((i % 30)) '' | tr ' ' y)"; done)
echo "$expected" | kcat -b "$B" -t "$topic" -P -K: -z none 2>/dev/null
actual=$(kcat -b "$B" -t "$topic" -C -o beginning -e -K: -f '%k:%s\n' -q 2>/dev/null)
if [ "$actual" = "$expected" ]; then
  pass "compression.type=zstd topic recompresses and serves what was produced uncompressed"
else
  fail "compression.type=zstd topic recompresses and serves what was produced uncompressed" "got $(echo "$actual" | wc -l) lines"
fi

# message.timestamp.type=LogAppendTime: kcat sees the log-append timestamp type and the broker's time.
topic="kcat-appendtime-$run_id"
node "$(dirname "$0")/create-topic.mjs" "$topic" 1 message.timestamp.type=LogAppendTime
before=$(($(date +%s%3N) - 1000))
printf 'a\nb\n' | kcat -b "$B" -t "$topic" -P 2>/dev/null
after=$(($(date +%s%3N) + 1000))
stamps=$(kcat -b "$B" -t "$topic" -C -o beginning -e -q -f '%T\n' 2>/dev/null)
types=$(kcat -b "$B" -t "$topic" -C -o beginning -e -q -J 2>/dev/null | grep -o '"tstype":"[a-z]*"' | sort -u)
in_range=yes
for ts in $stamps; do { [ "$ts" -ge "$before" ] && [ "$ts" -le "$after" ]; } || in_range=no; done
if [ "$types" = '"tstype":"logappend"' ] && [ "$(echo "$stamps" | wc -w)" -eq 2 ] && [ "$in_range" = yes ]; then
  pass "message.timestamp.type=LogAppendTime stamps records with the append time"
else
  fail "message.timestamp.type=LogAppendTime stamps records with the append time" "types=$types stamps=$stamps range=$before..$after"
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
