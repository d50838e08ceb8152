// Shows the scene panned and zoomed inside its frame: the stage (canvas + overlays, sized in
// scene pixels) gets a CSS transform from the view (view-transform.js). Until the person pans
// or zooms, the view keeps the whole scene fitted as the frame or the scene changes size.

import { fitView, panBy, screenToScene, zoomAt } from './view-transform.js';

const zoomStep = 1.25;

export class SceneView extends EventTarget {
  #frame;
  #stage;
  #scene = { width: 512, height: 512 };
  #fitted = true; // follow the frame size until the person pans or zooms
  view = { zoom: 1, x: 0, y: 0 };

  constructor(frame, stage) {
    super();
    this.#frame = frame;
    this.#stage = stage;
    new ResizeObserver(() => { if (this.#fitted) this.fit(); }).observe(frame);
    frame.addEventListener('wheel', (e) => this.#onWheel(e), { passive: false });
  }

  get zoom() { return this.view.zoom; }

  /** The frame's size in CSS pixels. */
  get frameSize() {
    return { width: this.#frame.clientWidth, height: this.#frame.clientHeight };
  }

  setSceneSize(size) {
    this.#scene = size;
    this.#stage.style.width = `${size.width}px`;
    this.#stage.style.height = `${size.height}px`;
    this.fit();
  }

  /** A client (page) point as a point in the frame. */
  framePoint(e) {
    const rect = this.#frame.getBoundingClientRect();
    return { x: e.clientX - rect.left - this.#frame.clientLeft, y: e.clientY - rect.top - this.#frame.clientTop };
  }

  /** A pointer event's position in scene pixels. */
  scenePoint(e) {
    return screenToScene(this.view, this.framePoint(e));
  }

  fit() {
    this.#fitted = true;
    this.#apply(fitView(this.#scene, this.frameSize));
  }

  /** Zooms by `factor` about `at` (a frame point; the frame's centre by default). */
  zoomBy(factor, at) {
    const { width, height } = this.frameSize;
    this.set(zoomAt(this.view, factor, at ?? { x: width / 2, y: height / 2 }));
  }

  zoomIn() { this.zoomBy(zoomStep); }
  zoomOut() { this.zoomBy(1 / zoomStep); }

  panBy(dx, dy) { this.set(panBy(this.view, dx, dy)); }

  /** Sets the view chosen by the person (it stops following the frame size). */
  set(view) {
    this.#fitted = false;
    this.#apply(view);
  }

  #apply(view) {
    this.view = view;
    this.#stage.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.zoom})`;
    this.#stage.style.setProperty('--zoom', String(view.zoom));
    // Enlarged pixels stay crisp: the person sees the picture's real pixels.
    this.#stage.classList.toggle('canvas-stage--magnified', view.zoom > 1);
    this.dispatchEvent(new Event('change'));
  }

  // Ctrl+wheel (and a touchpad pinch, which browsers report as Ctrl+wheel) zooms at the
  // pointer; a plain wheel or two-finger scroll pans.
  #onWheel(e) {
    e.preventDefault();
    const scale = e.deltaMode === 1 ? 16 : 1; // lines -> pixels
    if (e.ctrlKey || e.metaKey) this.zoomBy(Math.exp((-e.deltaY * scale) / 300), this.framePoint(e));
    else this.panBy(-e.deltaX * scale, -e.deltaY * scale);
  }
}
