// Transport between tabs of one browser: a BroadcastChannel per room, carrying the same
// sync/awareness messages as the server. No server involved; each tab holds the whole
// document, so any tab that opens the room catches up from the others.

import * as awarenessProtocol from 'y-protocols/awareness';
import { awarenessMessage, handleMessage, leftMessage, queryAwareness, refreshAwareness, syncStep1, syncStep2, syncUpdate } from './sync-messages.js';

export function createBroadcastTransport(doc, awareness, roomId, { onStatus = () => {}, onError = () => {} } = {}) {
  let channel = null;
  const origin = { transport: 'broadcast' }; // marks changes that arrived through this channel
  const remoteClients = new Set();

  const post = (bytes) => channel?.postMessage(bytes);
  const onDocUpdate = (update, from) => {
    if (from !== origin) post(syncUpdate(update));
  };
  const onAwarenessUpdate = ({ added, updated, removed }, from) => {
    if (from === origin) {
      for (const id of added) remoteClients.add(id);
      for (const id of removed) remoteClients.delete(id);
      return;
    }
    post(awarenessMessage(awareness, [...added, ...updated, ...removed]));
  };
  const onMessage = ({ data }) => {
    try {
      if (!(data instanceof Uint8Array)) throw new TypeError('not a Huabu sync message');
      const reply = handleMessage(data, { doc, awareness, origin });
      if (reply) post(reply);
    } catch (err) {
      onError(err); // one bad message from another tab must not stop the room
    }
  };

  return {
    kind: 'broadcast',
    get connected() {
      return channel !== null;
    },
    connect() {
      if (channel) return;
      channel = new BroadcastChannel(`huabu-room:${roomId}`);
      channel.addEventListener('message', onMessage);
      doc.on('update', onDocUpdate);
      awareness.on('update', onAwarenessUpdate);
      // Ask the others for what we lack, and give them what we have (offline edits included).
      post(syncStep1(doc));
      post(syncStep2(doc));
      post(queryAwareness());
      refreshAwareness(awareness); // posts our state through onAwarenessUpdate
      onStatus('connected');
    },
    disconnect() {
      if (!channel) return;
      doc.off('update', onDocUpdate);
      awareness.off('update', onAwarenessUpdate);
      post(leftMessage(awareness)); // the other tabs stop showing us at once
      channel.close();
      channel = null;
      awarenessProtocol.removeAwarenessStates(awareness, [...remoteClients], origin);
      remoteClients.clear();
      onStatus('disconnected');
    },
    destroy() {
      this.disconnect();
    },
  };
}
