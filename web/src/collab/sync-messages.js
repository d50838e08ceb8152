// The Yjs sync and awareness messages, framed as y-websocket frames them (a varint message
// type, then the y-protocols payload), so every transport speaks the same protocol as the
// server.

import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';

export const messageSync = 0;
export const messageAwareness = 1;
export const messageQueryAwareness = 3;

function frame(type, write) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const syncStep1 = (doc) => frame(messageSync, (e) => syncProtocol.writeSyncStep1(e, doc));
export const syncStep2 = (doc) => frame(messageSync, (e) => syncProtocol.writeSyncStep2(e, doc));
export const syncUpdate = (update) => frame(messageSync, (e) => syncProtocol.writeUpdate(e, update));
export const awarenessMessage = (awareness, clients, states) =>
  frame(messageAwareness, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients, states)));
/** Tells the others that this client left (its state encoded as null). */
export const leftMessage = (awareness) => awarenessMessage(awareness, [awareness.clientID], new Map());
export const queryAwareness = () => frame(messageQueryAwareness, () => {});

/**
 * Applies one incoming message to `doc`/`awareness` (with `origin` as the transaction
 * origin, so the transport does not echo it back) and returns the reply to send, if any.
 */
export function handleMessage(bytes, { doc, awareness, origin }) {
  const decoder = decoding.createDecoder(bytes);
  const type = decoding.readVarUint(decoder);
  if (type === messageSync) {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageSync);
    syncProtocol.readSyncMessage(decoder, encoder, doc, origin);
    return encoding.length(encoder) > 1 ? encoding.toUint8Array(encoder) : null;
  }
  if (type === messageAwareness) {
    awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), origin);
    return null;
  }
  if (type === messageQueryAwareness) {
    return awarenessMessage(awareness, Array.from(awareness.getStates().keys()));
  }
  throw new RangeError(`unknown collaboration message type ${type}`);
}

/**
 * Call when a transport (re)connects. Awareness ignores a state whose clock it has seen,
 * even if it dropped that state on disconnect, so without this a reconnecting peer would
 * not see the others (nor they it) until their next 15-second renewal: forget the clocks
 * of peers no longer present, and re-announce our own state with a new clock.
 */
export function refreshAwareness(awareness) {
  for (const clientId of [...awareness.meta.keys()]) {
    if (clientId !== awareness.clientID && !awareness.states.has(clientId)) awareness.meta.delete(clientId);
  }
  const local = awareness.getLocalState();
  if (local !== null) awareness.setLocalState(local);
}
