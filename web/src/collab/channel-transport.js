// A transport over any message channel that carries bytes both ways to every other member
// of the room (a BroadcastChannel between tabs, a host IM app's own messages): the Yjs sync
// and awareness messages of sync-messages.js, as the server speaks them. Each member holds
// the whole document, so anyone who joins catches up from the others.

import * as awarenessProtocol from 'y-protocols/awareness';
import { awarenessMessage, handleMessage, leftMessage, queryAwareness, refreshAwareness, syncStep1, syncStep2, syncUpdate } from './sync-messages.js';

/**
 * @param {import('yjs').Doc} doc
 * @param {import('y-protocols/awareness').Awareness} awareness
 * @param {{kind: string, open: (onMessage: (bytes: unknown) => void) => {post(bytes: Uint8Array): void, close(): void},
 *   onStatus?: (status: string) => void, onError?: (err: Error) => void}} options
 */
export function createChannelTransport(doc, awareness, { kind, open, onStatus = () => {}, onError = () => {} }) {
  let channel = null;
  const origin = { transport: kind }; // marks changes that arrived through this channel
  const remoteClients = new Set();

  const post = (bytes) => channel?.post(bytes);
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
  const onMessage = (data) => {
    try {
      if (!(data instanceof Uint8Array)) throw new TypeError('not a Huabu sync message');
      const reply = handleMessage(data, { doc, awareness, origin });
      if (reply) post(reply);
    } catch (err) {
      onError(err); // one bad message from another member must not stop the room
    }
  };

  return {
    kind,
    get connected() {
      return channel !== null;
    },
    connect() {
      if (channel) return;
      channel = open(onMessage);
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
      post(leftMessage(awareness)); // the others stop showing us at once
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
