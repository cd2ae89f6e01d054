// Drives a running Freshet broker (address in FRESHET_BOOTSTRAP) with kafkajs: metadata, produce and
// consume with every codec, a consumer group that rebalances, and offset reset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { registerCodecs } from './codecs.js';

const { Kafka, CompressionTypes, logLevel } = kafkajs;
const bootstrap = process.env.FRESHET_BOOTSTRAP;
assert.ok(bootstrap, 'FRESHET_BOOTSTRAP must name the broker (host:port)');

const kafka = new Kafka({ clientId: 'freshet-conformance', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
const admin = kafka.admin();
const producer = kafka.producer({ allowAutoTopicCreation: false });

before(async () => {
  await registerCodecs();
  await admin.connect();
  await producer.connect();
});

after(async () => {
  await producer.disconnect();
  await admin.disconnect();
});

const uniqueTopic = (prefix) => `${prefix}-${randomUUID().slice(0, 8)}`;

// Consumes until `count` messages arrived (or the timeout passes) with a fresh group.
async function consume(topic, count, { fromBeginning = true, groupId = `g-${randomUUID()}` } = {}) {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, rebalanceTimeout: 10000, heartbeatInterval: 500 });
  const received = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning });
  const done = new Promise((resolve) => {
    consumer.run({
      eachMessage: async ({ partition, message }) => {
        received.push({ partition, offset: message.offset, key: message.key?.toString(), value: message.value?.toString(), headers: message.headers });
        if (received.length >= count) resolve();
      },
    });
  });
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 20000))]);
  await consumer.disconnect();
  return received;
}

test('metadata lists a created topic with its partitions', async () => {
  const topic = uniqueTopic('meta');
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const topics = await admin.listTopics();
  assert.ok(topics.includes(topic));
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  assert.equal(metadata.topics[0].partitions.length, 3);
});

for (const [name, codec] of Object.entries({ none: CompressionTypes.None, gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD })) {
  test(`produce and consume with ${name}`, async () => {
    const topic = uniqueTopic(`codec-${name}`);
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const messages = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `value-${i}-${'x'.repeat(i)}`, headers: { h: `${i}` } }));
    await producer.send({ topic, compression: codec, messages });
    const received = await consume(topic, messages.length);
    assert.deepEqual(received.map((m) => m.value), messages.map((m) => m.value));
    assert.deepEqual(received.map((m) => m.key), messages.map((m) => m.key));
    assert.equal(received[7].headers.h.toString(), '7');
  });
}

test('a consumer group of two shares the partitions and rebalances when one leaves', async () => {
  const topic = uniqueTopic('group');
  await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
  const groupId = `g-${randomUUID()}`;
  const assignments = new Map();
  const members = [0, 1].map((i) => {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, rebalanceTimeout: 10000, heartbeatInterval: 300 });
    consumer.on(consumer.events.GROUP_JOIN, (event) => assignments.set(i, event.payload.memberAssignment[topic] ?? []));
    return consumer;
  });
  for (const consumer of members) {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => {} });
  }
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline && !([0, 1].every((i) => (assignments.get(i) ?? []).length === 2))) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.deepEqual([...assignments.get(0), ...assignments.get(1)].sort(), [0, 1, 2, 3]);

  await members[1].disconnect();
  while (Date.now() < deadline && (assignments.get(0) ?? []).length !== 4) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.deepEqual([...assignments.get(0)].sort(), [0, 1, 2, 3]);
  await members[0].disconnect();
});

test('committed offsets resume a group; a new group can start at the end', async () => {
  const topic = uniqueTopic('offsets');
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `first-${i}` })) });
  const groupId = `g-${randomUUID()}`;
  const first = await consume(topic, 10, { groupId });
  assert.equal(first.length, 10);

  await producer.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ value: `second-${i}` })) });
  const resumed = await consume(topic, 5, { groupId });
  assert.deepEqual(resumed.map((m) => m.value), Array.from({ length: 5 }, (_, i) => `second-${i}`));

  await admin.resetOffsets({ groupId, topic, earliest: true });
  const reset = await consume(topic, 15, { groupId });
  assert.equal(reset.length, 15);
  assert.equal(reset[0].value, 'first-0');
});
