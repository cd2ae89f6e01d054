// Creates a topic with N partitions on the broker in FRESHET_BOOTSTRAP (kcat cannot create topics),
// with optional topic settings given as key=value.
// Usage: node create-topic.mjs TOPIC PARTITIONS [key=value ...]
import kafkajs from 'kafkajs';

const [topic, partitions, ...settings] = process.argv.slice(2);
const configEntries = settings.map((setting) => {
  const equals = setting.indexOf('=');
  return { name: setting.slice(0, equals), value: setting.slice(equals + 1) };
});
const kafka = new kafkajs.Kafka({ clientId: 'freshet-conformance-admin', brokers: [process.env.FRESHET_BOOTSTRAP], logLevel: kafkajs.logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: Number(partitions), configEntries }], waitForLeaders: true });
await admin.disconnect();
