// "Remix": a new room made from an opened share link, so the person who opened it can go on
// drawing, chatting and generating from it. The image becomes an asset (with its recipe)
// placed on the canvas, the scene's strokes are restored, and the chat says where it came
// from.

import { checkSceneSize, setSceneSize } from '../canvas/layer-ops.js';
import { addAsset, addImageItem, addLayer, addMessage, addStroke, createRoomDoc, roomParts } from '../room/room-doc.js';

const sharedBy = { id: 'share-link', name: 'Share link' };

function recipeText(recipe) {
  const parts = [];
  if (recipe.prompt) parts.push(`“${recipe.prompt}”`);
  for (const key of ['model', 'seed', 'steps', 'guidance', 'style']) {
    if (recipe[key] !== undefined) parts.push(`${key} ${recipe[key]}`);
  }
  return parts.join(', ');
}

/** A new room document (Y.Doc) holding the creation of `{doc, imageBytes}` from openShareLink. */
export async function roomFromShare({ doc: shared, imageBytes }) {
  const room = createRoomDoc({ title: shared.title ?? 'Remix' });
  const { layers } = roomParts(room);
  const firstLayerId = layers.get(0).get('id');
  let assetId;
  if (shared.image) {
    const { mime, width, height } = shared.image;
    assetId = await addAsset(room, imageBytes, { mime, width, height, recipe: shared.recipe });
  }
  room.transact(() => {
    const size = shared.scene ?? shared.image;
    try {
      checkSceneSize(size);
      setSceneSize(room, size);
    } catch {
      // Larger than this canvas allows: the canvas keeps its default size, nothing is lost.
    }
    const sceneLayers = shared.scene?.layers ?? [];
    let placedImage = false;
    sceneLayers.forEach((sceneLayer, i) => {
      const layerId = i === 0 ? firstLayerId : addLayer(room, { name: sceneLayer.name });
      const layer = layers.get(i);
      layer.set('name', sceneLayer.name);
      layer.set('visible', sceneLayer.visible);
      layer.set('opacity', sceneLayer.opacity);
      for (const item of sceneLayer.items) {
        if (item.type === 'stroke') {
          addStroke(room, layerId, item);
        } else if (assetId) {
          addImageItem(room, layerId, { assetId, x: item.x, y: item.y, width: item.width, height: item.height });
          placedImage = true;
        }
      }
    });
    if (assetId && !placedImage) {
      addImageItem(room, firstLayerId, { assetId, x: 0, y: 0, width: shared.image.width, height: shared.image.height });
    }
    addMessage(room, { kind: 'system', author: sharedBy, text: shared.recipe
      ? `Remixed from a shared link. Recipe: ${recipeText(shared.recipe)}.`
      : 'Remixed from a shared link.' });
    if (assetId) addMessage(room, { kind: 'image', author: sharedBy, assetId });
  });
  return room;
}
