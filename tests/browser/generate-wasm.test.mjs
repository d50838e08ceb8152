// Text -> image in the real app's inference worker (Chromium without WebGPU, so ORT-web on
// WebAssembly): the page starts the served worker bundle and speaks its envelope protocol
// (web/src/workers/worker-client.js) through page.evaluate. Checks the reply contract the
// chat builds on, the progress phases and previews, determinism, agreement with the Node
// reference sampler (models/tiny/sampler.mjs) after the x4 super-resolution, cancel and a
// bad request.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { referenceImages, runInWorker } from './generate-helpers.mjs';
import { appSession, openApp, psnrRgb } from './helpers.mjs';

const session = appSession();
let app;
before(async () => {
  await session.ready();
  app = await openApp(session.browser, session.server);
});
after(async () => {
  await app?.context.close();
});

const tinyVersion = JSON.parse(fs.readFileSync(new URL('../../models/huabu-tiny/manifest.json', import.meta.url), 'utf8')).version;
const request = { prompt: 'a red apple', style: 'twemoji', seed: '42', count: 2, steps: 8, guidance: 4 };
let first;

test('generate: two 128 px WebP images, the recipe, and download/encode/step/upscale progress with previews', async () => {
  first = await runInWorker(app.page, request);
  assert.equal(first.error, undefined, JSON.stringify(first.error));
  assert.deepEqual(first.recipe, { prompt: 'a red apple', style: 'twemoji', seed: '42', count: 2, steps: 8, guidance: 4,
    guidanceAbove: 0.3, sampler: 'euler', model: 'huabu-tiny', modelVersion: tinyVersion });
  assert.equal(first.images.length, 2);
  for (const image of first.images) {
    assert.deepEqual([image.width, image.height, image.mime, image.isUint8Array], [128, 128, 'image/webp', true]);
    assert.deepEqual(image.decoded, [128, 128]);
  }
  const phases = [...new Set(first.log.map((p) => p.phase))];
  assert.deepEqual(phases, ['download', 'encode', 'step', 'upscale']);
  const steps = first.log.filter((p) => p.phase === 'step' && !p.previews).map((p) => `${p.done}/${p.total}`);
  assert.deepEqual(steps, ['0/8', '1/8', '2/8', '3/8', '4/8', '5/8', '6/8', '7/8', '8/8']);
  const previews = first.log.filter((p) => p.previews);
  assert.deepEqual(previews.map((p) => [p.done, p.previews, ...p.previewSize]), [[4, 2, 32, 'image/webp']]);
  assert.deepEqual(first.log.filter((p) => p.phase === 'upscale').map((p) => p.done), [0, 1, 2]);
  assert.deepEqual(app.problems, []);
});

test('generate: the same recipe gives the same bytes; the picture is the Node reference sampler\'s', async () => {
  const again = await runInWorker(app.page, request);
  assert.deepEqual(again.images.map((i) => i.bytes), first.images.map((i) => i.bytes));

  // Node: sampler.mjs (own JS noise, Euler, CFG) in onnxruntime-web; the browser's 128 px
  // image, area-downscaled to 32 px, against the reference 32 px image.
  const { core, ref } = await referenceImages(request);
  for (const [i, image] of first.images.entries()) {
    const shown = core.resize({ width: 128, height: 128, data: Uint8Array.from(image.pixels) }, 32, 32, 'area');
    const expected = ref[i];
    const db = psnrRgb(shown, expected);
    console.log(`browser image ${i} (SR x4 + WebP, area-downscaled) vs sampler.mjs: ${db.toFixed(2)} dB`);
    assert.ok(db > 35, `image ${i}: ${db.toFixed(2)} dB`);
  }
});

test('generate: cancel after step 2 ends with a clean cancelled error', async () => {
  const r = await runInWorker(app.page, { ...request, count: 1, steps: 30 }, { cancelAtStep: 2 });
  assert.equal(r.error?.code, 'cancelled', JSON.stringify(r.error));
  const last = r.log.filter((p) => p.phase === 'step').at(-1);
  assert.ok(last.done <= 4, `stopped at step ${last.done} of 30`);
  assert.ok(!r.log.some((p) => p.phase === 'upscale'));
});

test('generate: a bad request gets a clear error', async () => {
  const style = await runInWorker(app.page, { ...request, style: 'watercolor' });
  assert.deepEqual(style.error?.code, 'invalid_argument');
  assert.match(style.error.message, /style "watercolor" is not one of noto, twemoji/);
  const count = await runInWorker(app.page, { ...request, count: 9 });
  assert.match(count.error?.message ?? '', /count 9 must be in 1\.\.8/);
});

test('generate: a damaged model file is refused before ONNX Runtime sees it', async () => {
  const damaged = await openApp(session.browser, session.server, {
    // The context-level route sees the worker's requests too.
    beforeLoad: (context) => context.route('**/models/huabu-tiny/unet/model.onnx', async (route) => {
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      body[body.length >> 1] ^= 0xff;
      await route.fulfill({ response, body });
    }),
  });
  try {
    const r = await runInWorker(damaged.page, request);
    assert.equal(r.error?.code, 'corrupt_data', JSON.stringify(r.error));
    assert.match(r.error.message, /Model file huabu-tiny\/unet\/model\.onnx is corrupt — .*sha256 mismatch/);
  } finally {
    await damaged.context.close();
  }
});
