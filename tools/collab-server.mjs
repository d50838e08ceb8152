// The collaboration server: rooms synced between browsers over WebSocket with the Yjs
// protocol, served by @y/websocket-server (the y-websocket reference server) on the app's own
// HTTP server at /collab/<room>, rooms persisted by collab-room-store.mjs.
//
// @y/websocket-server keeps its rooms and persistence in module state, so one process runs
// one collaboration server (tools/serve.mjs starts exactly one).

import { WebSocketServer } from 'ws';
import { docs, setPersistence, setupWSConnection } from '@y/websocket-server/utils';
import { isValidRoomName } from '../web/src/collab/room-name.js';
import { createRoomStore } from './collab-room-store.mjs';

// An initial sync carries the room's images, so a frame may be large; beyond this, refuse.
const maxMessageBytes = 64 << 20;

function refuse(socket, status, text) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Serves /collab/<room> upgrades on `httpServer`, persisting rooms to `dir`. Browsers must
 * come from the server's own origin (cross-site pages may not join rooms on a user's
 * behalf). Returns {store, close()}.
 */
export function attachCollabServer(httpServer, { dir, log = console }) {
  const store = createRoomStore(dir, { log });
  setPersistence(store);
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
      setupWSConnection(ws, req, { docName: match[1] });
    });
  });

  return {
    store,
    /** Disconnects everyone and writes every open room to disk. */
    async close() {
      const open = [...docs.values()];
      for (const ws of wss.clients) ws.terminate();
      await Promise.all(open.map((doc) => store.writeState(doc.name, doc)));
      docs.clear();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}
