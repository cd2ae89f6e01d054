// A kafkajs consumer that commits by hand keeps its group membership across a restart of the broker:
// its first commit after the restart is accepted (the group, its generation and members were reloaded
// from the data directory). This test starts and restarts its own broker (FRESHET_CLI names the
// built freshet.dll), so the shared broker of the other tests is never stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const cli = process.env.FRESHET_CLI;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Starts `freshet broker` and resolves once it listens; rejects if it exits first or takes over 30 s.
function startBroker(data, port) {
  return new Promise((resolve, reject) => {
    const child = spawn('dotnet', [cli, 'broker', '--data', data, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`the broker did not start: ${output}`)); }, 30000);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('listening on')) { clearTimeout(timer); resolve(child); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the broker exited with ${code}: ${output}`)); });
  });
}

function stopBroker(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) { resolve(); return; }
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function waitUntil(condition, what, timeoutMs = 40000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a manual-commit consumer keeps committing across a broker restart', async () => {
  assert.ok(cli, 'FRESHET_CLI must name the built freshet.dll (tests/conformance/run.sh exports it)');
  const data = mkdtempSync(join(tmpdir(), 'freshet-restart-'));
  const port = await freePort();
  let broker = await startBroker(data, port);
  const kafka = new Kafka({ clientId: 'restart-conformance', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 200 } });
  const topic = `restart-${randomUUID().slice(0, 8)}`;
  const consumer = kafka.consumer({ groupId: `g-${randomUUID()}`, sessionTimeout: 10000, rebalanceTimeout: 10000, heartbeatInterval: 300 });
  const committed = [];
  const commitErrors = [];
  const crashes = [];
  consumer.on(consumer.events.CRASH, (event) => crashes.push(event.payload.error));
  try {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const send = async (from) => {
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${from + i}` })) });
      await producer.disconnect();
    };
    await send(0);

    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        try {
          await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
          committed.push(message.value.toString());
        } catch (error) {
          commitErrors.push(error);
          throw error;
        }
      },
    });
    await waitUntil(() => committed.length === 10 || crashes.length > 0, 'the first 10 commits');

    await stopBroker(broker);
    broker = await startBroker(data, port);
    await send(10);

    await waitUntil(() => committed.length === 20 || commitErrors.length > 0, 'the 10 commits after the restart');
    assert.deepEqual(commitErrors.map((e) => `${e.type ?? e.name}: ${e.message}`), []);
    assert.deepEqual(committed, Array.from({ length: 20 }, (_, i) => `m${i}`));
    assert.deepEqual(crashes.filter((e) => !e.retriable).map((e) => `${e.type ?? e.name}: ${e.message}`), []);
  } finally {
    await consumer.disconnect().catch(() => {});
    await stopBroker(broker);
    rmSync(data, { recursive: true, force: true });
  }
});
