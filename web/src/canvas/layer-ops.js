// Changes to the canvas scene in the room document (layers, items, size), and validated
// reads of it. Callers wrap changes in doc.transact(fn, origin) so that the canvas's undo
// manager sees them as one step. Adding layers, strokes and images is in room/room-doc.js.
// Readers validate: a peer may run another version of Huabu.

import * as Y from 'yjs';

import { addImageItem, addLayer, findLayer, roomParts } from '../room/room-doc.js';

export const defaultSceneSize = { width: 512, height: 512 };
export const maxSceneEdge = 4096;
const maxLayerName = 60;

const isEdge = (v) => Number.isInteger(v) && v >= 1 && v <= maxSceneEdge;
const isFiniteNumber = (v) => typeof v === 'number' && Number.isFinite(v);

/** The scene size in canvas pixels (meta width/height; 512×512 when unset or invalid). */
export function sceneSize(doc) {
  const { meta } = roomParts(doc);
  const width = meta.get('width');
  const height = meta.get('height');
  return isEdge(width) && isEdge(height) ? { width, height } : { ...defaultSceneSize };
}

/** Throws a RangeError with a clear message unless the scene can be `width`×`height`. */
export function checkSceneSize({ width, height }) {
  if (!isEdge(width) || !isEdge(height)) {
    throw new RangeError(`A ${width}×${height} picture is too large for the canvas: it takes up to ${maxSceneEdge}×${maxSceneEdge} pixels.`);
  }
}

export function setSceneSize(doc, { width, height }) {
  checkSceneSize({ width, height });
  const { meta } = roomParts(doc);
  meta.set('width', width);
  meta.set('height', height);
}

/** A layer's properties, validated: {id, name, visible, opacity}. */
export function readLayer(layer) {
  const opacity = layer.get('opacity');
  return {
    id: String(layer.get('id')),
    name: typeof layer.get('name') === 'string' ? layer.get('name') : 'Layer',
    visible: layer.get('visible') !== false,
    opacity: isFiniteNumber(opacity) ? Math.min(1, Math.max(0, opacity)) : 1,
  };
}

/** An item as a plain object, or null when it is not a valid stroke or image. */
export function readItem(item) {
  if (!(item instanceof Y.Map)) return null;
  const type = item.get('type');
  if (type === 'stroke') {
    const points = item.get('points');
    const size = item.get('size');
    if (!Array.isArray(points) || points.length < 3 || points.length % 3 !== 0 || !points.every(isFiniteNumber)) return null;
    if (!isFiniteNumber(size) || size <= 0) return null;
    const colour = item.get('colour');
    const opacity = item.get('opacity');
    return {
      type,
      id: item.get('id'),
      points,
      size: Math.min(size, 1024),
      colour: /^#[0-9a-fA-F]{6}$/.test(colour) ? colour : '#000000',
      tool: item.get('tool') === 'eraser' ? 'eraser' : 'brush',
      opacity: isFiniteNumber(opacity) ? Math.min(1, Math.max(0, opacity)) : 1,
    };
  }
  if (type === 'image') {
    const [x, y, width, height] = ['x', 'y', 'width', 'height'].map((k) => item.get(k));
    if (![x, y, width, height].every(isFiniteNumber) || width <= 0 || height <= 0) return null;
    const assetId = item.get('assetId');
    if (typeof assetId !== 'string') return null;
    return { type, id: item.get('id'), assetId, x, y, width, height };
  }
  return null;
}

function layerIndex(doc, id) {
  const index = roomParts(doc).layers.toArray().findIndex((l) => l.get('id') === id);
  if (index < 0) throw new RangeError(`no layer ${id}`);
  return index;
}

/** Sets a layer's name, visibility and/or opacity (names trimmed; opacity clamped to 0..1). */
export function updateLayer(doc, id, { name, visible, opacity }) {
  const layer = roomParts(doc).layers.get(layerIndex(doc, id));
  if (name !== undefined) {
    const trimmed = String(name).trim().slice(0, maxLayerName);
    if (trimmed) layer.set('name', trimmed);
  }
  if (visible !== undefined) layer.set('visible', Boolean(visible));
  if (opacity !== undefined && isFiniteNumber(opacity)) layer.set('opacity', Math.min(1, Math.max(0, opacity)));
}

/**
 * Moves a layer to `toIndex` (0 = bottom). Yjs arrays cannot move an element, so the layer
 * is replaced by a deep copy with the same id; an undo restores the original.
 */
export function moveLayer(doc, id, toIndex) {
  const { layers } = roomParts(doc);
  const from = layerIndex(doc, id);
  const to = Math.min(layers.length - 1, Math.max(0, toIndex));
  if (from === to) return;
  const copy = layers.get(from).clone();
  layers.delete(from, 1);
  layers.insert(to, [copy]);
}

/** Deletes a layer (undoable through the undo manager). The last layer cannot be deleted. */
export function removeLayer(doc, id) {
  const { layers } = roomParts(doc);
  if (layers.length <= 1) throw new RangeError('the last layer cannot be deleted');
  layers.delete(layerIndex(doc, id), 1);
}

/** Removes every item of a layer. */
export function clearLayer(doc, id) {
  const items = findLayer(doc, id)?.get('items');
  if (items?.length) items.delete(0, items.length);
}

function findItem(doc, layerId, itemId) {
  const items = findLayer(doc, layerId)?.get('items');
  const index = items ? items.toArray().findIndex((i) => i.get('id') === itemId) : -1;
  if (index < 0) throw new RangeError(`no item ${itemId} on layer ${layerId}`);
  return { items, index };
}

/** Moves or resizes an image item: any of x, y, width, height. */
export function placeItem(doc, layerId, itemId, rect) {
  const { items, index } = findItem(doc, layerId, itemId);
  const item = items.get(index);
  for (const key of ['x', 'y', 'width', 'height']) {
    if (isFiniteNumber(rect[key])) item.set(key, rect[key]);
  }
}

export function removeItem(doc, layerId, itemId) {
  const { items, index } = findItem(doc, layerId, itemId);
  items.delete(index, 1);
}

/**
 * Makes the scene one image: the size becomes the image's, every layer is removed and one
 * layer holds the image at 1:1. Returns the new layer's id. One undo brings the old scene back.
 */
export function replaceScene(doc, { assetId, width, height, name = 'Image' }) {
  setSceneSize(doc, { width, height });
  const { layers } = roomParts(doc);
  layers.delete(0, layers.length);
  const layerId = addLayer(doc, { name });
  addImageItem(doc, layerId, { assetId, x: 0, y: 0, width, height });
  return layerId;
}

/** True when no layer has any item: a blank canvas. */
export function sceneIsEmpty(doc) {
  return roomParts(doc).layers.toArray().every((l) => !(l.get('items')?.length > 0));
}
