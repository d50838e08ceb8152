// A diffusers-layout model loaded from local files in Chromium (wasm backend), through the
// app's own InferenceClient (web/src/workers/worker-client.js, imported in the page) and
// inference worker: loadDiffusersModel with File objects as a picked folder gives them, then
// generateDiffusers. The model is the tiny random-weight fixture (tests/data/diffusers-tiny:
// SD-Turbo's names, dtypes and symbolic dims; it draws noise-like colour fields, not pictures).
// Checks: WebP images of the requested size, the recipe, progress phases, same recipe -> same
// bytes, a second load releases the first model, a missing file and a file that is not ONNX
// give clear errors. And the chat's /model flow: a picked folder, /draw with it, back to huabu-tiny.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { appSession, psnrRgb, sendChat } from './helpers.mjs';

const fixture = path.resolve(import.meta.dirname, '../data/diffusers-tiny');
function listFiles(dir, prefix = '') {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, `${prefix}${name}/`) : [[`${prefix}${name}`, readFileSync(full).toString('base64')]];
  });
}
const layout = Object.fromEntries(listFiles(fixture));

// In the page: Files named as a picked folder names them, the app's client, one or more calls.
function runInPage(page, files, requests, { loadTwice = false } = {}) {
  return page.evaluate(async ({ files, requests, loadTwice }) => {
    const { InferenceClient } = await import('/src/workers/worker-client.js');
    const client = new InferenceClient();
    const picked = Object.entries(files).map(([p, b64]) => {
      const file = new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], p.split('/').pop());
      Object.defineProperty(file, 'webkitRelativePath', { value: `sd-turbo-tiny/${p}` });
      return file;
    });
    try {
      let loaded = await client.loadDiffusersModel({ files: picked });
      let released;
      if (loadTwice) { // the second load releases the first model
        const first = loaded;
        loaded = await client.loadDiffusersModel({ files: picked });
        released = await client.generateDiffusers(first.modelId, { prompt: 'x' }).catch((err) => ({ code: err.code, message: err.message }));
      }
      const results = [];
      for (const request of requests) {
        const log = [];
        const r = await client.generateDiffusers(loaded.modelId, request, { onProgress: (p) => log.push(`${p.phase} ${p.done}/${p.total}`) });
        const images = await Promise.all(r.images.map(async ({ bytes, width, height, mime }) => {
          const bitmap = await createImageBitmap(new Blob([bytes], { type: mime }));
          const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
          ctx.drawImage(bitmap, 0, 0);
          const pixels = Array.from(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data);
          return { width, height, mime, decoded: [bitmap.width, bitmap.height], bytes: Array.from(bytes), pixels };
        }));
        results.push({ log, recipe: r.recipe, backend: r.backend.name, images });
      }
      return { loaded, released, results };
    } catch (err) {
      return { error: { code: err.code, message: err.message } };
    }
  }, { files, requests, loadTwice });
}

const session = appSession();
const gpuSession = appSession({ webgpu: true });
let wasmImages;

test('diffusers layout from picked files: load, generate, same recipe -> same bytes', () => session.withApp(async ({ page, problems }) => {
  const request = { prompt: 'a red apple', seed: '42', steps: 2, width: 64, height: 64, count: 2 };
  const out = await runInPage(page, layout, [request, request], { loadTwice: true });
  assert.equal(out.error, undefined, JSON.stringify(out.error));
  assert.deepEqual(out.released, { code: 'invalid_argument', message: 'No diffusers model "diffusers-1" is loaded in this worker; load it first.' });
  assert.equal(out.loaded.modelId, 'diffusers-2');
  assert.equal(out.loaded.info.defaultSampler, 'euler');
  assert.ok(out.loaded.files.includes('unet/model.onnx') && !out.loaded.files.some((f) => f.startsWith('sd-turbo-tiny/')));
  const [first, second] = out.results;
  assert.equal(first.backend, 'wasm');
  assert.deepEqual(first.recipe, { ...request, sampler: 'euler' });
  assert.deepEqual(first.log, ['encode 0/4', 'step 0/4', 'step 1/4', 'decode 2/4', 'step 2/4', 'step 3/4', 'decode 4/4', 'step 4/4']);
  assert.equal(first.images.length, 2);
  for (const image of first.images) assert.deepEqual([image.width, image.height, image.mime, ...image.decoded], [64, 64, 'image/webp', 64, 64]);
  assert.notDeepEqual(first.images[0].bytes, first.images[1].bytes);
  assert.deepEqual(second.images.map((i) => i.bytes), first.images.map((i) => i.bytes));
  assert.deepEqual(problems, []);
  wasmImages = first.images;
}));

