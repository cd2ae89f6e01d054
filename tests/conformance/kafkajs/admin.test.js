// Drives a running Freshet broker (address in FRESHET_BOOTSTRAP) with kafkajs's admin client:
// DeleteRecords (deleteTopicRecords), DeleteGroups (deleteGroups) and AlterConfigs (alterConfigs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';

const { Kafka, ConfigResourceTypes, logLevel } = kafkajs;
const bootstrap = process.env.FRESHET_BOOTSTRAP;
assert.ok(bootstrap, 'FRESHET_BOOTSTRAP must name the broker (host:port)');

const kafka = new Kafka({ clientId: 'freshet-conformance-admin', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
const admin = kafka.admin();
const producer = kafka.producer({ allowAutoTopicCreation: false });

before(async () => {
  await admin.connect();
  await producer.connect();
});

after(async () => {
  await producer.disconnect();
  await admin.disconnect();
});

const uniqueName = (prefix) => `${prefix}-${randomUUID().slice(0, 8)}`;

async function createTopicWithRecords(topic, count, configEntries = []) {
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries }], waitForLeaders: true });
  // deleteTopicRecords looks leaders up in the admin's metadata cache, which holds only the topics it was asked about.
  await admin.fetchTopicMetadata({ topics: [topic] });
  for (let i = 0; i < count; i++) {
    await producer.send({ topic, messages: [{ key: `key-${i}`, value: `record-${i}` }] });
  }
}

test('deleteTopicRecords moves the low watermark that fetchTopicOffsets reports', async () => {
  const topic = uniqueName('trim');
  await createTopicWithRecords(topic, 6);

  await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '4' }] });

  const [offsets] = await admin.fetchTopicOffsets(topic);
  assert.equal(offsets.low, '4');
  assert.equal(offsets.high, '6');
});

test('deleteTopicRecords on a compacted topic fails with POLICY_VIOLATION', async () => {
  const topic = uniqueName('compacted');
  await createTopicWithRecords(topic, 2, [{ name: 'cleanup.policy', value: 'compact' }]);

  await assert.rejects(
    admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '1' }] }),
    // kafkajs's retrier wraps the KafkaJSDeleteTopicRecordsError that carries the partitions' errors.
    (error) => (error.cause ?? error).partitions?.[0]?.error?.type === 'POLICY_VIOLATION',
  );
  const [offsets] = await admin.fetchTopicOffsets(topic);
  assert.equal(offsets.low, '0');
});

test('deleteGroups deletes an empty group and its offsets; an unknown group gets GROUP_ID_NOT_FOUND', async () => {
  const topic = uniqueName('groups');
  const groupId = uniqueName('finished');
  await createTopicWithRecords(topic, 1);
  await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1' }] });
  assert.equal((await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions[0].offset, '1');

  const deleted = await admin.deleteGroups([groupId]);

  assert.deepEqual(deleted.map(({ groupId: id, errorCode }) => ({ id, errorCode })), [{ id: groupId, errorCode: 0 }]);
  assert.equal((await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions[0].offset, '-1');
  await assert.rejects(
    admin.deleteGroups([uniqueName('ghost')]),
    (error) => error.name === 'KafkaJSDeleteGroupsError' && error.groups[0].error.type === 'GROUP_ID_NOT_FOUND',
  );
});

test('alterConfigs replaces the overrides and describeConfigs shows the change', async () => {
  const topic = uniqueName('configured');
  await createTopicWithRecords(topic, 0, [{ name: 'retention.ms', value: '3600000' }]);

  await admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'max.message.bytes', value: '2048' }] }],
  });

  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes', 'retention.ms'] }],
  });
  const entries = Object.fromEntries(described.resources[0].configEntries.map((e) => [e.configName, e]));
  assert.equal(entries['max.message.bytes'].configValue, '2048');
  assert.equal(entries['max.message.bytes'].isDefault, false);
  assert.equal(entries['retention.ms'].configValue, '604800000');
  assert.equal(entries['retention.ms'].isDefault, true);
  await assert.rejects(
    producer.send({ topic, messages: [{ value: 'x'.repeat(4096) }] }),
    (error) => error.type === 'MESSAGE_TOO_LARGE' || /too large/i.test(error.message),
  );
});
