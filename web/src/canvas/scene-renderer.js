// Renders the room document's layers onto the visible canvas. Each layer is drawn into its
// own offscreen canvas (so an eraser only erases within its layer), cached, and composited
// over white paper with the layer's visibility and opacity. A new stroke is drawn onto its
// layer's cache without redrawing the rest; other changes redraw only the changed layer.

import { roomParts } from '../room/room-doc.js';
import { AssetImages } from './asset-images.js';
import { readItem, readLayer, sceneSize } from './layer-ops.js';
import { strokePath } from './stroke-path.js';

const paper = '#ffffff';
const strokePaths = new WeakMap(); // stored stroke (Y.Map) -> Path2D; points never change

function drawStroke(ctx, stroke, path) {
  ctx.save();
  ctx.globalAlpha = stroke.opacity;
  ctx.globalCompositeOperation = stroke.tool === 'eraser' ? 'destination-out' : 'source-over';
  ctx.fillStyle = stroke.tool === 'eraser' ? '#000000' : stroke.colour;
  ctx.fill(path);
  ctx.restore();
}

export class SceneRenderer {
  #element;
  #ctx;
  #doc = null;
  #size = null;
  #caches = new Map(); // layer Y.Map -> {canvas, ctx, drawn: item Y.Maps drawn in order, dirty}
  #scratch = null; // the active layer plus the stroke being drawn
  #assets;

  /** `onBusy(+1 | -1)` counts asynchronous work; `onResize()` after the scene size changes. */
  constructor(element, { onBusy, onResize }) {
    this.#element = element;
    this.#ctx = element.getContext('2d');
    this.onResize = onResize;
    this.#assets = new AssetImages({
      onBusy,
      onReady: (assetId) => {
        if (this.assetsArrived(new Set([assetId]))) this.render();
      },
    });
  }

  /**
   * Marks the layers showing any of `assetIds` (newly decoded, or newly synced from a peer)
   * to be redrawn; returns whether any layer was.
   */
  assetsArrived(assetIds) {
    let any = false;
    for (const [layer, cache] of this.#caches) {
      if (layer.get('items')?.toArray().some((i) => assetIds.has(i.get('assetId')))) {
        cache.dirty = true;
        any = true;
      }
    }
    return any;
  }

  get assets() { return this.#assets; }

  setDocument(doc) {
    this.#doc = doc;
    this.#caches.clear();
    this.#size = null;
  }

  /** Marks `layer` (a layer Y.Map) to be redrawn from its items. */
  invalidate(layer) {
    if (this.#caches.has(layer)) this.#caches.get(layer).dirty = true;
  }

  /**
   * Draws the scene. `live` is the stroke being drawn, {layer, stroke}, shown on its layer
   * before it is stored.
   */
  render(live = null) {
    const doc = this.#doc;
    if (!doc) return;
    this.#syncSize(sceneSize(doc));
    const { width, height } = this.#size;
    const ctx = this.#ctx;
    ctx.globalCompositeOperation = 'source-over';
    ctx.globalAlpha = 1;
    ctx.fillStyle = paper;
    ctx.fillRect(0, 0, width, height);
    const layers = roomParts(doc).layers.toArray();
    for (const layer of layers) {
      const { visible, opacity } = readLayer(layer);
      if (!visible && live?.layer !== layer) continue;
      let source = this.#updateCache(layer).canvas;
      if (live?.layer === layer) source = this.#withLiveStroke(source, live.stroke);
      ctx.globalAlpha = opacity;
      ctx.drawImage(source, 0, 0);
    }
    ctx.globalAlpha = 1;
    // Caches of deleted layers are dropped.
    for (const layer of this.#caches.keys()) if (!layers.includes(layer)) this.#caches.delete(layer);
  }

  #syncSize(size) {
    if (this.#size && this.#size.width === size.width && this.#size.height === size.height) return;
    this.#size = size;
    this.#caches.clear();
    this.#scratch = null;
    this.#element.width = size.width;
    this.#element.height = size.height;
    this.onResize?.();
  }

  #updateCache(layer) {
    let cache = this.#caches.get(layer);
    if (!cache) {
      const canvas = new OffscreenCanvas(this.#size.width, this.#size.height);
      cache = { canvas, ctx: canvas.getContext('2d'), drawn: [], dirty: true };
      this.#caches.set(layer, cache);
    }
    const items = layer.get('items')?.toArray() ?? [];
    // Only appended items (the usual case: a new stroke) are drawn on top of the cache.
    const appended = !cache.dirty && cache.drawn.length <= items.length && cache.drawn.every((item, i) => items[i] === item);
    if (!appended) {
      cache.ctx.clearRect(0, 0, this.#size.width, this.#size.height);
      cache.drawn = [];
      cache.dirty = false;
    }
    for (let i = cache.drawn.length; i < items.length; i++) {
      this.#drawItem(cache.ctx, items[i]);
      cache.drawn.push(items[i]);
    }
    return cache;
  }

  #drawItem(ctx, yItem) {
    const item = readItem(yItem);
    if (!item) return;
    if (item.type === 'stroke') {
      let path = strokePaths.get(yItem);
      if (!path) strokePaths.set(yItem, (path = strokePath(item.points, item.size)));
      drawStroke(ctx, item, path);
    } else {
      const bitmap = this.#assets.get(this.#doc, item.assetId);
      if (bitmap) ctx.drawImage(bitmap, item.x, item.y, item.width, item.height);
      // Otherwise it is drawn when decoded (onReady marks this layer dirty).
    }
  }

  #withLiveStroke(layerCanvas, stroke) {
    const { width, height } = this.#size;
    if (!this.#scratch) this.#scratch = new OffscreenCanvas(width, height);
    const ctx = this.#scratch.getContext('2d');
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(layerCanvas, 0, 0);
    drawStroke(ctx, stroke, strokePath(stroke.points, stroke.size, false));
    return this.#scratch;
  }
}
