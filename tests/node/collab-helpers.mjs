// Shared by the collaboration tests: a real collaboration server (tools/collab-server.mjs on
// a plain HTTP server, rooms in a temporary directory), peers joined through the real
// transports, and a wait-until helper.
import fs from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';

import { attachCollabServer } from '../../tools/collab-server.mjs';
import { joinRoom } from '../../web/src/collab/join-room.js';

export async function startCollabServer({ dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huabu-rooms-')) } = {}) {
  const server = createServer((req, res) => res.writeHead(404).end());
  const quiet = { error: () => {} };
  const collab = attachCollabServer(server, { dir, log: quiet });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    dir,
    port,
    serverUrl: `ws://127.0.0.1:${port}/collab`,
    collab,
    async close() {
      await collab.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export function joinPeer(server, roomId, { doc = new Y.Doc(), transports = ['websocket'], name = 'peer' } = {}) {
  const session = joinRoom(doc, {
    roomId,
    transports,
    serverUrl: server?.serverUrl,
    WebSocketImpl: WebSocket,
    user: { id: `${name}-${doc.clientID}`, name },
  });
  return { doc, session, transport: (kind) => session.transports.find((t) => t.kind === kind) };
}

export async function waitFor(condition, { timeout = 10_000, what = 'condition' } = {}) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// JSON with object keys sorted: a Y.Map's key order is the order keys reached this peer.
function canonical(value) {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
  }
  return value;
}

/** Everything a room document holds, in comparable form (bytes as hex, keys sorted). */
export function roomContent(doc) {
  return JSON.stringify(canonical({
    meta: doc.getMap('meta').toJSON(),
    messages: doc.getArray('messages').toJSON(),
    layers: doc.getArray('layers').toJSON(),
    assets: Object.fromEntries(doc.getMap('assets').entries()),
    assetInfo: doc.getMap('assetInfo').toJSON(),
  }));
}

export function sameState(a, b) {
  // Cheap test first: different state vectors mean different documents.
  if (Buffer.compare(Y.encodeStateVector(a), Y.encodeStateVector(b)) !== 0) return false;
  return Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b)) && roomContent(a) === roomContent(b);
}
