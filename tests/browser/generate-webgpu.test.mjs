// Text -> image on WebGPU (Chromium with --enable-unsafe-webgpu: SwiftShader's software
// adapter; correct results, meaningless speed, so one image and few steps). Same worker
// protocol as generate-wasm.test.mjs; the picture must match the Node reference sampler
// (float maths on the GPU differ; measured 42.1 dB, the same as on wasm).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { referenceImages, runInWorker } from './generate-helpers.mjs';
import { appSession, psnrRgb } from './helpers.mjs';

const session = appSession({ webgpu: true });

test('generate on WebGPU: a 128 px WebP close to the reference sampler', () => session.withApp(async ({ context, page, problems }) => {
  const status = await page.getByRole('status', { name: 'Inference backend' }).textContent();
  assert.match(status, /^Backend: WebGPU/);
  const request = { prompt: 'a red apple', style: 'twemoji', seed: '42', count: 1, steps: 4, guidance: 4 };
  const r = await runInWorker(page, request);
  assert.equal(r.error, undefined, JSON.stringify(r.error));
  assert.deepEqual(r.images.map((i) => i.decoded), [[128, 128]]);
  const { core, ref } = await referenceImages(request);
  const shown = core.resize({ width: 128, height: 128, data: Uint8Array.from(r.images[0].pixels) }, 32, 32, 'area');
  const db = psnrRgb(shown, ref[0]);
  console.log(`webgpu: browser image (SR x4 + WebP, area-downscaled) vs sampler.mjs: ${db.toFixed(2)} dB`);
  assert.ok(db > 35, `${db.toFixed(2)} dB`);
  assert.deepEqual(problems, []);
}));
