// The canvas: renders the room document's scene and edits it. Strokes and images are stored
// as data in the document (room/room-doc.js), so peers merge them and undo is per person:
// a Y.UndoManager tracks only this canvas's own changes. Pointer input is in
// pointer-input.js, pan and zoom in scene-view.js, the on-screen boxes in overlays.js.
//
// Events: 'change' (the picture), 'resize' (scene size), 'history' (undo/redo state),
// 'layers' (layer list or properties, active layer), 'tool', 'selectionchange'.

import { addAsset, addImageItem, addLayer, addStroke, findLayer, roomParts } from '../room/room-doc.js';
import {
  checkSceneSize, clearLayer, moveLayer, placeItem, readItem, readLayer, removeItem, removeLayer, replaceScene, sceneIsEmpty,
  sceneSize, updateLayer,
} from './layer-ops.js';
import { decodeImageFile } from './image-file.js';
import { fitInside } from './rect.js';
import { createSceneUndo } from './scene-undo.js';
import { SceneRenderer } from './scene-renderer.js';
import { SceneView } from './scene-view.js';

export const tools = ['brush', 'eraser', 'select', 'move', 'hand'];
const pngTypes = new Set(['image/png', 'image/webp']);

async function encodePng(imageData) {
  const canvas = new OffscreenCanvas(imageData.width, imageData.height);
  canvas.getContext('2d').putImageData(imageData, 0, 0);
  return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
}

export class SceneCanvas extends EventTarget {
  #element;
  #renderer;
  #doc = null;
  #undo = null;
  #origin = Symbol('this canvas'); // marks our own changes for the undo manager
  #live = null; // {layer, stroke} while a stroke is drawn
  #busy = 0;
  #tool = 'brush';
  #activeLayerId = null;
  #selection = null; // {x, y, width, height} in scene pixels
  #selectedImage = null; // {layerId, itemId}
  #observers = [];
  brush = { colour: '#1f2937', size: 8, opacity: 1 };
  view;

  /** `element` is the <canvas>; `stage` its transformed wrapper inside `frame`. */
  constructor({ element, stage, frame }) {
    super();
    this.#element = element;
    this.view = new SceneView(frame, stage);
    this.#setBusy(+1); // until the first document is shown
    this.#renderer = new SceneRenderer(element, {
      onBusy: (delta) => this.#setBusy(delta),
      onResize: () => {
        this.view.setSceneSize(sceneSize(this.#doc));
        this.dispatchEvent(new Event('resize'));
      },
    });
  }

  // ---- the document ----------------------------------------------------------------------

