// Transport between tabs of one browser: a BroadcastChannel per room (channel-transport.js).
// No server involved.

import { createChannelTransport } from './channel-transport.js';

export function createBroadcastTransport(doc, awareness, roomId, { onStatus, onError } = {}) {
  return createChannelTransport(doc, awareness, {
    kind: 'broadcast',
    onStatus,
    onError,
    open(onMessage) {
      const channel = new BroadcastChannel(`huabu-room:${roomId}`);
      channel.addEventListener('message', ({ data }) => onMessage(data));
      return { post: (bytes) => channel.postMessage(bytes), close: () => channel.close() };
    },
  });
}
