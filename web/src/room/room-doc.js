// The room document: everything a room holds (chat, canvas scene, image assets) in one Yjs
// document, so that local persistence (y-indexeddb), tabs (BroadcastChannel), a server
// (y-websocket) and a host IM page all sync the same thing. Schema and rules:
// docs/room-document.md. Every change goes through these functions so that the shape stays
// valid; readers must still validate (a peer may run another version).

import * as Y from 'yjs';

import { sha256Hex, toHex } from '../digest.js';

export const roomSchemaVersion = 1;
export const messageKinds = ['text', 'image', 'generation', 'system'];
export const generationStates = ['running', 'done', 'cancelled', 'failed'];
export const itemTypes = ['stroke', 'image'];

/** A fresh id: 16 random bytes as hex. Ids are never reused. */
export function newId() {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}

/** A new, empty room document with one visible layer. */
export function createRoomDoc({ roomId = newId(), title = 'Room', gc = true } = {}) {
  const doc = new Y.Doc({ gc });
  doc.transact(() => {
    const meta = doc.getMap('meta');
    meta.set('id', roomId);
    meta.set('title', title);
    meta.set('schema', roomSchemaVersion);
    addLayer(doc, { name: 'Layer 1' });
  });
  return doc;
}

/** The document's top-level types (created on first access, as Yjs does). */
export function roomParts(doc) {
  return {
    meta: doc.getMap('meta'),
    messages: doc.getArray('messages'), // Y.Map per message, in order
    layers: doc.getArray('layers'), // Y.Map per layer, bottom first
    assets: doc.getMap('assets'), // assetId -> Uint8Array (encoded image bytes)
    assetInfo: doc.getMap('assetInfo'), // assetId -> {mime, width, height, recipe?}
  };
}

function toYMap(fields) {
  const map = new Y.Map();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) map.set(key, value);
  return map;
}

/**
 * Appends a chat message. `author` is {id, name}; kind-specific fields: text (text, system),
 * assetId (image), recipe + state + assetIds (generation). Returns the message id.
 */
export function addMessage(doc, { kind, author, text, assetId, recipe, state, assetIds, createdAt = Date.now() }) {
  if (!messageKinds.includes(kind)) throw new TypeError(`unknown message kind ${kind}`);
  if (kind === 'generation' && !generationStates.includes(state ?? 'running')) {
    throw new TypeError(`unknown generation state ${state}`);
  }
  const id = newId();
  const fields = { id, kind, author, createdAt, text, assetId, recipe };
  if (kind === 'generation') {
    fields.state = state ?? 'running';
    fields.assetIds = Y.Array.from(assetIds ?? []);
  }
  roomParts(doc).messages.push([toYMap(fields)]);
  return id;
}

/** The Y.Map of message `id`, or undefined. */
export function findMessage(doc, id) {
  return roomParts(doc).messages.toArray().find((m) => m.get('id') === id);
}

/** Adds a layer on top (or at `index`); returns its id. */
export function addLayer(doc, { name, visible = true, opacity = 1, index } = {}) {
  const { layers } = roomParts(doc);
  const id = newId();
  const layer = toYMap({ id, name: name ?? `Layer ${layers.length + 1}`, visible, opacity });
  layer.set('items', new Y.Array());
  layers.insert(index ?? layers.length, [layer]);
  return id;
}

export function findLayer(doc, id) {
  return roomParts(doc).layers.toArray().find((l) => l.get('id') === id);
}

/**
 * Adds a stroke to a layer. `points` is a flat array [x, y, pressure, x, y, pressure, ...]
 * in canvas pixels; tool 'brush' paints, 'eraser' erases within its layer.
 */
export function addStroke(doc, layerId, { points, colour, size, tool = 'brush', opacity = 1 }) {
  if (points.length === 0 || points.length % 3 !== 0) throw new TypeError('points must be [x, y, pressure] triples');
  return addItem(doc, layerId, { type: 'stroke', points: Array.from(points), colour, size, tool, opacity });
}

/** Places an asset on a layer at (x, y) with the given size in canvas pixels. */
export function addImageItem(doc, layerId, { assetId, x, y, width, height }) {
  return addItem(doc, layerId, { type: 'image', assetId, x, y, width, height });
}

function addItem(doc, layerId, fields) {
  const layer = findLayer(doc, layerId);
  if (!layer) throw new RangeError(`no layer ${layerId}`);
  const id = newId();
  layer.get('items').push([toYMap({ id, ...fields })]);
  return id;
}

/**
 * Stores encoded image bytes once; the id is the SHA-256 of the bytes, so the same image
 * added twice (or by two peers) is one asset. Returns the asset id.
 */
export async function addAsset(doc, bytes, { mime, width, height, recipe }) {
  const assetId = await sha256Hex(bytes);
  const { assets, assetInfo } = roomParts(doc);
  if (!assets.has(assetId)) {
    doc.transact(() => {
      assets.set(assetId, new Uint8Array(bytes));
      assetInfo.set(assetId, { mime, width, height, ...(recipe ? { recipe } : {}) });
    });
  }
  return assetId;
}

/**
 * Ends or updates a generation message: `state` (one of generationStates) and, for
 * 'failed'/'cancelled', a `text` saying why. `recipe` replaces the message's recipe (the
 * worker's final one names the model version it used).
 */
export function setGenerationState(doc, messageId, { state, text, recipe }) {
  if (!generationStates.includes(state)) throw new TypeError(`unknown generation state ${state}`);
  const message = findMessage(doc, messageId);
  if (message?.get('kind') !== 'generation') throw new RangeError(`no generation message ${messageId}`);
  doc.transact(() => {
    message.set('state', state);
    if (text !== undefined) message.set('text', text);
    if (recipe !== undefined) message.set('recipe', recipe);
  });
}

/** Appends a finished image (an asset id) to a generation message. */
export function addGenerationAsset(doc, messageId, assetId) {
  const message = findMessage(doc, messageId);
  if (message?.get('kind') !== 'generation') throw new RangeError(`no generation message ${messageId}`);
  message.get('assetIds').push([assetId]);
}
