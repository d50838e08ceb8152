// Convergence fuzz: for each of 50 seeds, 4 peers edit one room with 200 random operations
// (chat messages, generations with assets, layers, strokes, image items, deletions, layer
// settings) while randomly dropping off and reconnecting, through the real collaboration
// server; two of the peers are also "tabs" linked by BroadcastChannel. At the end every
// peer and the server hold the identical document, every item made is there unless it was
// deliberately deleted, and nothing deleted came back.
import assert from 'node:assert/strict';
import test from 'node:test';
import { docs as serverDocs } from '@y/websocket-server/utils';
import * as Y from 'yjs';

import {
  addAsset, addImageItem, addLayer, addMessage, addStroke, createRoomDoc, findMessage, roomParts,
} from '../../web/src/room/room-doc.js';
import { joinPeer, sameState, startCollabServer, waitFor } from './collab-helpers.mjs';

const seeds = Number(process.env.SEEDS ?? 50);
const operations = 200;
const peerCount = 4;

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function roomIdFor(seed) {
  return `fuzz-${String(seed).padStart(4, '0')}-${Date.now().toString(36)}`.padEnd(16, '0');
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

async function runSeed(server, seed) {
  const started = performance.now();
  const rand = rng(seed);
  const roomId = roomIdFor(seed);
  const made = { messages: new Set(), layers: new Set(), items: new Set(), assets: new Set() };
  const deleted = new Set();
  const peers = [];
  for (let i = 0; i < peerCount; i++) {
    peers.push(joinPeer(server, roomId, {
      doc: i === 0 ? createRoomDoc({ roomId }) : undefined,
      transports: i >= 2 ? ['websocket', 'broadcast'] : ['websocket'],
      name: `peer${i}`,
    }));
  }
  made.layers.add(roomParts(peers[0].doc).layers.get(0).get('id'));
  const author = (i) => ({ id: `p${i}`, name: `peer ${i}` });

  for (let op = 0; op < operations; op++) {
    const i = Math.floor(rand() * peerCount);
    const { doc } = peers[i];
    const parts = roomParts(doc);
    const r = rand();
    // Connection churn: each peer's transports drop and come back independently.
    if (r < 0.08) {
      const transport = pick(rand, peers[i].session.transports);
      if (transport.connected) transport.disconnect();
      else transport.connect();
      continue;
    }
    const layers = parts.layers.toArray();
    if (r < 0.3) {
      made.messages.add(addMessage(doc, { kind: 'text', author: author(i), text: `m${seed}.${op}` }));
    } else if (r < 0.4) {
      const bytes = new Uint8Array(8 + Math.floor(rand() * 64)).map(() => Math.floor(rand() * 256));
      const id = addMessage(doc, { kind: 'generation', author: author(i), recipe: { prompt: `p${op}`, seed: op }, state: 'running' });
      made.messages.add(id);
      const assetId = await addAsset(doc, bytes, { mime: 'image/webp', width: 8, height: 8 });
      made.assets.add(assetId);
      doc.transact(() => {
        findMessage(doc, id).get('assetIds').push([assetId]);
        findMessage(doc, id).set('state', 'done');
      });
      if (layers.length > 0) made.items.add(addImageItem(doc, pick(rand, layers).get('id'), { assetId, x: op, y: 0, width: 8, height: 8 }));
    } else if (r < 0.45) {
      made.layers.add(addLayer(doc, { name: `L${op}` }));
    } else if (layers.length === 0) {
      continue; // this peer has not received the first layer yet
    } else if (r < 0.8) {
      const points = Array.from({ length: 3 * (1 + Math.floor(rand() * 5)) }, (_, k) => (k % 3 === 2 ? rand() : Math.round(rand() * 512)));
      made.items.add(addStroke(doc, pick(rand, layers).get('id'), { points, colour: '#112233', size: 1 + Math.floor(rand() * 9) }));
    } else if (r < 0.9) {
      const items = pick(rand, layers).get('items');
      if (items.length > 0) {
        const index = Math.floor(rand() * items.length);
        deleted.add(items.get(index).get('id'));
        items.delete(index, 1);
      }
    } else {
      const layer = pick(rand, layers);
      if (rand() < 0.5) layer.set('opacity', Math.round(rand() * 100) / 100);
      else layer.set('visible', rand() < 0.5);
    }
    // Let messages flow now and then, so peers edit on top of each other's changes.
    if (rand() < 0.3) await new Promise((resolve) => (rand() < 0.9 ? setImmediate(resolve) : setTimeout(resolve, 2)));
  }

  const opsDone = performance.now();
  for (const { session } of peers) for (const t of session.transports) if (!t.connected) t.connect();
  const serverDoc = () => serverDocs.get(roomId);
  try {
    await waitFor(() => peers.every((p) => sameState(p.doc, peers[0].doc)) && serverDoc() && sameState(serverDoc(), peers[0].doc),
      { timeout: 20_000, what: `convergence, seed ${seed}` }).catch((err) => {
      // Say who disagrees: transports and state vectors of every peer and the server.
      const vector = (d) => JSON.stringify(Object.fromEntries(Y.decodeStateVector(Y.encodeStateVector(d))));
      for (const p of peers) console.log(p.session.transports.map((t) => `${t.kind}:${t.connected}`).join(','), vector(p.doc));
      console.log('server', serverDoc() ? vector(serverDoc()) : 'has no copy');
      throw err;
    });
    if (process.env.TIMING) console.log(`seed ${seed}: ops ${(opsDone - started).toFixed(0)} ms, converge ${(performance.now() - opsDone).toFixed(0)} ms`);

    const final = roomParts(peers[0].doc);
    const ids = (array) => new Set(array.toArray().map((m) => m.get('id')));
    const items = new Set(final.layers.toArray().flatMap((l) => l.get('items').toArray().map((m) => m.get('id'))));
    assert.deepEqual(ids(final.messages), made.messages, `seed ${seed}: messages`);
    assert.deepEqual(ids(final.layers), made.layers, `seed ${seed}: layers`);
    assert.deepEqual(items, new Set([...made.items].filter((id) => !deleted.has(id))), `seed ${seed}: items`);
    assert.deepEqual(new Set(final.assets.keys()), made.assets, `seed ${seed}: assets`);
    for (const m of final.messages) if (m.get('kind') === 'generation') assert.equal(m.get('state'), 'done');
  } finally {
    for (const p of peers) p.session.leave(); // their reconnect timers would keep Node alive
  }
}

test(`${seeds} seeds × ${operations} operations × ${peerCount} peers with disconnects converge, nothing lost`, async () => {
  const server = await startCollabServer();
  try {
    for (let seed = 1; seed <= seeds; seed++) await runSeed(server, seed);
  } finally {
    await server.close();
  }
});
