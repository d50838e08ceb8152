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

/** Everything a room document holds, in comparable form (bytes as hex). */
export function roomContent(doc) {
  const plain = (v) => JSON.stringify(v, (_, x) => (x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x));
  return plain({
    meta: doc.getMap('meta').toJSON(),
    messages: doc.getArray('messages').toJSON(),
    layers: doc.getArray('layers').toJSON(),
    assets: Object.fromEntries([...doc.getMap('assets').entries()].sort()),
    assetInfo: doc.getMap('assetInfo').toJSON(),
  });
}

export function sameState(a, b) {
  return Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b)) && roomContent(a) === roomContent(b);
}
