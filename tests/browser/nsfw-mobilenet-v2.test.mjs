// nsfw-mobilenet-v2 in real Chromium: ONNX Runtime Web's wasm and WebGPU (SwiftShader) EPs,
// loading /ort/ and /models/ from the project's own server, give the original nsfwjs
// model's probabilities (computed here by TF.js, cpu backend) on the synthetic images.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';

import { launchChromium, startServer } from './helpers.mjs';
import { loadReference, syntheticImages } from '../../models/safety/agreement.mjs';
import { prepare, SIZE } from '../../web/src/ml/safety-input.js';

let server, browser;
const inputs = [], expected = [];
before(async () => {
  await tf.setBackend('cpu');
  const reference = await loadReference(tf);
  for (const img of syntheticImages()) {
    const x = prepare(img.rgba, img.width, img.height);
    const hwc = new Float32Array(x.length);
    for (let i = 0; i < SIZE * SIZE; i++) for (let c = 0; c < 3; c++) hwc[i * 3 + c] = x[c * SIZE * SIZE + i];
    inputs.push(Array.from(x));
    expected.push(Array.from(tf.tidy(() => reference.predict(tf.tensor4d(hwc, [1, SIZE, SIZE, 3])).dataSync())));
  }
  server = await startServer({ port: 0 });
  browser = await launchChromium({ webgpu: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function runInPage(bundle, providers) {
  const page = await browser.newPage();
  try {
    await page.goto(`${server.url}models/nsfw-mobilenet-v2/manifest.json`); // same origin as /ort/
    return await page.evaluate(async ({ bundle, providers, inputs }) => {
      const ort = await import(bundle);
      ort.env.wasm.wasmPaths = '/ort/';
      ort.env.wasm.numThreads = 1;
      const bytes = new Uint8Array(await (await fetch('/models/nsfw-mobilenet-v2/model.onnx')).arrayBuffer());
      const s = await ort.InferenceSession.create(bytes, { executionProviders: providers });
      const out = [];
      for (const x of inputs) {
        const r = await s.run({ input: new ort.Tensor('float32', Float32Array.from(x), [1, 3, 224, 224]) });
        out.push(Array.from(r.probabilities.data));
      }
      return out;
    }, { bundle, providers, inputs });
  } finally {
    await page.close();
  }
}

const argmax = (a) => a.indexOf(Math.max(...a));
for (const [name, bundle, providers, tol] of [
  ['wasm', '/ort/ort.wasm.min.mjs', ['wasm'], 1e-4],
  // WebGPU sums in its own order on its own float maths (here SwiftShader): measured 9.5e-6,
  // bound 5e-4 so another adapter still passes while a wrong op would not
  ['webgpu', '/ort/ort.webgpu.min.mjs', ['webgpu'], 5e-4],
]) {
  test(`ORT-web ${name} in Chromium matches the TF.js original (8 images, same argmax)`, async () => {
    const got = await runInPage(bundle, providers);
    let worst = 0;
    got.forEach((p, i) => {
      assert.equal(argmax(p), argmax(expected[i]), `image ${i}`);
      for (let k = 0; k < 5; k++) worst = Math.max(worst, Math.abs(p[k] - expected[i][k]));
    });
    console.log(`${name}: max abs diff ${worst.toExponential(2)} over ${got.length} images`);
    assert.ok(worst <= tol, `max abs diff ${worst}`);
  });
}