test('diffusers layout: a missing UNet and a file that is not ONNX get clear errors', () => session.withApp(async ({ page }) => {
  const { 'unet/model.onnx': _, ...withoutUnet } = layout;
  const missing = await runInPage(page, withoutUnet, []);
  assert.equal(missing.error?.code, 'invalid_argument');
  assert.match(missing.error.message, /^This is not a complete diffusers ONNX layout: missing unet\/model\.onnx/);

  const notOnnx = await runInPage(page, { ...layout, 'vae_decoder/model.onnx': Buffer.from('not a model at all').toString('base64') }, []);
  assert.deepEqual(notOnnx.error, { code: 'corrupt_data', message: 'vae_decoder/model.onnx is not an ONNX model (18 bytes, starting 6e 6f 74 20).' });
}));

test('diffusers layout on WebGPU (SwiftShader): same pictures as on wasm; float16 weights need shader-f16', () => gpuSession.withApp(async ({ page }) => {
  const request = { prompt: 'a red apple', seed: '42', steps: 2, width: 64, height: 64, count: 2 };
  const out = await runInPage(page, layout, [request]);
  assert.equal(out.error, undefined, JSON.stringify(out.error));
  const [gpu] = out.results;
  assert.equal(gpu.backend, 'webgpu');
  assert.ok(wasmImages, 'the wasm test ran first');
  for (const [i, image] of gpu.images.entries()) {
    const db = psnrRgb({ width: 64, height: 64, data: image.pixels }, { width: 64, height: 64, data: wasmImages[i].pixels });
    console.log(`diffusers-tiny image ${i}: WebGPU vs wasm ${db.toFixed(1)} dB`);
    assert.ok(db >= 35, `image ${i}: ${db.toFixed(1)} dB`);
  }

  const shaderF16 = await page.evaluate(async () => Boolean((await navigator.gpu.requestAdapter())?.features.has('shader-f16')));
  const halfWeights = readFileSync(path.resolve(import.meta.dirname, '../data/diffusers-tiny-variants/unet-float16-weights.onnx')).toString('base64');
  const half = await runInPage(page, { ...layout, 'unet/model.onnx': halfWeights }, [{ ...request, count: 1 }]);
  if (shaderF16) {
    assert.equal(half.error, undefined, JSON.stringify(half.error));
  } else {
    assert.deepEqual(half.error, { code: 'unsupported',
      message: 'unet/model.onnx stores float16 weights, which need a WebGPU adapter with the shader-f16 feature; this one has none.' });
  }
  console.log(`SwiftShader adapter shader-f16: ${shaderF16}`);
}));

test('in the chat: /model loads a picked folder, /draw uses it, /model huabu goes back; a broken folder is a clear error', () => session.withApp(async ({ page, problems }) => {
  await sendChat(page, '/model');
  const dialog = page.getByRole('dialog', { name: 'Use your own model' });
  await dialog.getByLabel('Pick its folder').setInputFiles(fixture); // the whole folder, as a person picks it
  await page.getByText('Loaded “diffusers-tiny”').waitFor({ timeout: 120_000 });

  await sendChat(page, '/draw a red fox --count 1 --steps 2 --seed 7');
  const image = page.getByRole('img', { name: '“a red fox”, image 1 of 1, seed 7' });
  await image.waitFor({ timeout: 120_000 });
  await page.locator('.generation-card').filter({ hasText: 'diffusers-tiny' }).first().waitFor();
  // Without --steps and --guidance the model's own defaults (4 steps, no guidance), not huabu-tiny's.
  await sendChat(page, '/draw a blue bird --count 1 --seed 8');
  await page.getByRole('img', { name: '“a blue bird”, image 1 of 1, seed 8' }).waitFor({ timeout: 120_000 });
  assert.match(await page.locator('.generation-card').filter({ hasText: 'a blue bird' }).textContent(), /4 steps · guidance 0 · diffusers-tiny/);

  await sendChat(page, '/model huabu');
  await page.getByText('/draw uses the built-in model (huabu-tiny) again.').waitFor();

  // A folder without its UNet: a clear message, and /draw falls back to the built-in model.
  const broken = mkdtempSync(path.join(tmpdir(), 'huabu-broken-model-'));
  cpSync(fixture, broken, { recursive: true });
  rmSync(path.join(broken, 'unet'), { recursive: true });
  await sendChat(page, '/model');
  await page.getByRole('dialog', { name: 'Use your own model' }).getByLabel('Pick its folder').setInputFiles(broken);
  await page.locator('.message').filter({ hasText: 'The model could not be loaded' }).filter({ hasText: 'unet' }).waitFor({ timeout: 60_000 });
  assert.deepEqual(problems, []);
}));
