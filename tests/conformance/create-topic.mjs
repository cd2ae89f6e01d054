// Creates a topic with N partitions on the broker in FRESHET_BOOTSTRAP (kcat cannot create topics).
// Usage: node create-topic.mjs TOPIC PARTITIONS
import kafkajs from 'kafkajs';

const [topic, partitions] = process.argv.slice(2);
const kafka = new kafkajs.Kafka({ clientId: 'freshet-conformance-admin', brokers: [process.env.FRESHET_BOOTSTRAP], logLevel: kafkajs.logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: Number(partitions) }], waitForLeaders: true });
await admin.disconnect();
