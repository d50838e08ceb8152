// The drawing surface: pressure-sensitive strokes with pointer events, and whole-image
// operations (clear, replace, undo). The canvas element's pixel size is the image size; its
// display size is set by fit-to-frame.js. Events: 'change' (pixels), 'resize' (image size).

import { brushWidth, effectivePressure } from './brush.js';
import { History } from './history.js';

const background = '#ffffff';

export class DrawingCanvas extends EventTarget {
  #canvas;
  #ctx;
  #history = new History();
  #stroke = null; // {pointerId, x, y} while a stroke is in progress
  brush = { colour: '#1f2937', size: 8 };

  constructor(canvas) {
    super();
    this.#canvas = canvas;
    this.#ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.#fill(background);
    canvas.addEventListener('pointerdown', (e) => this.#onPointerDown(e));
    canvas.addEventListener('pointermove', (e) => this.#onPointerMove(e));
    canvas.addEventListener('pointerup', (e) => this.#endStroke(e));
    canvas.addEventListener('pointercancel', (e) => this.#endStroke(e));
  }

  get width() { return this.#canvas.width; }
  get height() { return this.#canvas.height; }
  get canUndo() { return this.#history.size > 0; }

  /** A copy of the current pixels (RGBA, straight alpha). */
  snapshot() {
    return this.#ctx.getImageData(0, 0, this.#canvas.width, this.#canvas.height);
  }

  /** Replaces the whole canvas (size included) with `imageData`; undoable. */
  replaceWith(imageData) {
    this.#remember();
    this.#putImage(imageData);
    this.#changed();
  }

  clear() {
    this.#remember();
    this.#fill(background);
    this.#changed();
  }

  undo() {
    const previous = this.#history.pop();
    if (!previous) return false;
    this.#putImage(previous);
    this.#changed();
    return true;
  }

  #onPointerDown(e) {
    if (this.#stroke || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    this.#canvas.setPointerCapture(e.pointerId);
    this.#remember();
    const { x, y } = this.#toCanvas(e);
    this.#stroke = { pointerId: e.pointerId, x, y };
    this.#dot(x, y, effectivePressure(e));
  }

  #onPointerMove(e) {
    if (!this.#stroke || e.pointerId !== this.#stroke.pointerId) return;
    // Coalesced events keep fast strokes smooth: the browser batches samples per frame.
    for (const sample of e.getCoalescedEvents?.() ?? [e]) {
      const { x, y } = this.#toCanvas(sample);
      this.#segment(this.#stroke.x, this.#stroke.y, x, y, effectivePressure(sample));
      this.#stroke.x = x;
      this.#stroke.y = y;
    }
  }

  #endStroke(e) {
    if (!this.#stroke || e.pointerId !== this.#stroke.pointerId) return;
    this.#stroke = null;
    this.#changed();
  }

  #toCanvas(e) {
    const rect = this.#canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - rect.left) * this.#canvas.width) / rect.width,
      y: ((e.clientY - rect.top) * this.#canvas.height) / rect.height,
    };
  }

  #segment(x0, y0, x1, y1, pressure) {
    const ctx = this.#ctx;
    ctx.strokeStyle = this.brush.colour;
    ctx.lineWidth = brushWidth(this.brush.size, pressure);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  }

  #dot(x, y, pressure) {
    const ctx = this.#ctx;
    ctx.fillStyle = this.brush.colour;
    ctx.beginPath();
    ctx.arc(x, y, brushWidth(this.brush.size, pressure) / 2, 0, Math.PI * 2);
    ctx.fill();
  }

  #remember() {
    this.#history.push(this.snapshot());
  }

  #putImage(imageData) {
    const resized = this.#canvas.width !== imageData.width || this.#canvas.height !== imageData.height;
    if (resized) {
      this.#canvas.width = imageData.width; // resizing also resets the context state
      this.#canvas.height = imageData.height;
    }
    this.#ctx.putImageData(imageData, 0, 0);
    if (resized) this.dispatchEvent(new Event('resize'));
  }

  #fill(colour) {
    this.#ctx.fillStyle = colour;
    this.#ctx.fillRect(0, 0, this.#canvas.width, this.#canvas.height);
  }

  #changed() {
    this.dispatchEvent(new Event('change'));
  }
}
