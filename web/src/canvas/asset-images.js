// Decoded room assets (encoded image bytes in the document) as ImageBitmaps, decoded once and
// shared by every item that shows them. Decoding is asynchronous; `onReady` is called when
// an asset becomes drawable so the layers showing it are redrawn.

import { roomParts } from '../room/room-doc.js';

// A peer could send anything: assets larger than this are not drawn.
const maxAssetEdge = 16384;

export class AssetImages {
  #bitmaps = new Map(); // assetId -> ImageBitmap
  #failed = new Set();
  #pending = new Map(); // assetId -> Promise
  #onReady;
  #onBusy;

  /** `onBusy(+1 | -1)` counts decodes in flight (the canvas shows it as aria-busy). */
  constructor({ onReady, onBusy }) {
    this.#onReady = onReady;
    this.#onBusy = onBusy;
  }

  /** The bitmap for `assetId`, or undefined while it decodes, is missing or is unreadable. */
  get(doc, assetId) {
    const bitmap = this.#bitmaps.get(assetId);
    if (bitmap || this.#failed.has(assetId) || this.#pending.has(assetId)) return bitmap;
    const bytes = roomParts(doc).assets.get(assetId);
    if (bytes instanceof Uint8Array) this.#decode(assetId, bytes, roomParts(doc).assetInfo.get(assetId)?.mime);
    return undefined;
  }

  /** Registers pixels we already hold (an import, a generated image): no decode needed. */
  async seed(assetId, imageData) {
    if (this.#bitmaps.has(assetId)) return;
    this.#bitmaps.set(assetId, await createImageBitmap(imageData, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' }));
  }

  #decode(assetId, bytes, mime) {
    this.#onBusy(+1);
    const blob = new Blob([bytes], { type: typeof mime === 'string' ? mime : '' });
    // The same options as importing a file, so an asset draws exactly the imported pixels.
    const decoding = createImageBitmap(blob, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' })
      .then((bitmap) => {
        if (bitmap.width > maxAssetEdge || bitmap.height > maxAssetEdge) {
          bitmap.close();
          throw new RangeError('too large');
        }
        this.#bitmaps.set(assetId, bitmap);
      })
      .catch(() => this.#failed.add(assetId))
      .finally(() => {
        this.#pending.delete(assetId);
        this.#onBusy(-1);
        this.#onReady(assetId);
      });
    this.#pending.set(assetId, decoding);
  }
}
