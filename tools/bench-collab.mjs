#!/usr/bin/env node
// Collaboration bench: N peers in one room on loopback, through the real server (tools/
// serve.mjs in a child process, as `./huabu serve` runs it). Every peer draws strokes at
// random moments; each stroke's delivery time to every other peer is measured (same clock:
// the peers share this process). Reports p50/p99 delivery, lost deliveries and the server's
// resident memory.
//
//   node tools/bench-collab.mjs [--peers 20] [--strokes 20]

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';

import { joinRoom } from '../web/src/collab/join-room.js';
import { addStroke, createRoomDoc, newId, roomParts } from '../web/src/room/room-doc.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function startServerProcess() {
  const rooms = fs.mkdtempSync(path.join(os.tmpdir(), 'huabu-bench-rooms-'));
  const child = spawn(process.execPath, [path.join(root, 'tools/serve.mjs'), '--port', '0', '--rooms', rooms], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const rssMB = () => {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  };
  // utime + stime in ms (clock ticks are 10 ms on Linux).
  const cpuMs = () => {
    const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  return { serverUrl: `${url.replace(/^http/, 'ws')}collab`, rssMB, cpuMs, stop: () => child.kill() };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchCollab({ peers: peerCount = 20, strokes = 20 } = {}) {
  process.setMaxListeners(peerCount + 10); // each provider adds an exit listener
  const server = await startServerProcess();
  const roomId = newId();
  const sentAt = new Map(); // stroke id -> ms
  const latencies = [];
  const peers = [];
  try {
    for (let i = 0; i < peerCount; i++) {
      const doc = i === 0 ? createRoomDoc({ roomId }) : new Y.Doc();
      const session = joinRoom(doc, { roomId, transports: ['websocket'], serverUrl: server.serverUrl, WebSocketImpl: WebSocket, user: { id: `p${i}`, name: `peer ${i}` } });
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
                latencies.push(now - sentAt.get(id));
              }
            }
          }
        }
      });
      peers.push({ doc, session, seen });
    }
    const synced = () => peers.every((p) => p.session.transports[0].synced && roomParts(p.doc).layers.length === 1);
    for (let t = 0; !synced(); t++) {
      if (t > 3000) throw new Error('peers did not sync');
      await sleep(10);
    }
    const rssBefore = server.rssMB();
    // CPU actually used while drawing, to tell our cost from waiting for a busy machine.
    const clientCpu = process.cpuUsage();
    const serverCpu = server.cpuMs();
    const started = performance.now();

    // Each peer draws `strokes` strokes at random moments over ~2 s.
    const drawing = peers.map(async ({ doc }) => {
      const layerId = roomParts(doc).layers.get(0).get('id');
      for (let s = 0; s < strokes; s++) {
        await sleep(Math.random() * (4000 / strokes));
        const points = Array.from({ length: 60 }, (_, k) => (k % 3 === 2 ? 0.5 : Math.round(Math.random() * 512)));
        const t0 = performance.now();
        const id = addStroke(doc, layerId, { points, colour: '#000000', size: 4 });
        sentAt.set(id, t0);
      }
    });
    await Promise.all(drawing);
    const expected = sentAt.size * (peerCount - 1);
    for (let t = 0; t < 500 && latencies.length < expected; t++) await sleep(10);
    const wallMs = performance.now() - started;
    const clientCpuMs = (() => { const u = process.cpuUsage(clientCpu); return (u.user + u.system) / 1000; })();
    const serverCpuMs = server.cpuMs() - serverCpu;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      peers: peerCount,
      strokes: sentAt.size,
      deliveries: latencies.length,
      lost: expected - latencies.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1),
      serverRssMB: server.rssMB(),
      serverRssIdleMB: rssBefore,
      wallMs,
      clientCpuMs,
      serverCpuMs,
    };
  } finally {
    for (const p of peers) p.session.leave();
    server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i === -1 ? fallback : Number(process.argv[i + 1]);
  };
  const r = await benchCollab({ peers: arg('--peers', 20), strokes: arg('--strokes', 20) });
  console.log(`${r.peers} peers, ${r.strokes} strokes, ${r.deliveries} deliveries, ${r.lost} lost`);
  console.log(`delivery p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms`);
  console.log(`server RSS ${r.serverRssMB.toFixed(1)} MB (${r.serverRssIdleMB.toFixed(1)} MB before drawing)`);
  console.log(`while drawing (${r.wallMs.toFixed(0)} ms): CPU used by the peers ${r.clientCpuMs.toFixed(0)} ms, by the server ${r.serverCpuMs} ms`);
  process.exit(0);
}
