// models/sketch/prepare.mjs: a drawing anywhere on a canvas of any size becomes the centred,
// emoji-framed 128x128 grey input huabu-sketch was trained on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sketchInput, SIZE } from '../../models/sketch/prepare.mjs';

function canvas(w, h, draw, { transparent = false } = {}) {
  const rgba = new Uint8ClampedArray(w * h * 4).fill(255);
  if (transparent) for (let i = 3; i < rgba.length; i += 4) rgba[i] = 0;
  draw((x, y) => rgba.set([0, 0, 0, 255], (y * w + x) * 4));
  return rgba;
}
// a 3-px-wide square outline from (x, y) with side s
const square = (x, y, s) => (ink) => {
  for (let t = 0; t < s; t++) for (let k = 0; k < 3; k++) {
    ink(x + t, y + k); ink(x + t, y + s - 1 - k); ink(x + k, y + t); ink(x + s - 1 - k, y + t);
  }
};
const inkBox = (data) => {
  let x0 = SIZE, y0 = SIZE, x1 = -1, y1 = -1;
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) if (data[y * SIZE + x] < 0.5) {
    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  return { x0, y0, x1, y1 };
};

test('an off-centre drawing on a large canvas is centred and fills the frame minus the margin', () => {
  const { data } = sketchInput(canvas(600, 400, square(400, 250, 120)), 600, 400);
  assert.equal(data.length, SIZE * SIZE);
  const b = inkBox(data);
  const m = Math.round(0.06 * SIZE);
  for (const v of [b.x0, b.y0]) assert.ok(Math.abs(v - m) <= 2, `left/top ${v}`);
  for (const v of [b.x1, b.y1]) assert.ok(Math.abs(v - (SIZE - 1 - m)) <= 2, `right/bottom ${v}`);
  assert.equal(data[SIZE * (SIZE >> 1) + (SIZE >> 1)], 1, 'inside the square is paper');
  assert.ok(Math.min(...data) < -0.9, 'strokes stay dark after downscaling');
});

test('transparent canvas = white paper; a tall drawing keeps its aspect ratio', () => {
  const draw = (ink) => { for (let y = 10; y < 210; y++) for (let k = 0; k < 4; k++) ink(50 + k, y); };
  const a = sketchInput(canvas(200, 300, draw, { transparent: true }), 200, 300).data;
  const b = sketchInput(canvas(200, 300, draw), 200, 300).data;
  assert.deepEqual(a, b);
  const box = inkBox(a);
  assert.ok(box.y1 - box.y0 > 100 && box.x1 - box.x0 < 10, JSON.stringify(box));
  assert.ok(Math.abs((box.x0 + box.x1) / 2 - SIZE / 2) <= 2, 'centred horizontally');
});

test('an empty canvas and a wrong buffer size are clear errors', () => {
  assert.throws(() => sketchInput(canvas(64, 64, () => {}), 64, 64), /empty sketch/);
  assert.throws(() => sketchInput(new Uint8ClampedArray(10), 64, 64), /expected 64x64 RGBA/);
});
