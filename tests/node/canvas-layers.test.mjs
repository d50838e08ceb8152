// The canvas scene in a real Y.Doc: layer operations (layer-ops.js), validated reads, and
// per-person undo (scene-undo.js) across two synced peers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as Y from 'yjs';

import {
  checkSceneSize, clearLayer, moveLayer, placeItem, readItem, readLayer, removeItem, removeLayer, replaceScene,
  sceneIsEmpty, sceneSize, setSceneSize, updateLayer,
} from '../../web/src/canvas/layer-ops.js';
import { createSceneUndo } from '../../web/src/canvas/scene-undo.js';
import { addImageItem, addLayer, addStroke, createRoomDoc, findLayer, roomParts } from '../../web/src/room/room-doc.js';

const me = Symbol('me');
const layerIds = (doc) => roomParts(doc).layers.toArray().map((l) => l.get('id'));
const layerNames = (doc) => roomParts(doc).layers.toArray().map((l) => l.get('name'));
const itemCount = (doc, id) => findLayer(doc, id).get('items').length;
const stroke = (x) => ({ points: [x, 0, 0.5, x + 10, 10, 0.5], colour: '#ff0000', size: 4 });

/** Two documents that exchange every update, as peers do. */
function peers() {
  const a = createRoomDoc();
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  a.on('update', (u, origin) => { if (origin !== 'remote') Y.applyUpdate(b, u, 'remote'); });
  b.on('update', (u, origin) => { if (origin !== 'remote') Y.applyUpdate(a, u, 'remote'); });
  return [a, b];
}

test('scene size defaults to 512×512 and refuses sizes the canvas cannot take', () => {
  const doc = createRoomDoc();
  assert.deepEqual(sceneSize(doc), { width: 512, height: 512 });
  setSceneSize(doc, { width: 640, height: 480 });
  assert.deepEqual(sceneSize(doc), { width: 640, height: 480 });
  assert.throws(() => checkSceneSize({ width: 4097, height: 10 }), /4097×10 picture is too large.*4096×4096/);
  assert.throws(() => setSceneSize(doc, { width: 0, height: 10 }), RangeError);
  roomParts(doc).meta.set('width', 'huge'); // a peer's bad value reads as the default
  assert.deepEqual(sceneSize(doc), { width: 512, height: 512 });
});

test('layers: rename, hide, opacity (clamped), reorder keeps content, delete keeps the last one', () => {
  const doc = createRoomDoc();
  const [bottom] = layerIds(doc);
  const top = addLayer(doc, { name: 'Ink' });
  addStroke(doc, bottom, stroke(1));
  updateLayer(doc, bottom, { name: '  Sketch  ', visible: false, opacity: 7 });
  assert.deepEqual(readLayer(findLayer(doc, bottom)), { id: bottom, name: 'Sketch', visible: false, opacity: 1 });
  updateLayer(doc, bottom, { name: '   ', opacity: 0.25 }); // a blank name is ignored
  assert.equal(readLayer(findLayer(doc, bottom)).name, 'Sketch');
  assert.equal(readLayer(findLayer(doc, bottom)).opacity, 0.25);

  moveLayer(doc, bottom, 1);
  assert.deepEqual(layerIds(doc), [top, bottom]);
  assert.equal(itemCount(doc, bottom), 1, 'the moved layer keeps its strokes');
  assert.equal(readLayer(findLayer(doc, bottom)).visible, false);

  removeLayer(doc, top);
  assert.deepEqual(layerIds(doc), [bottom]);
  assert.throws(() => removeLayer(doc, bottom), /last layer/);
});

