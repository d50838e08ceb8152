// The canvas scene of a room document, as a share link carries it: layers with their
// strokes, and the shared image where it was placed. Other images are left out (a link
// carries one image); items a peer wrote in a shape this version does not accept are skipped
// rather than breaking the link.

import * as Y from 'yjs';
import { checkSceneItem } from './share-document.js';

const round1 = (n) => Math.round(n * 10) / 10; // 0.1 px is finer than any screen

function sceneItem(item, sharedAssetId) {
  if (!(item instanceof Y.Map)) return null;
  if (item.get('type') === 'stroke') {
    const points = item.get('points');
    return {
      type: 'stroke',
      points: Array.isArray(points) ? points.map((p, i) => (i % 3 === 2 ? Math.round(p * 100) / 100 : round1(p))) : points,
      colour: item.get('colour'),
      size: item.get('size'),
      tool: item.get('tool'),
      opacity: item.get('opacity') ?? 1,
    };
  }
  if (item.get('type') === 'image' && sharedAssetId && item.get('assetId') === sharedAssetId) {
    return { type: 'image', x: item.get('x'), y: item.get('y'), width: item.get('width'), height: item.get('height') };
  }
  return null;
}

/** {width, height, layers} from the room document `doc`; `sharedAssetId` is the linked image. */
export function sceneFromRoom(doc, { width, height, sharedAssetId }) {
  const layers = doc.getArray('layers').toArray().filter((l) => l instanceof Y.Map).map((layer) => {
    const items = [];
    for (const item of layer.get('items')?.toArray?.() ?? []) {
      const plain = sceneItem(item, sharedAssetId);
      if (!plain) continue;
      try {
        checkSceneItem(plain);
        items.push(plain);
      } catch {
        // skipped: see the header comment
      }
    }
    const opacity = layer.get('opacity');
    return {
      name: String(layer.get('name') ?? 'Layer').slice(0, 200),
      visible: layer.get('visible') !== false,
      opacity: typeof opacity === 'number' && opacity >= 0 && opacity <= 1 ? opacity : 1,
      items,
    };
  });
  return { width, height, layers };
}
