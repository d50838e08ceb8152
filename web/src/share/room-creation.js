// What the Share button shares from a room: when the canvas holds exactly one image (say a
// generated picture, perhaps drawn over), that image's own bytes and recipe plus the scene
// (its placement and the strokes), so a remix rebuilds the canvas exactly. Otherwise the
// flattened canvas as one WebP picture, without a scene (the strokes are in the picture).

import * as Y from 'yjs';
import { sceneSize } from '../canvas/layer-ops.js';
import { roomParts } from '../room/room-doc.js';
import { sceneFromRoom } from './scene-from-room.js';

const shareableMimes = ['image/webp', 'image/png'];

function imageAssetIds(doc) {
  const ids = new Set();
  for (const layer of roomParts(doc).layers) {
    for (const item of layer.get('items')?.toArray?.() ?? []) {
      if (item instanceof Y.Map && item.get('type') === 'image') ids.add(item.get('assetId'));
    }
  }
  return [...ids];
}

/** {image, recipe?} for one asset of the room (e.g. a generated image in the chat). */
export function creationFromAsset(doc, assetId) {
  const { assets, assetInfo } = roomParts(doc);
  const bytes = assets.get(assetId);
  const info = assetInfo.get(assetId);
  if (!(bytes instanceof Uint8Array) || !shareableMimes.includes(info?.mime)) return null;
  return { image: { bytes, mime: info.mime, width: info.width, height: info.height }, recipe: info.recipe };
}

/** The creation to share; `exportWebp()` -> Blob of the flattened canvas. */
export async function creationFromRoom(doc, { exportWebp }) {
  const title = roomParts(doc).meta.get('title');
  const ids = imageAssetIds(doc);
  if (ids.length === 1) {
    const creation = creationFromAsset(doc, ids[0]);
    if (creation) {
      const scene = sceneFromRoom(doc, { ...sceneSize(doc), sharedAssetId: ids[0] });
      return { ...creation, scene, title };
    }
  }
  const blob = await exportWebp();
  if (blob.type !== 'image/webp') throw new Error('This browser cannot encode WebP, so the canvas cannot be shared.');
  const bitmap = await createImageBitmap(blob);
  const image = { bytes: new Uint8Array(await blob.arrayBuffer()), mime: 'image/webp', width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return { image, title };
}