test('items: validated reads, move/scale an image, remove, clear; empty scene detection', () => {
  const doc = createRoomDoc();
  const [layer] = layerIds(doc);
  assert.equal(sceneIsEmpty(doc), true);
  const strokeId = addStroke(doc, layer, stroke(5));
  const imageId = addImageItem(doc, layer, { assetId: 'abc', x: 1, y: 2, width: 30, height: 20 });
  assert.equal(sceneIsEmpty(doc), false);
  placeItem(doc, layer, imageId, { x: 11, y: 12, width: 60, height: 40 });
  const [s, i] = findLayer(doc, layer).get('items').toArray().map(readItem);
  assert.deepEqual(i, { type: 'image', id: imageId, assetId: 'abc', x: 11, y: 12, width: 60, height: 40 });
  assert.equal(s.tool, 'brush');
  assert.equal(s.opacity, 1);

  // A peer's malformed items read as null (not drawn) instead of breaking the canvas.
  const bad = new Y.Map();
  findLayer(doc, layer).get('items').push([bad]);
  bad.set('type', 'stroke');
  bad.set('points', [1, 2]);
  bad.set('size', 3);
  assert.equal(readItem(bad), null);
  bad.set('points', [1, 2, 0.5]);
  bad.set('colour', 'red; background: url(x)');
  assert.equal(readItem(bad).colour, '#000000');

  removeItem(doc, layer, strokeId);
  assert.equal(itemCount(doc, layer), 2);
  assert.throws(() => removeItem(doc, layer, strokeId), /no item/);
  clearLayer(doc, layer);
  assert.equal(itemCount(doc, layer), 0);
});

test('undo and redo cover 150 separate strokes', () => {
  const doc = createRoomDoc();
  const [layer] = layerIds(doc);
  const undo = createSceneUndo(doc, me);
  for (let i = 0; i < 150; i++) {
    undo.stopCapturing();
    doc.transact(() => addStroke(doc, layer, stroke(i)), me);
  }
  assert.equal(itemCount(doc, layer), 150);
  for (let i = 0; i < 150; i++) assert.ok(undo.undo(), `undo ${i}`);
  assert.equal(itemCount(doc, layer), 0);
  assert.equal(undo.canUndo(), false);
  for (let i = 0; i < 150; i++) undo.redo();
  assert.equal(itemCount(doc, layer), 150);
  assert.equal(findLayer(doc, layer).get('items').get(149).get('points')[0], 149);
});

test('undo takes back only my changes, never a peer\'s', () => {
  const [mine, theirs] = peers();
  const [layer] = layerIds(mine);
  const undo = createSceneUndo(mine, me);
  mine.transact(() => addStroke(mine, layer, stroke(1)), me);
  theirs.transact(() => addStroke(theirs, layer, stroke(2)), 'their canvas');
  assert.equal(itemCount(mine, layer), 2);
  undo.undo();
  const left = findLayer(theirs, layer).get('items').toArray().map((i) => i.get('points')[0]);
  assert.deepEqual(left, [2], 'the peer\'s stroke stays, on both sides');
  assert.equal(undo.canUndo(), false);
});

test('deleting a layer, reordering and replacing the scene are each one undoable step', () => {
  const doc = createRoomDoc();
  const [first] = layerIds(doc);
  const undo = createSceneUndo(doc, me);
  const step = (fn) => { undo.stopCapturing(); doc.transact(fn, me); };
  let second;
  step(() => { second = addLayer(doc, { name: 'Second' }); });
  step(() => { addStroke(doc, second, stroke(1)); addStroke(doc, second, stroke(2)); });
  step(() => moveLayer(doc, second, 0));
  assert.deepEqual(layerNames(doc), ['Second', 'Layer 1']);
  step(() => removeLayer(doc, second));
  assert.deepEqual(layerIds(doc), [first]);

  undo.undo(); // the deleted layer is back, strokes and all
  assert.deepEqual(layerNames(doc), ['Second', 'Layer 1']);
  assert.equal(itemCount(doc, second), 2);
  undo.undo(); // and back in its old place
  assert.deepEqual(layerNames(doc), ['Layer 1', 'Second']);

  step(() => replaceScene(doc, { assetId: 'img', width: 96, height: 64 }));
  assert.deepEqual(sceneSize(doc), { width: 96, height: 64 });
  assert.deepEqual(layerNames(doc), ['Image']);
  undo.undo();
  assert.deepEqual(sceneSize(doc), { width: 512, height: 512 });
  assert.deepEqual(layerNames(doc), ['Layer 1', 'Second']);
  assert.equal(itemCount(doc, second), 2);
});
