// Style operations split into bands of rows over several workers (web/src/workers/
// stylize-bands.js), each with its own wasm core in a Node worker thread: stitched, the bands
// are byte-identical to one core making the whole image; errors and cancellation come back.
import assert from 'node:assert/strict';
import test from 'node:test';

import { loadHuabuCore } from '../../wasm/huabu-core.js';
import { splitRows, StylizeBands } from '../../web/src/workers/stylize-bands.js';
import { createNodeBandWorker } from '../../tools/stylize-band-node-worker.mjs';
import { loadCjsFactory } from './wasm-module.mjs';

const core = await loadHuabuCore(loadCjsFactory());

function scene(w, h) {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const disc = (x - w / 3) ** 2 + (y - h / 2) ** 2 < (h / 4) ** 2;
      const i = 4 * (y * w + x);
      data.set(disc ? [220, 90, 40, 255] : [(x * 255) / w, (y * 255) / h, ((x ^ y) & 31) * 8, x < 5 ? 0 : 255], i);
    }
  }
  return { width: w, height: h, data };
}

test('splitRows covers the rows once, evenly, without empty bands', () => {
  assert.deepEqual(splitRows(10, 3), [{ first: 0, count: 3 }, { first: 3, count: 3 }, { first: 6, count: 4 }]);
  assert.deepEqual(splitRows(2, 4), [{ first: 0, count: 1 }, { first: 1, count: 1 }]);
  assert.deepEqual(splitRows(7, 1), [{ first: 0, count: 7 }]);
});

test('every row-local operation: bands from 3 workers equal the whole image from one core', async () => {
  const bands = new StylizeBands({ createWorker: createNodeBandWorker, size: 3 });
  try {
    const image = scene(150, 97);
    const local = core.styleOps().filter((op) => op.rowLocal);
    assert.deepEqual(local.map((op) => op.name), ['lineart', 'oil', 'watercolor', 'cartoon', 'halftone']);
    for (const { name } of local) {
      const seen = [];
      const banded = await bands.run(image, name, { }, { onProgress: (f) => seen.push(f) });
      const whole = core.stylize(image, name, {});
      assert.equal(banded.width, 150);
      assert.equal(banded.height, 97);
      assert.deepEqual(banded.data, whole.data, name);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], `${name} progress goes back`);
      assert.ok(Math.abs(seen.at(-1) - 1) < 1e-9, `${name} progress ends at ${seen.at(-1)}`);
    }
    const params = { radius: 4, sharpness: 6 };
    assert.deepEqual((await bands.run(image, 'oil', params)).data, core.stylize(image, 'oil', params).data);
    // Two requests at once (the Styles dialog and a chat restyle) take turns on the workers.
    const [oil, halftone] = await Promise.all([bands.run(image, 'oil', {}), bands.run(image, 'halftone', {})]);
    assert.deepEqual(oil.data, core.stylize(image, 'oil', {}).data);
    assert.deepEqual(halftone.data, core.stylize(image, 'halftone', {}).data);
  } finally {
    bands.terminate();
  }
});

test('bad parameters and whole-image operations are refused clearly; cancel stops the workers', async () => {
  const bands = new StylizeBands({ createWorker: createNodeBandWorker, size: 2 });
  try {
    const image = scene(64, 48);
    await assert.rejects(bands.run(image, 'oil', { radius: 99 }), (err) => err.code === 'invalid_argument' && /radius/.test(err.message));
    await assert.rejects(bands.run(image, 'ink', {}), (err) => err.code === 'invalid_argument' && /whole image/.test(err.message));
    const big = scene(1024, 1024);
    const controller = new AbortController();
    const running = bands.run(big, 'oil', {}, { signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(running, (err) => err.code === 'cancelled');
    // The pool starts new workers for the next image.
    assert.deepEqual((await bands.run(image, 'halftone', {})).data, core.stylize(image, 'halftone', {}).data);
  } finally {
    bands.terminate();
  }
});
