// Rooms shared across two server instances through Redis (tools/redis-rooms.mjs,
// docs/scaling.md): a real redis-server on a free port with a temporary directory, two
// `tools/serve.mjs --redis` processes on two ports (one reaching Redis over TCP, the other
// over its unix socket), and peers on each through the app's own transports. Every process
// started here is stopped by its PID.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { addAsset, addMessage, addStroke, createRoomDoc, newId, roomParts } from '../../web/src/room/room-doc.js';
import { peers } from '../../web/src/collab/presence.js';
import { RedisConnection, parseRedisAddress } from '../../tools/redis-client.mjs';
import { joinPeer, roomContent, sameState, waitFor } from './collab-helpers.mjs';
import { freePort, processes } from './redis-processes.mjs';

const author = { id: 'a', name: 'Ana' };
const firstLayer = (doc) => roomParts(doc).layers.get(0).get('id');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'huabu-redis-test-'));
const { run, startInstance, startRedis, stop, stopAll } = processes();

let redis; // {port, dir, socket, url, child}
const instances = [];

before(async () => {
  redis = await startRedis(await freePort(), fs.mkdtempSync(path.join(tmp, 'redis-')));
  instances.push(await startInstance(redis.url, tmp)); // TCP
  instances.push(await startInstance(redis.socket, tmp)); // unix socket
});

const sessions = [];
function join(instance, roomId, options) {
  const peer = joinPeer(instance, roomId, options);
  sessions.push(peer.session);
  return peer;
}

