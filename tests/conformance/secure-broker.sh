#!/usr/bin/env bash
# Sourced by run.sh: starts a second `freshet broker` with one SASL_SSL listener (SCRAM-SHA-256 and -512, a test CA made
# here with openssl) and ACLs on, set up as docs/security.md shows: users added and ACLs granted with `freshet users`
# and `freshet acls` on its data directory. Exports what kcat-security.sh and kafkajs/security.test.js need:
# FRESHET_SECURE_BOOTSTRAP, FRESHET_SECURE_CA, and the users alice (SCRAM-SHA-256), bob (SCRAM-SHA-512) with their
# passwords; both may use topics and groups named secure-*; nobody else may use anything.
# Needs: cli (freshet.dll), openssl. Defines stop_secure_broker.

secure=$(mktemp -d)
secure_data="$secure/data"
secure_log="$secure/broker.log"
mkdir -p "$secure_data"
secure_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')

# A CA and a certificate for 127.0.0.1, as docs/security.md makes them.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$secure/ca.key" -out "$secure/ca.pem" -days 2 -subj "/CN=Freshet conformance CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$secure/server.key" -out "$secure/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$secure/san.ext"
openssl x509 -req -in "$secure/server.csr" -CA "$secure/ca.pem" -CAkey "$secure/ca.key" -CAcreateserial -out "$secure/server.pem" -days 2 -extfile "$secure/san.ext" 2>/dev/null

cat >"$secure/broker.properties" <<PROPERTIES
log.dirs=$secure_data
listeners=SASL_SSL://127.0.0.1:$secure_port
ssl.keystore.type=PEM
ssl.keystore.location=$secure/server.pem
ssl.keystore.key.location=$secure/server.key
sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin
PROPERTIES

export FRESHET_SECURE_ALICE_PASSWORD="alice-$RANDOM$RANDOM"
export FRESHET_SECURE_BOB_PASSWORD="bob-$RANDOM$RANDOM"
echo "$FRESHET_SECURE_ALICE_PASSWORD" | dotnet "$cli" users add alice --data "$secure_data" --mechanism SCRAM-SHA-256 --password-stdin >/dev/null
echo "$FRESHET_SECURE_BOB_PASSWORD" | dotnet "$cli" users add bob --data "$secure_data" --mechanism SCRAM-SHA-512 --password-stdin >/dev/null
dotnet "$cli" acls add --data "$secure_data" --allow-principal User:alice --allow-principal User:bob --operation All \
  --topic secure- --group secure- --resource-pattern-type prefixed >/dev/null

dotnet "$cli" broker --config "$secure/broker.properties" >"$secure_log" 2>&1 &
secure_broker=$!
stop_secure_broker() { kill -TERM "$secure_broker" 2>/dev/null; wait "$secure_broker" 2>/dev/null; rm -rf "$secure"; }
for _ in $(seq 1 100); do
  grep -q "listening on" "$secure_log" && break
  sleep 0.1
done

export FRESHET_SECURE_BOOTSTRAP="127.0.0.1:$secure_port"
export FRESHET_SECURE_CA="$secure/ca.pem"
