#!/usr/bin/env node
// Collaboration bench: N peers in one room on loopback, through the real server (tools/
// serve.mjs in a child process, as `./huabu serve` runs it). Every peer draws strokes at
// random moments; each stroke's delivery time to every other peer is measured (same clock:
// the peers share this process). Reports p50/p99 delivery, lost deliveries and the server's
// resident memory.
//
// With --instances 2 (or more) the room is spread over that many servers sharing it through
// Redis (`serve --redis`, docs/scaling.md): the bench starts its own redis-server (free port,
// temporary directory) and puts peer i on instance i mod N; deliveries between peers on
// different instances are also reported on their own.
//
// --image-mb M adds an M MB asset (random bytes, as a picture would be) to the room before
// the drawing starts; with Redis, the bench then also times the compaction merge of the
// room's Redis state and log (Y.mergeUpdates, what a server does in its event loop).
//
//   node tools/bench-collab.mjs [--peers 20] [--strokes 20] [--instances 2] [--image-mb 0]

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';

import { joinRoom } from '../web/src/collab/join-room.js';
import { RedisConnection, parseRedisAddress } from './redis-client.mjs';
import { addAsset, addStroke, createRoomDoc, newId, roomParts } from '../web/src/room/room-doc.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Starts `command` and resolves to the first match of `ready` in its standard output.
function startProcess(command, args, ready) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const match = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = ready.exec(out);
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}`)));
  });
  return { child, match };
}

function processStats(child) {
  const rssMB = () => {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  };
  // utime + stime in ms (clock ticks are 10 ms on Linux).
  const cpuMs = () => {
    const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  return { rssMB, cpuMs, stop: () => child.kill() };
}

async function startServerProcess(redis) {
  const rooms = fs.mkdtempSync(path.join(os.tmpdir(), 'huabu-bench-rooms-'));
  const args = [path.join(root, 'tools/serve.mjs'), '--port', '0', '--rooms', rooms, ...(redis ? ['--redis', redis] : [])];
  const { child, match } = startProcess(process.execPath, args, /running at (http:\/\/\S+)/);
  const url = (await match)[1];
  return { serverUrl: `${url.replace(/^http/, 'ws')}collab`, ...processStats(child) };
}

async function startRedisProcess() {
  const port = await new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huabu-bench-redis-'));
  const { child, match } = startProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], /Ready to accept connections/);
  await match;
  return { url: `redis://127.0.0.1:${port}`, ...processStats(child) };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// What Redis holds for one room (its compacted state and its log), and how long merging
// them takes (median of 3), as a compaction does.
async function redisRoom(url, roomId) {
  const connection = new RedisConnection(parseRedisAddress(url));
  await connection.connect();
  try {
    const key = (name) => `huabu:room:{${roomId}}:${name}`;
    const sizes = await Promise.all(['state', 'log'].map((name) => connection.command('MEMORY', 'USAGE', key(name))));
    const state = await connection.command('HGET', key('state'), 'doc');
    const updates = [...(state ? [state] : []), ...await connection.command('LRANGE', key('log'), 0, -1)];
    const times = [0, 1, 2].map(() => {
      const t0 = performance.now();
      Y.mergeUpdates(updates);
      return performance.now() - t0;
    }).sort((a, b) => a - b);
    return { bytes: sizes.reduce((sum, n) => sum + (n ?? 0), 0), entries: updates.length, mergeMs: times[1] };
  } finally {
    connection.close();
  }
}

