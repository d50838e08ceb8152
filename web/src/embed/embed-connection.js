// The host page's side of the embed API (re-exported by the SDK, huabu-embed.js): talks to
// Huabu in an iframe at a known origin. Commands return promises of Huabu's reply; events reach the
// listeners registered with on(). Messages from anywhere but that iframe at that origin, and
// messages that do not match the schema, are dropped.
//
//   import { connectHuabu } from './huabu-embed.js';
//   const huabu = connectHuabu(iframe, { origin: 'https://huabu.example' });
//   huabu.on('image-created', ({ assetId, width, height }) => ...);
//   await huabu.ready;
//   const { value } = await huabu.send('export', { mime: 'image/png' });

import { checkAllowedOrigin, embedMessage, isEmbedMessage } from './embed-protocol.js';

export function connectHuabu(iframe, { origin, win = window, timeout = 60_000 }) {
  checkAllowedOrigin(origin);
  const pending = new Map();
  const listeners = new Map();
  let resolveReady;
  const ready = new Promise((resolve) => { resolveReady = resolve; });
  let counter = 0;

  const onMessage = (event) => {
    if (event.origin !== origin || event.source !== iframe.contentWindow) return;
    const data = event.data;
    if (isEmbedMessage(data, 'reply')) {
      const waiter = pending.get(data.id);
      if (!waiter) return;
      pending.delete(data.id);
      clearTimeout(waiter.timer);
      if (data.type === 'ok') waiter.resolve(data.payload);
      else waiter.reject(new Error(data.payload.message));
    } else if (isEmbedMessage(data, 'event')) {
      if (data.type === 'ready') resolveReady(data.payload);
      for (const listener of listeners.get(data.type) ?? []) listener(data.payload);
    }
  };
  win.addEventListener('message', onMessage);

  return {
    ready,
    /** Sends a command; resolves to {value?}, rejects with Huabu's error message or a TypeError for a malformed command. */
    send(type, payload) {
      const id = `c${++counter}-${Date.now().toString(36)}`;
      return new Promise((resolve, reject) => {
        const message = embedMessage('command', type, payload, id); // a bad command rejects here
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`Huabu did not answer ${type} within ${timeout} ms`));
        }, timeout);
        pending.set(id, { resolve, reject, timer });
        iframe.contentWindow.postMessage(message, origin);
      });
    },
    on(type, listener) {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type).add(listener);
      return () => listeners.get(type).delete(listener);
    },
    close() {
      win.removeEventListener('message', onMessage);
      for (const { reject, timer } of pending.values()) {
        clearTimeout(timer);
        reject(new Error('closed'));
      }
      pending.clear();
    },
  };
}