  /** Shows and edits `doc` (a room document); undo history starts empty. */
  setDocument(doc) {
    if (!this.#doc) this.#setBusy(-1);
    for (const stop of this.#observers) stop();
    this.#undo?.destroy();
    this.#doc = doc;
    this.#live = null;
    this.#selection = null;
    this.#selectedImage = null;
    const { layers, meta, assets } = roomParts(doc);
    this.#undo = createSceneUndo(doc, this.#origin);
    const onHistory = () => this.dispatchEvent(new Event('history'));
    for (const name of ['stack-item-added', 'stack-item-popped', 'stack-cleared']) this.#undo.on(name, onHistory);
    const onLayers = (events) => this.#onSceneChange(events);
    const onAssets = (event) => { if (this.#renderer.assetsArrived(event.keysChanged)) this.#render(); };
    const onMeta = () => this.#render();
    layers.observeDeep(onLayers);
    assets.observe(onAssets);
    meta.observe(onMeta);
    this.#observers = [() => layers.unobserveDeep(onLayers), () => assets.unobserve(onAssets), () => meta.unobserve(onMeta)];
    this.#renderer.setDocument(doc);
    this.#ensureActiveLayer();
    this.#render();
    for (const type of ['layers', 'history', 'selectionchange']) this.dispatchEvent(new Event(type));
  }

  get doc() { return this.#doc; }

  /** Runs `fn` as one undoable step of this person's (merge = continue the previous step). */
  edit(fn, { merge = false } = {}) {
    if (!this.#doc) return; // a joined room not shown yet
    if (!merge) this.#undo.stopCapturing();
    this.#doc.transact(fn, this.#origin);
  }

  #onSceneChange(events) {
    const { layers } = roomParts(this.#doc);
    // Added, removed or replaced items are noticed by the renderer itself; a changed item
    // (an image moved: path [layer index, 'items', item index]) must be pointed out.
    for (const event of events) {
      if (event.path.length >= 3) this.#renderer.invalidate(layers.get(event.path[0]));
    }
    this.#ensureActiveLayer();
    this.#dropStaleImageSelection();
    this.#render();
    this.dispatchEvent(new Event('layers'));
  }

  #render() {
    this.#renderer.render(this.#live);
    this.dispatchEvent(new Event('change'));
  }

  #setBusy(delta) {
    this.#busy += delta;
    // Tests and assistive technology can tell when the picture is still being prepared.
    if (this.#busy > 0) this.#element.setAttribute('aria-busy', 'true');
    else this.#element.removeAttribute('aria-busy');
  }

  async #busyWhile(promise) {
    this.#setBusy(+1);
    try {
      return await promise;
    } finally {
      this.#setBusy(-1);
    }
  }

  // ---- size, layers ----------------------------------------------------------------------

  get width() { return this.#element.width; }
  get height() { return this.#element.height; }

  /** The layers, bottom first: [{id, name, visible, opacity, items (count)}]. */
  get layers() {
    if (!this.#doc) return [];
    return roomParts(this.#doc).layers.toArray().map((l) => ({ ...readLayer(l), items: l.get('items')?.length ?? 0 }));
  }

  get activeLayerId() { return this.#activeLayerId; }

  set activeLayerId(id) {
    if (!findLayer(this.#doc, id)) return;
    this.#activeLayerId = id;
    this.dispatchEvent(new Event('layers'));
  }

  #ensureActiveLayer() {
    const layers = roomParts(this.#doc).layers;
    if (layers.length === 0) return; // a joined room before it synced
    if (!findLayer(this.#doc, this.#activeLayerId)) this.#activeLayerId = layers.get(layers.length - 1).get('id');
  }

  addLayer() {
    const { layers } = roomParts(this.#doc);
    const above = this.layers.findIndex((l) => l.id === this.#activeLayerId);
    let id;
    this.edit(() => { id = addLayer(this.#doc, { index: above < 0 ? layers.length : above + 1 }); });
    this.activeLayerId = id;
    return id;
  }

  /** Sets name, visible and/or opacity; `merge` continues the previous step (a slider drag). */
  updateLayer(id, props, { merge = false } = {}) { this.edit(() => updateLayer(this.#doc, id, props), { merge }); }

  /** Moves a layer up (+1, towards the top) or down (-1). */
  moveLayer(id, by) {
    const index = this.layers.findIndex((l) => l.id === id);
    this.edit(() => moveLayer(this.#doc, id, index + by));
  }

  removeLayer(id) { this.edit(() => removeLayer(this.#doc, id)); }

  /** Removes everything on the active layer (undoable). */
  clear() { this.edit(() => clearLayer(this.#doc, this.#activeLayerId)); }

  // ---- undo ------------------------------------------------------------------------------

  get canUndo() { return this.#undo?.canUndo() ?? false; }
  get canRedo() { return this.#undo?.canRedo() ?? false; }

  undo() {
    this.cancelStroke();
    return (this.#undo?.undo() ?? null) !== null;
  }

  redo() {
    this.cancelStroke();
    return (this.#undo?.redo() ?? null) !== null;
  }

  // ---- tools -----------------------------------------------------------------------------

  get tool() { return this.#tool; }

  set tool(tool) {
    if (!tools.includes(tool) || tool === this.#tool) return;
    this.cancelStroke();
    this.#tool = tool;
    if (tool !== 'move') this.selectImage(null);
    this.dispatchEvent(new Event('tool'));
  }

  /** Starts a stroke at a scene point with the current tool (brush or eraser). */
  beginStroke(point, pressure) {
    const layer = this.#doc && findLayer(this.#doc, this.#activeLayerId);
    if (!layer) return;
    const { colour, size, opacity } = this.brush;
    this.#live = {
      layer,
      stroke: { points: [point.x, point.y, pressure], colour, size, opacity, tool: this.#tool === 'eraser' ? 'eraser' : 'brush' },
    };
    this.#render();
  }

  get drawing() { return this.#live !== null; }

  extendStroke(point, pressure) {
    this.#live?.stroke.points.push(point.x, point.y, pressure);
  }

  /** Redraws the live stroke (called once per animation frame while drawing). */
  showStroke() {
    if (this.#live) this.#render();
  }

  /** Stores the stroke in the document: one undo step. Drawing on a hidden layer shows it. */
  endStroke() {
    const live = this.#live;
    if (!live) return;
    this.#live = null;
    const layerId = live.layer.get('id');
    if (!findLayer(this.#doc, layerId)) return this.#render(); // deleted by a peer meanwhile
    this.edit(() => {
      if (live.layer.get('visible') === false) live.layer.set('visible', true);
      addStroke(this.#doc, layerId, live.stroke);
    });
  }

  /** Drops the stroke being drawn (a second finger turned it into a pinch). */
  cancelStroke() {
    if (!this.#live) return;
    this.#live = null;
    this.#render();
  }

  // ---- images on layers ------------------------------------------------------------------

  /** Image items of visible layers, topmost first: [{layerId, item}]. */
  imagesTopFirst() {
    const found = [];
    for (const layer of roomParts(this.#doc).layers.toArray().reverse()) {
      if (!readLayer(layer).visible) continue;
      const items = layer.get('items')?.toArray() ?? [];
      for (const yItem of items.reverse()) {
        const item = readItem(yItem);
        if (item?.type === 'image') found.push({ layerId: readLayer(layer).id, item });
      }
    }
    return found;
  }

  get selectedImage() {
    if (!this.#selectedImage) return null;
    const { layerId, itemId } = this.#selectedImage;
    const yItem = findLayer(this.#doc, layerId)?.get('items').toArray().find((i) => i.get('id') === itemId);
    const item = yItem && readItem(yItem);
    return item ? { layerId, item } : null;
  }

  selectImage(selected) {
    this.#selectedImage = selected ? { layerId: selected.layerId, itemId: selected.itemId } : null;
    if (selected) this.activeLayerId = selected.layerId;
    this.dispatchEvent(new Event('selectionchange'));
  }

  #dropStaleImageSelection() {
    if (this.#selectedImage && !this.selectedImage) this.selectImage(null);
    else if (this.#selectedImage) this.dispatchEvent(new Event('selectionchange'));
  }

  /** Moves or resizes the selected image; `merge` continues the current drag's undo step. */
  placeSelectedImage(rect, { merge = false } = {}) {
    const selected = this.#selectedImage;
    if (selected) this.edit(() => placeItem(this.#doc, selected.layerId, selected.itemId, rect), { merge });
  }

  removeSelectedImage() {
    const selected = this.#selectedImage;
    if (!selected) return false;
    this.edit(() => removeItem(this.#doc, selected.layerId, selected.itemId));
    this.selectImage(null);
    return true;
  }

  /**
   * Puts an image on the active layer: into `rect` if given, else fitted inside the
   * selection (or the whole scene) at most 1:1. `recipe` travels with the asset. The image
   * is selected and the Move tool chosen so it can be moved and scaled at once.
   */
  async insertImage(imageData, { rect, recipe, bytes, mime = 'image/png' } = {}) {
    return this.#busyWhile((async () => {
      const encoded = bytes ?? (await encodePng(imageData));
      const assetId = await addAsset(this.#doc, encoded, { mime: bytes ? mime : 'image/png', width: imageData.width, height: imageData.height, recipe });
      await this.#renderer.assets.seed(assetId, imageData);
      const place = rect ?? fitInside(imageData, this.#selection ?? { x: 0, y: 0, ...sceneSize(this.#doc) });
      const layerId = this.#activeLayerId;
      let itemId;
      this.edit(() => { itemId = addImageItem(this.#doc, layerId, { assetId, ...place }); });
      this.tool = 'move';
      this.selectImage({ layerId, itemId });
      return { layerId, itemId };
    })());
  }

  /**
   * Replaces the whole scene with `imageData` (size included): one layer holding the image.
   * Undo brings the previous scene back. Rejects images larger than 4096 pixels a side.
   */
  async replaceWith(imageData, { recipe, bytes, mime = 'image/png' } = {}) {
    return this.#busyWhile((async () => {
      const { width, height } = imageData;
      checkSceneSize({ width, height });
      const encoded = bytes ?? (await encodePng(imageData));
      const assetId = await addAsset(this.#doc, encoded, { mime: bytes ? mime : 'image/png', width, height, recipe });
      await this.#renderer.assets.seed(assetId, imageData);
      this.cancelStroke();
      this.selectImage(null);
      this.setSelection(null);
      this.edit(() => { this.#activeLayerId = replaceScene(this.#doc, { assetId, width, height }); });
      this.dispatchEvent(new Event('layers'));
    })());
  }

  /**
   * Imports an image file: on a blank canvas it becomes the canvas (at its size); otherwise
   * it is inserted on the active layer. Throws ImageFileError with a clear message for
   * unreadable or oversized files; then nothing changes. Returns {width, height, as}.
   */
  async importFile(file) {
    const imageData = await this.#busyWhile(decodeImageFile(file));
    const bytes = pngTypes.has(file.type) ? new Uint8Array(await file.arrayBuffer()) : undefined;
    if (sceneIsEmpty(this.#doc)) {
      await this.replaceWith(imageData, { bytes, mime: file.type });
      return { width: imageData.width, height: imageData.height, as: 'canvas' };
    }
    await this.insertImage(imageData, { bytes, mime: file.type });
    return { width: imageData.width, height: imageData.height, as: 'layer' };
  }

  // ---- selection and pixels --------------------------------------------------------------

  /** The selected rectangle {x, y, width, height} in scene pixels, or null. */
  getSelection() {
    return this.#selection ? { ...this.#selection } : null;
  }

  setSelection(rect) {
    this.#selection = rect ? { ...rect } : null;
    this.dispatchEvent(new Event('selectionchange'));
  }

  /** The picture as shown (layers over white), RGBA. */
  snapshot() {
    return this.#element.getContext('2d').getImageData(0, 0, this.#element.width, this.#element.height);
  }

  /** The pixels of the selection (or of the whole picture when nothing is selected). */
  selectionImage() {
    const r = this.#selection ?? { x: 0, y: 0, width: this.#element.width, height: this.#element.height };
    return this.#element.getContext('2d').getImageData(r.x, r.y, r.width, r.height);
  }

  /**
   * The picture encoded by the browser's canvas encoder: 'image/png' or 'image/webp'
   * (quality 0..1 for WebP). Throws if the browser cannot encode that type.
   */
  async exportBlob(type = 'image/png', quality = 0.92) {
    const blob = await new Promise((resolve) => this.#element.toBlob(resolve, type, quality));
    if (!blob || blob.type !== type) throw new Error(`This browser cannot save ${type} images.`);
    return blob;
  }

  /** Used by tests and the chat: resolves once decoding and importing are done. */
  get busy() { return this.#busy > 0; }
}

