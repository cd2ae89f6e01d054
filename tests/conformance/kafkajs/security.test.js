// Drives the SASL_SSL broker that run.sh starts (secure-broker.sh) with kafkajs: producer, consumer group and admin
// over TLS with SCRAM-SHA-256 and SCRAM-SHA-512, and the refusals of a wrong password and of a topic no ACL allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const bootstrap = process.env.FRESHET_SECURE_BOOTSTRAP;
assert.ok(bootstrap, 'FRESHET_SECURE_BOOTSTRAP must name the SASL_SSL broker (run.sh starts it)');
const ca = [readFileSync(process.env.FRESHET_SECURE_CA, 'utf8')];

const client = (mechanism, username, password) => new Kafka({
  clientId: `freshet-conformance-${username}`,
  brokers: [bootstrap],
  ssl: { ca },
  sasl: { mechanism, username, password },
  logLevel: logLevel.NOTHING,
  retry: { retries: 2 },
});

const users = [
  ['scram-sha-256', 'alice', process.env.FRESHET_SECURE_ALICE_PASSWORD],
  ['scram-sha-512', 'bob', process.env.FRESHET_SECURE_BOB_PASSWORD],
];

for (const [mechanism, username, password] of users) {
  test(`SASL_SSL with ${mechanism}: ${username} creates a topic, produces, and a consumer group reads it back`, async () => {
    const kafka = client(mechanism, username, password);
    const topic = `secure-js-${username}-${randomUUID().slice(0, 8)}`;
    const admin = kafka.admin();
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: `secure-group-${randomUUID().slice(0, 8)}` });
    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
      await producer.connect();
      await producer.send({ topic, messages: [0, 1, 2, 3].map((i) => ({ key: `k${i}`, value: `v${i}` })) });

      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen = [];
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${seen.length} of 4 records arrived`)), 60000);
        consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(message.value.toString());
            if (seen.length === 4) { clearTimeout(timer); resolve(); }
          },
        }).catch(reject);
      });
      assert.deepEqual(seen.sort(), ['v0', 'v1', 'v2', 'v3']);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });
}

test('a wrong password is refused with a SASL authentication error', async () => {
  const producer = client('scram-sha-256', 'alice', 'not-the-password').producer();
  await assert.rejects(producer.connect(), (error) => {
    assert.match(`${error.name} ${error.message}`, /SASL|[Aa]uthentication/);
    return true;
  });
});

test('a topic no ACL allows is refused with TOPIC_AUTHORIZATION_FAILED', async () => {
  const kafka = client('scram-sha-256', 'alice', process.env.FRESHET_SECURE_ALICE_PASSWORD);
  const producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 0 } });
  await producer.connect();
  try {
    await assert.rejects(producer.send({ topic: `elsewhere-${randomUUID().slice(0, 8)}`, messages: [{ value: 'x' }] }), (error) => {
      assert.match(`${error.type ?? ''} ${error.message}`, /TOPIC_AUTHORIZATION_FAILED|not authorized/i);
      return true;
    });
  } finally {
    await producer.disconnect();
  }
});
