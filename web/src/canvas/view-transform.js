// Pan and zoom as a pure value: the scene (the picture, in canvas pixels) is shown at
// screen = scene * zoom + offset, in CSS pixels relative to the canvas frame. Pure so that
// the maths is unit-tested in Node; scene-view.js applies it to the page.

export const minZoom = 1 / 32;
export const maxZoom = 32;

const clampZoom = (zoom) => Math.min(maxZoom, Math.max(minZoom, zoom));

/** The view that shows the whole scene centred in the frame, shrunk or enlarged to fit. */
export function fitView(scene, frame, margin = 16) {
  const available = { width: frame.width - 2 * margin, height: frame.height - 2 * margin };
  const fit = Math.min(available.width / scene.width, available.height / scene.height);
  const zoom = clampZoom(fit > 0 ? fit : 1);
  return {
    zoom,
    x: (frame.width - scene.width * zoom) / 2,
    y: (frame.height - scene.height * zoom) / 2,
  };
}

export function screenToScene(view, point) {
  return { x: (point.x - view.x) / view.zoom, y: (point.y - view.y) / view.zoom };
}

export function sceneToScreen(view, point) {
  return { x: point.x * view.zoom + view.x, y: point.y * view.zoom + view.y };
}

/** Zooms by `factor` keeping the scene point under the screen point `at` where it is. */
export function zoomAt(view, factor, at) {
  const zoom = clampZoom(view.zoom * factor);
  const anchor = screenToScene(view, at);
  return { zoom, x: at.x - anchor.x * zoom, y: at.y - anchor.y * zoom };
}

export function panBy(view, dx, dy) {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/**
 * A two-finger gesture: the view that keeps the scene points first under the fingers
 * (`from`, two screen points at the start) under the fingers now (`to`). Pinching zooms,
 * moving both fingers pans.
 */
export function pinchView(startView, from, to) {
  const distance = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);
  const mid = (a, b) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  const before = distance(from[0], from[1]);
  const factor = before > 0 ? distance(to[0], to[1]) / before : 1;
  const zoomed = zoomAt(startView, factor, mid(from[0], from[1]));
  const start = mid(from[0], from[1]);
  const now = mid(to[0], to[1]);
  return panBy(zoomed, now.x - start.x, now.y - start.y);
}
