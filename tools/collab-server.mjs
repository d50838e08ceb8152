// The collaboration server: rooms synced between browsers over WebSocket with the Yjs
// protocol, served by @y/websocket-server (the y-websocket reference server) on the app's own
// HTTP server at /collab/<room>, rooms persisted by collab-room-store.mjs.
//
// @y/websocket-server keeps its rooms and persistence in module state, so one process runs
// one collaboration server (tools/serve.mjs starts exactly one). Several processes can share
// rooms through Redis (`shared`, tools/redis-rooms.mjs; docs/scaling.md).

import { WebSocketServer } from 'ws';
import { docs, getYDoc, setPersistence, setupWSConnection } from '@y/websocket-server/utils';
import { isValidRoomName } from '../web/src/collab/room-name.js';
import { createRoomStore } from './collab-room-store.mjs';

// An initial sync carries the room's images, so a frame may be large; beyond this, refuse.
const maxMessageBytes = 64 << 20;

function refuse(socket, status, text) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

// With Redis, a client's first sync waits until this instance has caught up with the room
// (else it would be told the room is empty and get the rest a moment later). What the client
// sends meanwhile is held and replayed.
async function setupWhenLoaded(ws, req, room, shared) {
  const held = [];
  const hold = (...message) => held.push(message);
  ws.on('message', hold);
  getYDoc(room); // opens the room, which starts its catch-up
  await shared.loaded(room);
  ws.off('message', hold);
  // Also when the socket closed meanwhile: the library then closes the room if it is empty.
  setupWSConnection(ws, req, { docName: room });
  for (const message of held) ws.emit('message', ...message);
}

/**
 * Serves /collab/<room> upgrades on `httpServer`, persisting rooms to `dir`, and sharing them
 * with other instances through `shared` (from connectRedisRooms) when given. Browsers must
 * come from the server's own origin (cross-site pages may not join rooms on a user's
 * behalf). Returns {store, close()}.
 */
export function attachCollabServer(httpServer, { dir, log = console, shared = null }) {
  const store = createRoomStore(dir, { log });
  setPersistence(shared ? {
    bindState(room, doc) {
      store.bindState(room, doc);
      shared.bind(room, doc);
    },
    async writeState(room, doc) {
      await store.writeState(room, doc);
      shared.unbind(room);
    },
  } : store);
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });

  httpServer.on('upgrade', (req, socket, head) => {
    const match = /^\/collab\/([^/?#]*)$/.exec(req.url.split('?')[0]);
    if (!match) return refuse(socket, 404, 'Not Found');
    if (!isValidRoomName(match[1])) return refuse(socket, 400, 'Bad Request');
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host}` && origin !== `https://${req.headers.host}`) {
      return refuse(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Stray errors on one socket (a client sending garbage) close that socket only.
      ws.on('error', () => ws.terminate());
      if (shared) setupWhenLoaded(ws, req, match[1], shared);
      else setupWSConnection(ws, req, { docName: match[1] });
    });
  });

  return {
    store,
    /** Disconnects everyone, writes every open room to disk and leaves Redis. */
    async close() {
      const open = [...docs.values()];
      for (const ws of wss.clients) ws.terminate();
      await Promise.all(open.map((doc) => store.writeState(doc.name, doc)));
      docs.clear();
      await shared?.close();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}