export async function benchCollab({ peers: peerCount = 20, strokes = 20, instances = 1, imageMB = 0 } = {}) {
  process.setMaxListeners(peerCount + 10); // each provider adds an exit listener
  const redis = instances > 1 ? await startRedisProcess() : null;
  const servers = [];
  const roomId = newId();
  const sentAt = new Map(); // stroke id -> {t0, instance}
  const latencies = [];
  const crossLatencies = []; // sender and receiver on different instances
  const peers = [];
  try {
    // One after the other: each start bundles the web app into the same build/web/.
    for (let i = 0; i < instances; i++) servers.push(await startServerProcess(redis?.url));
    for (let i = 0; i < peerCount; i++) {
      const doc = i === 0 ? createRoomDoc({ roomId }) : new Y.Doc();
      const instance = i % instances;
      const session = joinRoom(doc, { roomId, transports: ['websocket'], serverUrl: servers[instance].serverUrl, WebSocketImpl: WebSocket, user: { id: `p${i}`, name: `peer ${i}` } });
      const seen = new Set();
      doc.getArray('layers').observeDeep((events) => {
        const now = performance.now();
        for (const event of events) {
          if (!(event.target instanceof Y.Array) || event.target === doc.getArray('layers')) continue;
          for (const item of event.changes.added) {
            for (const map of item.content.getContent()) {
              const id = map instanceof Y.Map ? map.get('id') : null;
              if (id && sentAt.has(id) && !seen.has(id)) {
                seen.add(id);
                const sent = sentAt.get(id);
                latencies.push(now - sent.t0);
                if (sent.instance !== instance) crossLatencies.push(now - sent.t0);
              }
            }
          }
        }
      });
      peers.push({ doc, session, seen, instance });
    }
    const synced = () => peers.every((p) => p.session.transports[0].synced && roomParts(p.doc).layers.length === 1);
    for (let t = 0; !synced(); t++) {
      if (t > 3000) throw new Error('peers did not sync');
      await sleep(10);
    }
    const serversRss = () => servers.reduce((sum, s) => sum + s.rssMB(), 0);
    const serversCpu = () => servers.reduce((sum, s) => sum + s.cpuMs(), 0);
    if (imageMB > 0) {
      await addAsset(peers[0].doc, randomBytes(imageMB * 1024 * 1024), { mime: 'image/webp', width: 1024, height: 1024 });
      for (let t = 0; !peers.every((p) => roomParts(p.doc).assets.size === 1); t++) {
        if (t > 6000) throw new Error('the image did not reach every peer');
        await sleep(10);
      }
    }
    const rssBefore = serversRss();
    // CPU actually used while drawing, to tell our cost from waiting for a busy machine.
    const clientCpu = process.cpuUsage();
    const serverCpu = serversCpu();
    const redisCpu = redis?.cpuMs();
    const started = performance.now();

    // Each peer draws `strokes` strokes at random moments over ~2 s.
    const drawing = peers.map(async ({ doc, instance }) => {
      const layerId = roomParts(doc).layers.get(0).get('id');
      for (let s = 0; s < strokes; s++) {
        await sleep(Math.random() * (4000 / strokes));
        const points = Array.from({ length: 60 }, (_, k) => (k % 3 === 2 ? 0.5 : Math.round(Math.random() * 512)));
        const t0 = performance.now();
        const id = addStroke(doc, layerId, { points, colour: '#000000', size: 4 });
        sentAt.set(id, { t0, instance });
      }
    });
    await Promise.all(drawing);
    const expected = sentAt.size * (peerCount - 1);
    for (let t = 0; t < 500 && latencies.length < expected; t++) await sleep(10);
    const wallMs = performance.now() - started;
    const clientCpuMs = (() => { const u = process.cpuUsage(clientCpu); return (u.user + u.system) / 1000; })();
    const serverCpuMs = serversCpu() - serverCpu;
    const sorted = [...latencies].sort((a, b) => a - b);
    const crossSorted = [...crossLatencies].sort((a, b) => a - b);
    const roomKB = Y.encodeStateAsUpdate(peers[0].doc).length / 1024;
    const inRedis = redis ? await redisRoom(redis.url, roomId) : null;
    return {
      instances,
      peers: peerCount,
      strokes: sentAt.size,
      deliveries: latencies.length,
      lost: expected - latencies.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1),
      ...(redis ? { crossDeliveries: crossSorted.length, crossP50: percentile(crossSorted, 50), crossP99: percentile(crossSorted, 99) } : {}),
      serverRssMB: serversRss(), // summed over the instances
      serverRssIdleMB: rssBefore,
      roomKB,
      ...(redis ? { redisRssMB: redis.rssMB(), redisCpuMs: redis.cpuMs() - redisCpu, redisRoomKB: inRedis.bytes / 1024, redisEntries: inRedis.entries, mergeMs: inRedis.mergeMs } : {}),
      wallMs,
      clientCpuMs,
      serverCpuMs,
    };
  } finally {
    for (const p of peers) p.session.leave();
    for (const s of servers) s.stop();
    redis?.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i === -1 ? fallback : Number(process.argv[i + 1]);
  };
  const instances = arg('--instances', 1);
  if (!Number.isInteger(instances) || instances < 1) throw new Error('--instances needs a whole number ≥ 1');
  const imageMB = arg('--image-mb', 0);
  if (!(imageMB >= 0)) throw new Error('--image-mb needs a size in MB ≥ 0');
  const r = await benchCollab({ peers: arg('--peers', 20), strokes: arg('--strokes', 20), instances, imageMB });
  const servers = r.instances > 1 ? `${r.instances} servers sharing the room through Redis` : 'one server';
  console.log(`${servers}: ${r.peers} peers, ${r.strokes} strokes, ${r.deliveries} deliveries, ${r.lost} lost`);
  console.log(`delivery p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms`);
  if (r.instances > 1) console.log(`  between instances (${r.crossDeliveries} deliveries): p50 ${r.crossP50.toFixed(1)} ms, p99 ${r.crossP99.toFixed(1)} ms`);
  console.log(`room state ${r.roomKB.toFixed(0)} KB (Yjs update)${r.instances > 1 ? `, held in Redis in ${r.redisRoomKB.toFixed(0)} KB (${r.redisEntries} entries; merging them takes ${r.mergeMs.toFixed(1)} ms)` : ''}`);
  console.log(`server RSS ${r.serverRssMB.toFixed(1)} MB (${r.serverRssIdleMB.toFixed(1)} MB before drawing)${r.instances > 1 ? `, summed over instances; Redis RSS ${r.redisRssMB.toFixed(1)} MB` : ''}`);
  console.log(`while drawing (${r.wallMs.toFixed(0)} ms): CPU used by the peers ${r.clientCpuMs.toFixed(0)} ms, by the server${r.instances > 1 ? 's' : ''} ${r.serverCpuMs} ms${r.instances > 1 ? `, by Redis ${r.redisCpuMs} ms` : ''}`);
  process.exit(0);
}