after(async () => {
  sessions.forEach((s) => s.leave());
  await stopAll();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('Redis addresses: TCP, unix socket; anything else is refused with a reason', () => {
  assert.deepEqual(parseRedisAddress('redis://127.0.0.1:6380'), { host: '127.0.0.1', port: 6380 });
  assert.deepEqual(parseRedisAddress('redis://:s3cret@cache.internal/2'), { host: 'cache.internal', port: 6379, password: 's3cret', db: 2 });
  assert.deepEqual(parseRedisAddress('/run/redis/redis.sock'), { path: '/run/redis/redis.sock' });
  assert.deepEqual(parseRedisAddress('unix:///run/redis/redis.sock'), { path: '/run/redis/redis.sock' });
  assert.throws(() => parseRedisAddress('http://127.0.0.1:6379'), /not a Redis address/);
  assert.throws(() => parseRedisAddress('127.0.0.1:6379'), /not a Redis address/);
  assert.throws(() => parseRedisAddress('redis://h/x'), /database must be a number/);
  assert.throws(() => parseRedisAddress('rediss://h'), /TLS/);
  assert.throws(() => parseRedisAddress('redis://user@h'), /needs a password/);
  assert.deepEqual(parseRedisAddress('redis://huabu:pw@[::1]:7000'), { host: '::1', port: 7000, username: 'huabu', password: 'pw' });
  assert.throws(() => parseRedisAddress(''), /no Redis address/);
});

test('a malformed address or an unreachable Redis stops `serve` at start with a clear error', async () => {
  const malformed = await run(['tools/serve.mjs', '--port', '0', '--rooms', tmp, '--redis', 'localhost:6379']);
  assert.equal(malformed.code, 2);
  assert.match(malformed.output, /huabu serve: "localhost:6379" is not a Redis address \(expected redis:\/\/host:port/);

  const missing = await run(['tools/serve.mjs', '--port', '0', '--rooms', tmp, '--redis']);
  assert.equal(missing.code, 2);
  assert.match(missing.output, /--redis needs an address/);

  const closed = await freePort();
  const unreachable = await run(['tools/serve.mjs', '--port', '0', '--rooms', tmp, '--redis', `redis://127.0.0.1:${closed}`]);
  assert.equal(unreachable.code, 2);
  assert.match(unreachable.output, new RegExp(`huabu serve: cannot reach Redis at redis://127\\.0\\.0\\.1:${closed}: .*ECONNREFUSED`));

  const noSocket = await run(['tools/serve.mjs', '--port', '0', '--rooms', tmp, '--redis', path.join(tmp, 'nothing.sock')]);
  assert.equal(noSocket.code, 2);
  assert.match(noSocket.output, /cannot reach Redis at unix socket .*nothing\.sock: .*ENOENT/);
});

test('two peers on two instances see each other\'s strokes, chat and cursors; both instances save the room', async () => {
  const [one, two] = instances;
  const roomId = newId();
  const a = join(one, roomId, { doc: createRoomDoc({ roomId }), name: 'Ana' });
  const b = join(two, roomId, { name: 'Bo' });
  await waitFor(() => sameState(a.doc, b.doc) && roomParts(b.doc).layers.length === 1, { what: 'initial sync across instances' });

  addMessage(a.doc, { kind: 'text', author, text: 'hello from instance one' });
  addStroke(b.doc, firstLayer(b.doc), { points: [1, 2, 1], colour: '#000000', size: 3 });
  await waitFor(() => sameState(a.doc, b.doc) && roomParts(a.doc).messages.length === 1 && roomParts(a.doc).layers.get(0).get('items').length === 1, { what: 'chat and stroke across instances' });

  a.session.awareness.setLocalStateField('cursor', { x: 10, y: 20 });
  await waitFor(() => peers(b.session.awareness).some((p) => p.name === 'Ana' && p.cursor?.x === 10), { what: 'cursor across instances' });
  await waitFor(() => peers(a.session.awareness).some((p) => p.name === 'Bo'), { what: 'presence across instances' });

  // Persistence to disk still works: each instance appends what it hears, from either side.
  for (const { rooms } of instances) {
    const file = path.join(rooms, `${roomId}.yjs`);
    await waitFor(() => fs.existsSync(file) && fs.readFileSync(file).includes(Buffer.from('hello from instance one')), { what: `room on disk in ${rooms}` });
  }
  // Ana leaves: Bo's instance forgets her presence.
  a.session.leave();
  await waitFor(() => !peers(b.session.awareness).some((p) => p.name === 'Ana'), { what: 'presence removed across instances' });
  b.session.leave();
});

test('a late joiner on either instance gets the whole room, from compacted state and log; big states are not re-merged for every update', async () => {
  const [one, two] = instances;
  const roomId = newId();
  const a = join(one, roomId, { doc: createRoomDoc({ roomId }), name: 'Ana' });
  await waitFor(() => a.transport('websocket').synced, { what: 'sync' });
  const probe = new RedisConnection(parseRedisAddress(redis.url));
  await probe.connect();
  const logKey = `huabu:room:{${roomId}}:log`;
  const stateKey = `huabu:room:{${roomId}}:state`;
  const generation = async () => Number(await probe.command('HGET', stateKey, 'gen') ?? 0);
  async function waitForGeneration(n, what) {
    const deadline = Date.now() + 10_000;
    while ((await generation()) < n) {
      assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const say = async (from, count) => {
    for (let i = from; i < from + count; i++) {
      addMessage(a.doc, { kind: 'text', author, text: `message ${i} ${'·'.repeat(150)}` });
      if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  // 250 updates, ~100 KB: past the 64 KB after which a small room's log is compacted.
  await say(0, 250);
  await waitForGeneration(1, 'the log compacted in Redis');
  assert.ok(await probe.command('LLEN', logKey) < 250);
  assert.ok(await probe.command('TTL', stateKey) > 0, 'room state expires when idle');
  // A 300 KB picture: compacted too; from then on the log may grow as large as the state.
  await addAsset(a.doc, randomBytes(300 * 1024), { mime: 'image/webp', width: 512, height: 512 });
  await waitForGeneration(2, 'the picture compacted');
  await say(250, 100);
  const deadline = Date.now() + 10_000;
  while ((await probe.command('LLEN', logKey)) < 100) {
    assert.ok(Date.now() < deadline, 'timed out waiting for the messages in the log');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(await generation(), 2, 'no compaction for 40 KB of messages after a 300 KB state');
  probe.close();

  // Instance two never had this room open: it comes from Redis alone. The late joiner is
  // told the whole room in its first sync, not a moment later.
  a.session.awareness.setLocalStateField('cursor', { x: 7, y: 8 });
  const late = join(two, roomId, { name: 'Late' });
  await waitFor(() => late.transport('websocket').synced, { what: 'late joiner synced' });
  assert.equal(roomParts(late.doc).messages.length, 350);
  assert.equal(roomParts(late.doc).assets.size, 1);
  await waitFor(() => sameState(a.doc, late.doc), { what: 'late joiner complete' });
  // Who is already here is asked for when an instance opens a room, not left to the next
  // 15-second renewal.
  await waitFor(() => peers(late.session.awareness).some((p) => p.name === 'Ana' && p.cursor?.x === 7), { what: 'presence of earlier peers', timeout: 5000 });
  // And a late joiner back on the first instance.
  const again = join(one, roomId, { name: 'Again' });
  await waitFor(() => sameState(again.doc, late.doc), { what: 'late joiner on instance one' });
  a.session.leave();
  late.session.leave();
  again.session.leave();
});

test('Redis restarting empty is survived: both instances reconnect, edits made meanwhile merge', async () => {
  const [one, two] = instances;
  const roomId = newId();
  const a = join(one, roomId, { doc: createRoomDoc({ roomId }), name: 'Ana' });
  const b = join(two, roomId, { name: 'Bo' });
  addMessage(a.doc, { kind: 'text', author, text: 'before the restart' });
  await waitFor(() => sameState(a.doc, b.doc) && roomParts(b.doc).messages.length === 1, { what: 'sync before the restart' });

  await stop(redis.child);
  addMessage(a.doc, { kind: 'text', author, text: 'while Redis was down (one)' });
  addStroke(b.doc, firstLayer(b.doc), { points: [5, 5, 1], colour: '#ff0000', size: 3 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(sameState(a.doc, b.doc), false, 'nothing crosses while Redis is down');

  redis = await startRedis(redis.port, redis.dir);
  await waitFor(() => sameState(a.doc, b.doc) && roomParts(a.doc).layers.get(0).get('items').length === 1 && roomParts(b.doc).messages.length === 2, { what: 'resync after the restart', timeout: 20_000 });
  assert.match(one.child.output, /Redis .* is back; resyncing/);

  // Live again, and Redis holds the whole room again for newcomers.
  addMessage(b.doc, { kind: 'text', author, text: 'after the restart' });
  await waitFor(() => roomParts(a.doc).messages.length === 3, { what: 'live after the restart' });
  const late = join(two, roomId, { name: 'Late' });
  await waitFor(() => roomContent(late.doc) === roomContent(a.doc), { what: 'late joiner after the restart' });
  a.session.leave();
  b.session.leave();
  late.session.leave();
});

test('an update Redis refuses (out of memory) reaches the other instance once Redis accepts writes again', async () => {
  const [one, two] = instances;
  const roomId = newId();
  const a = join(one, roomId, { doc: createRoomDoc({ roomId }), name: 'Ana' });
  const b = join(two, roomId, { name: 'Bo' });
  await waitFor(() => sameState(a.doc, b.doc) && roomParts(b.doc).layers.length === 1, { what: 'initial sync' });

  const admin = new RedisConnection(parseRedisAddress(redis.url));
  await admin.connect();
  try {
    await admin.command('CONFIG', 'SET', 'maxmemory', '1'); // every write is refused: OOM
    addMessage(a.doc, { kind: 'text', author, text: 'refused at first' });
    await waitFor(() => /OOM/.test(one.child.output), { what: 'the refusal logged' });
    assert.equal(roomParts(b.doc).messages.length, 0);
    await admin.command('CONFIG', 'SET', 'maxmemory', '0');
    await waitFor(() => roomParts(b.doc).messages.length === 1, { what: 'the update after Redis accepts writes again' });
  } finally {
    await admin.command('CONFIG', 'SET', 'maxmemory', '0');
    admin.close();
  }
  a.session.leave();
  b.session.leave();
});

test('random edits by four peers on two instances, with peers and Redis dropping out, converge with nothing lost', async () => {
  const [one, two] = instances;
  let s = 7;
  const rand = () => { // seeded (mulberry32), so a failure replays
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const roomId = newId();
  const group = [0, 1, 2, 3].map((i) => join(i % 2 ? two : one, roomId, { doc: i === 0 ? createRoomDoc({ roomId }) : undefined, name: `p${i}` }));
  await waitFor(() => group.every((p) => roomParts(p.doc).layers.length === 1), { what: 'initial sync' });
  const texts = new Set();
  for (let op = 0; op < 300; op++) {
    const peer = group[Math.floor(rand() * group.length)];
    const ws = peer.transport('websocket');
    const r = rand();
    if (r < 0.05) ws.disconnect();
    else if (r < 0.12) ws.connect();
    else if (r < 0.6) {
      const text = `op ${op}`;
      texts.add(text);
      addMessage(peer.doc, { kind: 'text', author, text });
    } else addStroke(peer.doc, firstLayer(peer.doc), { points: [op, op, 1], colour: '#123456', size: 2 });
    if (op === 150) await stop(redis.child); // the rest of the first half's edits cross only after the restart
    if (op === 200) redis = await startRedis(redis.port, redis.dir);
    if (op % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  group.forEach((p) => p.transport('websocket').connect());
  await waitFor(() => group.every((p) => sameState(p.doc, group[0].doc)), { what: 'convergence', timeout: 30_000 });
  const seen = new Set(roomParts(group[0].doc).messages.toArray().map((m) => m.get('text')));
  assert.deepEqual([...texts].filter((t) => !seen.has(t)), []);
  group.forEach((p) => p.session.leave());
});
