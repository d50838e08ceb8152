// Images of a room are bytes in its document (assets); the chat shows them through one
// blob: URL per asset, made on first use and kept while the page lives.

import { roomParts } from '../room/room-doc.js';

export class AssetUrls {
  #doc;
  #urls = new Map();

  constructor(doc) {
    this.#doc = doc;
  }

  /** {url, mime, width, height, recipe} for an asset, or null while its bytes are missing. */
  get(assetId) {
    const { assets, assetInfo } = roomParts(this.#doc);
    const bytes = assets.get(assetId);
    const info = assetInfo.get(assetId);
    if (!(bytes instanceof Uint8Array) || !info) return null;
    if (!this.#urls.has(assetId)) this.#urls.set(assetId, URL.createObjectURL(new Blob([bytes], { type: info.mime })));
    return { url: this.#urls.get(assetId), ...info };
  }

  /** The asset's pixels as ImageData (for the canvas and the upscaler). */
  async pixels(assetId) {
    const bytes = roomParts(this.#doc).assets.get(assetId);
    const info = roomParts(this.#doc).assetInfo.get(assetId);
    if (!(bytes instanceof Uint8Array) || !info) throw new Error('the image is not in this browser');
    const bitmap = await createImageBitmap(new Blob([bytes], { type: info.mime }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    return ctx.getImageData(0, 0, canvas.width, canvas.height);
  }
}
