// Huabu's side of the embed API, running in the iframe: commands from the host page are
// accepted only from the parent window at an allowed origin (exact match; never '*'),
// validated, run by `handlers`, and answered to that origin. Events go to the parent at
// each allowed origin (the browser delivers only to the one it really has).

import { checkAllowedOrigin, embedMessage, embedMessageProblem, embedProtocolVersion } from './embed-protocol.js';

/**
 * Starts listening; returns {emit(type, payload)} or null when Huabu is not in a frame or
 * no origin is allowed. `handlers[type](payload)` -> value (a plain object) or throws.
 */
export function startEmbedBridge({ allowedOrigins, handlers, win = window }) {
  const origins = new Set(allowedOrigins.map(checkAllowedOrigin));
  if (origins.size === 0 || win.parent === win) return null;
  const parent = win.parent;

  const emit = (type, payload) => {
    const message = embedMessage('event', type, payload);
    for (const origin of origins) parent.postMessage(message, origin);
  };

  win.addEventListener('message', async (event) => {
    if (event.source !== parent || !origins.has(event.origin)) return; // not our host: ignore
    const problem = embedMessageProblem(event.data, 'command');
    if (problem) {
      parent.postMessage(embedMessage('event', 'error', { message: `Huabu ignored a message: ${problem}.` }), event.origin);
      return;
    }
    const { type, id, payload } = event.data;
    let reply;
    try {
      const value = await handlers[type](payload);
      reply = embedMessage('reply', 'ok', value === undefined ? {} : { value }, id);
    } catch (err) {
      reply = embedMessage('reply', 'error', { message: String(err?.message ?? err).slice(0, 2000) }, id);
    }
    parent.postMessage(reply, event.origin);
  });

  emit('ready', { version: embedProtocolVersion });
  return { emit };
}
