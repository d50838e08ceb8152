// Pure canvas maths: pan/zoom (view-transform.js), rectangles and hit tests (rect.js), and
// stroke outlines (stroke-path.js, perfect-freehand).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { fitInside, hitImage, rectFromCorners, scaleToCorner } from '../../web/src/canvas/rect.js';
import { lacksPressure, strokeOutline } from '../../web/src/canvas/stroke-path.js';
import {
  fitView, maxZoom, minZoom, panBy, pinchView, sceneToScreen, screenToScene, zoomAt,
} from '../../web/src/canvas/view-transform.js';

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} ≈ ${b}`);

test('fitView centres the whole scene, shrinking large scenes and enlarging small ones', () => {
  const big = fitView({ width: 2000, height: 1000 }, { width: 1032, height: 832 }, 16);
  close(big.zoom, 0.5);
  assert.deepEqual(sceneToScreen(big, { x: 0, y: 0 }), { x: 16, y: 166 });
  assert.deepEqual(sceneToScreen(big, { x: 2000, y: 1000 }), { x: 1016, y: 666 });
  const small = fitView({ width: 100, height: 100 }, { width: 432, height: 232 }, 16);
  close(small.zoom, 2);
});

test('screen and scene points convert both ways', () => {
  const view = { zoom: 2.5, x: -40, y: 13 };
  const p = { x: 123.25, y: -7.5 };
  const back = screenToScene(view, sceneToScreen(view, p));
  close(back.x, p.x);
  close(back.y, p.y);
});

test('zoomAt keeps the scene point under the cursor fixed and clamps the zoom', () => {
  const view = { zoom: 1, x: 10, y: 20 };
  const at = { x: 300, y: 200 };
  const before = screenToScene(view, at);
  const zoomed = zoomAt(view, 3, at);
  close(zoomed.zoom, 3);
  const after = screenToScene(zoomed, at);
  close(after.x, before.x);
  close(after.y, before.y);
  assert.equal(zoomAt(view, 1e6, at).zoom, maxZoom);
  assert.equal(zoomAt(view, 1e-6, at).zoom, minZoom);
});

test('panBy moves the view; a pinch zooms by the finger distance ratio and follows the fingers', () => {
  assert.deepEqual(panBy({ zoom: 2, x: 1, y: 2 }, 10, -5), { zoom: 2, x: 11, y: -3 });
  const start = { zoom: 1, x: 0, y: 0 };
  const from = [{ x: 100, y: 100 }, { x: 200, y: 100 }];
  const to = [{ x: 150, y: 300 }, { x: 350, y: 300 }]; // twice as far apart, moved
  const view = pinchView(start, from, to);
  close(view.zoom, 2);
  // The scene points first under the fingers are under them now.
  for (let i = 0; i < 2; i++) {
    const now = sceneToScreen(view, screenToScene(start, from[i]));
    close(now.x, to[i].x);
    close(now.y, to[i].y);
  }
});

test('rectFromCorners spans any two corners in whole pixels, clipped to the scene', () => {
  const scene = { width: 100, height: 50 };
  assert.deepEqual(rectFromCorners({ x: 30.6, y: 40.2 }, { x: 10.2, y: 5.9 }, scene), { x: 10, y: 5, width: 21, height: 36 });
  assert.deepEqual(rectFromCorners({ x: -20, y: -20 }, { x: 500, y: 500 }, scene), { x: 0, y: 0, width: 100, height: 50 });
  assert.equal(rectFromCorners({ x: 5, y: 5 }, { x: 5, y: 30 }, scene), null, 'no area');
  assert.equal(rectFromCorners({ x: 200, y: 5 }, { x: 300, y: 30 }, scene), null, 'outside');
});

test('image hit tests: the scale handle, the body, outside', () => {
  const rect = { x: 10, y: 10, width: 40, height: 20 };
  assert.equal(hitImage(rect, { x: 51, y: 29 }, 4), 'scale');
  assert.equal(hitImage(rect, { x: 20, y: 15 }, 4), 'move');
  assert.equal(hitImage(rect, { x: 5, y: 15 }, 4), null);
});

test('scaling from the corner keeps the aspect ratio and a minimum size', () => {
  const rect = { x: 10, y: 20, width: 40, height: 20 };
  assert.deepEqual(scaleToCorner(rect, { x: 90, y: 30 }), { x: 10, y: 20, width: 80, height: 40 });
  assert.deepEqual(scaleToCorner(rect, { x: 0, y: 0 }, 4), { x: 10, y: 20, width: 8, height: 4 });
});

test('fitInside never enlarges and centres the image in the box', () => {
  assert.deepEqual(fitInside({ width: 50, height: 20 }, { x: 0, y: 0, width: 100, height: 100 }), { x: 25, y: 40, width: 50, height: 20 });
  assert.deepEqual(fitInside({ width: 400, height: 100 }, { x: 10, y: 10, width: 100, height: 100 }), { x: 10, y: 47.5, width: 100, height: 25 });
});

test('strokes without pressure data are recognised; pressure widens the outline', () => {
  assert.equal(lacksPressure([0, 0, 0.5, 10, 0, 0.5]), true);
  assert.equal(lacksPressure([0, 0, 0.5, 10, 0, 0.7]), false);
  const line = (pressure) => {
    const points = [];
    for (let x = 0; x <= 100; x += 5) points.push(x, 50, pressure);
    return points;
  };
  // Width across the middle of a horizontal line: the outline's y extent near x = 50.
  const width = (outline) => {
    const ys = outline.filter(([x]) => Math.abs(x - 50) < 6).map(([, y]) => y);
    return Math.max(...ys) - Math.min(...ys);
  };
  const light = width(strokeOutline(line(0.1), 20));
  const hard = width(strokeOutline(line(1), 20));
  assert.ok(light > 2 && hard > 3 * light, `light ${light}, hard ${hard}`);
  // Size is the width at pressure 0.5 (a pen at half pressure).
  close(width(strokeOutline(line(0.51), 20)), 20, 1);
});
