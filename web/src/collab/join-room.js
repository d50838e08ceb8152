// Joining a room: the room document `doc` is kept in sync with everyone else in the room
// through one or more transports, which all speak the Yjs sync protocol:
//   'broadcast'  other tabs of this browser (broadcast-transport.js)
//   'websocket'  other people, through the server `./huabu serve` runs (websocket-transport.js)
//   'host'       other people, through the embedding IM page's own messages (host-transport.js)
// A transport is {kind, connected, connect(), disconnect(), destroy()}.
//
// Join with an empty `new Y.Doc()` for an existing room (docs/room-document.md): the
// transports fill it in.

import { Awareness } from 'y-protocols/awareness';
import { createBroadcastTransport } from './broadcast-transport.js';
import { createHostTransport } from './host-transport.js';
import { createWebsocketTransport } from './websocket-transport.js';
import { setPresence } from './presence.js';
import { checkRoomName } from './room-name.js';

const transportFactories = {
  broadcast: createBroadcastTransport,
  websocket: createWebsocketTransport,
  host: createHostTransport,
};

/**
 * Returns {roomId, awareness, transports, leave()}. Options: roomId, transports (kinds, in
 * order), user {id, name, colour?} for presence, serverUrl and WebSocketImpl (websocket),
 * onStatus(kind, status), onError(kind, error).
 */
export function joinRoom(doc, { roomId, transports = ['broadcast', 'websocket'], user, serverUrl, WebSocketImpl, onStatus = () => {}, onError = () => {} }) {
  checkRoomName(roomId);
  const awareness = new Awareness(doc);
  if (user) setPresence(awareness, user);
  const create = (kind, extra = {}) => {
    const factory = transportFactories[kind];
    if (!factory) throw new RangeError(`unknown transport ${kind}`);
    return factory(doc, awareness, roomId, {
      ...extra,
      serverUrl,
      WebSocketImpl,
      onStatus: (status) => onStatus(kind, status),
      onError: (err) => onError(kind, err),
    });
  };
  const list = transports.map(create);
  for (const transport of list) transport.connect();
  return {
    roomId,
    awareness,
    transports: list,
    /**
     * Adds and connects a transport (e.g. 'websocket' once the room is shared, 'host' with
     * {hostRelay} once the embed bridge is up); idempotent.
     */
    addTransport(kind, extra) {
      const existing = list.find((t) => t.kind === kind);
      if (existing) return existing;
      const transport = create(kind, extra);
      list.push(transport);
      transport.connect();
      return transport;
    },
    leave() {
      awareness.setLocalState(null); // tells the others we left
      for (const transport of list) transport.destroy();
      awareness.destroy();
    },
  };
}
