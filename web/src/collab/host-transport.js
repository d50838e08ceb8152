// Transport through the host IM app (docs/embedding.md, "Rooms without a Huabu server"): when
// Huabu is embedded, the host page carries the room's sync messages in its own chat messages
// (the 'relay' event out, the 'relay' command in), so no Huabu server is needed.

import { createChannelTransport } from './channel-transport.js';

/** `hostRelay.open(onMessage)` -> {post(bytes), close()}: the embed bridge's side. */
export function createHostTransport(doc, awareness, roomId, { hostRelay, onStatus, onError } = {}) {
  if (!hostRelay) throw new TypeError('the host transport needs the embed bridge (hostRelay)');
  return createChannelTransport(doc, awareness, { kind: 'host', onStatus, onError, open: (onMessage) => hostRelay.open(onMessage) });
}
