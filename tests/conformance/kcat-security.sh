#!/usr/bin/env bash
# Drives the SASL_SSL broker of secure-broker.sh with kcat (librdkafka): produce and consume as alice
# (SCRAM-SHA-256) and bob (SCRAM-SHA-512), and the refusals of a wrong password, an unknown mechanism, a plaintext
# client on the TLS port and a topic no ACL allows.
# Prints "ok - NAME" or "not ok - NAME" per test, and exits non-zero if any failed.
set -uo pipefail
: "${FRESHET_SECURE_BOOTSTRAP:?run through run.sh, which starts the secure broker}"
B=$FRESHET_SECURE_BOOTSTRAP
failures=0
run_id=$RANDOM$RANDOM
pass() { echo "ok - $1"; }
fail() { echo "not ok - $1: $2"; failures=$((failures + 1)); }

# kcat's options for a user: SASL_SSL against the test CA.
as_user() { echo "-X security.protocol=SASL_SSL -X ssl.ca.location=$FRESHET_SECURE_CA -X sasl.mechanism=$2 -X sasl.username=$1 -X sasl.password=$3"; }
alice=$(as_user alice SCRAM-SHA-256 "$FRESHET_SECURE_ALICE_PASSWORD")
bob=$(as_user bob SCRAM-SHA-512 "$FRESHET_SECURE_BOB_PASSWORD")

for who in alice bob; do
  opts=${!who}
  topic="secure-kcat-$who-$run_id"
  # shellcheck disable=SC2086
  printf 'one\ntwo\nthree\n' | kcat -b "$B" $opts -t "$topic" -P 2>/tmp/kcat-sec-$run_id.err
  # shellcheck disable=SC2086
  got=$(kcat -b "$B" $opts -t "$topic" -C -o beginning -e -q 2>>/tmp/kcat-sec-$run_id.err | tr '\n' ' ')
  if [ "$got" = "one two three " ]; then
    pass "SASL_SSL with $( [ $who = alice ] && echo SCRAM-SHA-256 || echo SCRAM-SHA-512 ): $who produces and consumes"
  else
    fail "SASL_SSL: $who produces and consumes" "got '$got': $(head -3 /tmp/kcat-sec-$run_id.err)"
  fi
done

# shellcheck disable=SC2086
out=$(kcat -b "$B" $(as_user alice SCRAM-SHA-256 wrong-password) -L -m 5 2>&1)
if echo "$out" | grep -qiE "authentication failed|SASL authentication error"; then
  pass "a wrong password is refused with SASL authentication failed"
else
  fail "a wrong password is refused with SASL authentication failed" "$(echo "$out" | head -3)"
fi

# shellcheck disable=SC2086
out=$(kcat -b "$B" $(as_user alice PLAIN "$FRESHET_SECURE_ALICE_PASSWORD") -L -m 5 2>&1)
if echo "$out" | grep -qiE "mechanism|UNSUPPORTED_SASL_MECHANISM"; then
  pass "a mechanism the broker has not enabled is refused"
else
  fail "a mechanism the broker has not enabled is refused" "$(echo "$out" | head -3)"
fi

out=$(kcat -b "$B" -L -m 5 2>&1)
if [ $? -ne 0 ] || ! echo "$out" | grep -q "broker"; then
  pass "a plaintext client on the SASL_SSL port gets no metadata"
else
  fail "a plaintext client on the SASL_SSL port gets no metadata" "$(echo "$out" | head -3)"
fi

# shellcheck disable=SC2086
out=$(echo nope | kcat -b "$B" $alice -t "other-$run_id" -P 2>&1)
if echo "$out" | grep -qiE "authoriz"; then
  pass "a topic no ACL allows is refused with TOPIC_AUTHORIZATION_FAILED"
else
  fail "a topic no ACL allows is refused with TOPIC_AUTHORIZATION_FAILED" "$(echo "$out" | head -3)"
fi

rm -f /tmp/kcat-sec-$run_id.err
[ "$failures" -eq 0 ]
