// The diffusers-layout pipeline end to end on the tiny random-weight fixture
// (tests/data/diffusers-tiny, made by models/diffusers-tiny/make_tiny_diffusers.py: the
// SD-Turbo ONNX layout's names, dtypes and symbolic dims, not a model that draws anything),
// in onnxruntime-web's wasm EP, through the app's own loader and loop (web/src/ml/diffusers-*.js):
// - one Euler step equals a loop written here directly against ORT (CLIP ids, Philox noise,
//   sigma from the betas, x0 = x - sigma eps, VAE of x0 / 0.18215)
// - same seed -> same images; seed, prompt and each sampler change them; guidance runs batch 2
// - float16-IO, float16-weight and float-timestep UNets (other export flavours) load and agree
// - loading from a URL (a real local HTTP server) and from files gives the same model
// - bad layouts: missing file, not ONNX, renamed input, v-prediction, float16 without
//   shader-f16 (IO or weights), too large for wasm, broken JSON: clear errors
// - float16 conversion: every half value round-trips, and rounding is to nearest even
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { loadOrt } from '../../models/eval/ort.mjs';
import { loadHuabuCore } from '../../wasm/huabu-core.js';
import { fetchLayoutFiles, loadDiffusersModel, onnxWeightTypes, readLayoutFiles } from '../../web/src/ml/diffusers-model.js';
import { diffusersRecipe, generateDiffusersImages } from '../../web/src/ml/diffusers-pipeline.js';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../web/src/ml/diffusers-tensors.js';
import { loadCjsFactory, root } from './wasm-module.mjs';

const fixture = path.join(root, 'tests/data/diffusers-tiny');
const variants = path.join(root, 'tests/data/diffusers-tiny-variants');

function listFiles(dir, prefix = '') {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, `${prefix}${name}/`) : [[`${prefix}${name}`, new Uint8Array(readFileSync(full))]];
  });
}
const tinyFiles = () => new Map(listFiles(fixture));

const core = await loadHuabuCore(loadCjsFactory());
const { ort } = await loadOrt('web');
const sessionOptions = { executionProviders: ['wasm'] };
const load = (files, extra = {}) => loadDiffusersModel({ core, ort, files, sessionOptions, ...extra });
const model = await load(await readLayoutFiles(tinyFiles()));
const generate = (request, m = model, extra = {}) => generateDiffusersImages({ core, ort, model: m, request, ...extra });

function maxDiff(a, b) {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

test('the fixture loads: sizes from the graphs, sampler from the scheduler config', () => {
  assert.deepEqual(model.info, { hidden: 32, latentChannels: 4, latentHeight: -1, latentWidth: -1, tokens: 77, unetBatch: -1,
    vaeScale: 8, scalingFactor: 0.18215, defaultSampler: 'euler' });
  assert.deepEqual(Object.keys(model.sessions).sort(), ['text_encoder', 'unet', 'vae_decoder']);
});

test('one Euler step equals a direct ORT loop (the SD-Turbo recipe)', async () => {
  const progress = [];
  const result = await generate({ prompt: 'a red apple', seed: '42', steps: 1, width: 64, height: 64 },
    model, { onProgress: (p) => progress.push(`${p.phase} ${p.done}/${p.total}`) });
  assert.deepEqual(progress, ['encode 0/1', 'step 0/1', 'decode 1/1', 'step 1/1']);
  assert.deepEqual([result.count, result.channels, result.width, result.height, result.images.length], [1, 3, 64, 64, 3 * 64 * 64]);
  assert.deepEqual(result.info, { sampler: 'euler', width: 64, height: 64, count: 1, steps: 1 });

  // The same computation written out: pad "!" (special_tokens_map.json), int32 ids.
  const tok = core.createClipTokenizer(readFileSync(path.join(fixture, 'tokenizer/vocab.json')),
    readFileSync(path.join(fixture, 'tokenizer/merges.txt')), { padToken: '!' });
  const ids = Int32Array.from(tok.encode('a red apple'), Number);
  tok.delete();
  const { last_hidden_state: state } = await model.sessions.text_encoder.run({ input_ids: new ort.Tensor('int32', ids, [1, 77]) });
  let alpha = 1;
  const sqrt = (i) => Math.sqrt(0.00085) + (i * (Math.sqrt(0.012) - Math.sqrt(0.00085))) / 999;
  for (let i = 0; i < 1000; i++) alpha *= 1 - sqrt(i) ** 2;
  const sigma = Math.sqrt((1 - alpha) / alpha); // t = 999, trailing spacing, one step
  const noise = core.philoxNormal(0, 42, 0, 4 * 8 * 8);
  const x = noise.map((v) => Math.fround(v * sigma));
  const scaled = x.map((v) => v / Math.sqrt(sigma * sigma + 1));
  const { out_sample: eps } = await model.sessions.unet.run({
    sample: new ort.Tensor('float32', scaled, [1, 4, 8, 8]),
    timestep: new ort.Tensor('int64', BigInt64Array.of(999n), [1]),
    encoder_hidden_states: state,
  });
  const latents = x.map((v, i) => Math.fround(v - sigma * eps.data[i]) / 0.18215);
  const { sample } = await model.sessions.vae_decoder.run({ latent_sample: new ort.Tensor('float32', latents, [1, 4, 8, 8]) });
  const expected = sample.data.map((v) => Math.min(1, Math.max(-1, v)));
  assert.ok(maxDiff(result.images, expected) < 1e-5, `max diff ${maxDiff(result.images, expected)}`);
  assert.ok(expected.some((v) => Math.abs(v) > 0.05), 'the decoded image is not flat');
});

test('same seed, same images; seed, prompt, count and guidance behave', async () => {
  const request = { prompt: 'a cat on a chair', seed: '7', count: 2, steps: 2, width: 64, height: 32 };
  const a = await generate(request);
  const b = await generate(request);
  assert.deepEqual(a.images, b.images);
  const per = 3 * 64 * 32;
  const one = await generate({ ...request, count: 1 });
  assert.deepEqual(one.images, a.images.subarray(0, per), 'image 0 does not depend on count');
  assert.notDeepEqual(a.images.subarray(0, per), a.images.subarray(per), 'the two images differ');
  assert.ok(maxDiff((await generate({ ...request, seed: '8' })).images, a.images) > 0.01);
  assert.ok(maxDiff((await generate({ ...request, prompt: 'a dog' })).images, a.images) > 1e-4);
  const guided = await generate({ ...request, guidance: 4, negativePrompt: 'blurry' });
  assert.ok(maxDiff(guided.images, a.images) > 1e-4);
  assert.ok(guided.images.every(Number.isFinite));
});

test('every sampler runs, is deterministic and gives its own images', async () => {
  const outputs = {};
  for (const sampler of ['euler', 'euler-ancestral', 'ddim', 'lcm']) {
    const request = { prompt: 'a lighthouse', seed: '3', steps: 4, sampler, width: 32, height: 32 };
    const r = await generate(request);
    assert.equal(r.info.sampler, sampler);
    assert.deepEqual((await generate(request)).images, r.images, sampler);
    for (const [other, images] of Object.entries(outputs)) assert.ok(maxDiff(images, r.images) > 1e-4, `${sampler} vs ${other}`);
    outputs[sampler] = r.images;
  }
});

test('float16-IO, float16-weight and float-timestep UNets load and give the same picture', async () => {
  const request = { prompt: 'a red apple', seed: '42', steps: 1, width: 64, height: 64 };
  const base = await generate(request);
  for (const [file, tolerance] of [['unet-float-timestep.onnx', 0], ['unet-float16-io.onnx', 0.05], ['unet-float16-weights.onnx', 0.05]]) {
    const files = tinyFiles();
    files.set('unet/model.onnx', new Uint8Array(readFileSync(path.join(variants, file))));
    const variant = await load(files);
    const r = await generate(request, variant);
    const d = maxDiff(r.images, base.images);
    assert.ok(d <= tolerance, `${file}: max diff ${d}`);
    if (tolerance > 0) assert.ok(d > 0, `${file}: float16 rounding should show`);
    await variant.release();
  }
});

test('the recipe: a given seed is kept as a decimal string, a missing one is drawn (u64)', () => {
  assert.deepEqual(diffusersRecipe({ prompt: 'x', seed: 42n, steps: 1 }), { prompt: 'x', seed: '42', steps: 1 });
  assert.equal(diffusersRecipe({ prompt: 'x' }, () => [1, 2]).seed, String(2n ** 32n + 2n));
  assert.match(diffusersRecipe({ prompt: 'x' }).seed, /^\d{1,20}$/);
});

test('cancel between steps ends with a clean cancelled error', async () => {
  const controller = new AbortController();
  const steps = [];
  await assert.rejects(
    generate({ prompt: 'x', steps: 20, width: 16, height: 16 }, model, {
      signal: controller.signal,
      onProgress: (p) => { if (p.phase === 'step') { steps.push(p.done); if (p.done === 2) controller.abort(); } },
    }),
    (err) => err.code === 'cancelled' && /cancelled after step 3 of 20/.test(err.message));
  assert.deepEqual(steps, [0, 1, 2]);
});

test('a layout from a URL (local HTTP server) is the same model', async () => {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const rel = decodeURIComponent(url.pathname).replace(/^\/(tiny|broken)\//, '');
    const file = path.join(fixture, rel);
    if (url.pathname.startsWith('/broken/') && rel === 'unet/model.onnx') { res.writeHead(404).end(); return; }
    try {
      res.writeHead(200).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    const seen = [];
    const files = await fetchLayoutFiles(`${base}/tiny`, { onProgress: (p) => seen.push(p.path) });
    assert.deepEqual([...files.keys()].sort(), [...tinyFiles().keys()].sort());
    assert.ok(seen.includes('unet/model.onnx'));
    const remote = await load(files);
    const request = { prompt: 'a boat', seed: '5', steps: 2, width: 32, height: 32 };
    assert.deepEqual((await generate(request, remote)).images, (await generate(request)).images);
    await remote.release();
    await assert.rejects(fetchLayoutFiles(`${base}/broken/`),
      { code: 'invalid_argument', message: `Could not download unet/model.onnx from ${base}/broken/: HTTP 404 (the layout needs this file).` });
  } finally {
    server.close();
  }
});

test('bad layouts get clear errors', async () => {
  const without = tinyFiles();
  without.delete('unet/model.onnx');
  await assert.rejects(load(without), (err) => err.code === 'invalid_argument' &&
    err.message.startsWith('This is not a complete diffusers ONNX layout: missing unet/model.onnx (found model_index.json, scheduler/'));

  const notOnnx = tinyFiles();
  notOnnx.set('unet/model.onnx', new TextEncoder().encode('<!doctype html><title>404</title>'));
  await assert.rejects(load(notOnnx), { code: 'corrupt_data', message: 'unet/model.onnx is not an ONNX model (33 bytes, starting 3c 21 64 6f).' });

  const garbage = tinyFiles();
  garbage.set('vae_decoder/model.onnx', Uint8Array.from({ length: 64 }, (_, i) => (i === 0 ? 8 : 0xff)));
  await assert.rejects(load(garbage), (err) => err.code === 'corrupt_data' && err.message.startsWith('vae_decoder/model.onnx could not be loaded by ONNX Runtime'));

  // Renaming the UNet's input "sample" inside the protobuf (same length: the graph stays valid).
  const renamed = tinyFiles();
  const unet = renamed.get('unet/model.onnx').slice();
  const from = new TextEncoder().encode('sample');
  let replaced = 0;
  for (let i = 0; i + from.length <= unet.length; i++) {
    if (from.every((b, k) => unet[i + k] === b)) { unet[i + 5] = 'a'.charCodeAt(0); replaced++; }
  }
  assert.ok(replaced >= 2);
  renamed.set('unet/model.onnx', unet);
  await assert.rejects(load(renamed), { code: 'invalid_argument',
    message: 'This diffusers model cannot be used: unet has no input "sample" (its inputs: ["sampla", "timestep", "encoder_hidden_states"])' });

  const vPrediction = tinyFiles();
  const config = JSON.parse(new TextDecoder().decode(vPrediction.get('scheduler/scheduler_config.json')));
  vPrediction.set('scheduler/scheduler_config.json', new TextEncoder().encode(JSON.stringify({ ...config, prediction_type: 'v_prediction' })));
  await assert.rejects(load(vPrediction), { code: 'unsupported',
    message: 'This diffusers model cannot be used: scheduler prediction_type "v_prediction" is not supported (only epsilon-prediction models)' });

  const brokenJson = tinyFiles();
  brokenJson.set('scheduler/scheduler_config.json', new TextEncoder().encode('{"_class_name": '));
  await assert.rejects(load(brokenJson), (err) => err.code === 'corrupt_data' && err.message.startsWith('scheduler/scheduler_config.json is not valid JSON'));

  const half = tinyFiles();
  half.set('unet/model.onnx', new Uint8Array(readFileSync(path.join(variants, 'unet-float16-io.onnx'))));
  await assert.rejects(load(half, { backend: 'webgpu', shaderF16: false }), { code: 'unsupported',
    message: 'This model computes in float16 (unet sample, unet encoder_hidden_states, unet out_sample), which needs a WebGPU adapter with the shader-f16 feature; this one has none.' });

  const halfWeights = tinyFiles();
  halfWeights.set('unet/model.onnx', new Uint8Array(readFileSync(path.join(variants, 'unet-float16-weights.onnx'))));
  assert.deepEqual([...onnxWeightTypes(halfWeights.get('unet/model.onnx'))], [10]);
  assert.deepEqual([...onnxWeightTypes(tinyFiles().get('unet/model.onnx'))], [1]);
  await assert.rejects(load(halfWeights, { backend: 'webgpu', shaderF16: false }), { code: 'unsupported',
    message: 'unet/model.onnx stores float16 weights, which need a WebGPU adapter with the shader-f16 feature; this one has none.' });

  // A text encoder whose length is fixed at 64 (its reported signature patched) vs the 77-token tokenizer.
  const fixedLength = { ...ort, InferenceSession: { create: async (bytes, options) => {
    const s = await ort.InferenceSession.create(bytes, options);
    if (s.inputNames[0] !== 'input_ids') return s;
    const outputs = s.outputMetadata.map((m) => (m.shape.length === 3 ? { ...m, shape: ['batch_size', 64, m.shape[2]] } : m));
    return Object.create(s, { inputMetadata: { value: [{ ...s.inputMetadata[0], shape: ['batch_size', 64] }] },
      outputMetadata: { value: outputs } });
  } } };
  await assert.rejects(load(tinyFiles(), { ort: fixedLength }), { code: 'invalid_argument',
    message: 'The text encoder takes 64 tokens but tokenizer/tokenizer_config.json says model_max_length 77.' });

  await assert.rejects(load(tinyFiles(), { maxWasmBytes: 100_000 }), (err) => err.code === 'resource_exhausted' &&
    /the WebAssembly backend can hold at most .* GB\. Use a browser with WebGPU\./.test(err.message));

  await assert.rejects(generate({ prompt: 'x', width: 60 }), { code: 'invalid_argument', message: 'width 60 must be a multiple of 8 in 8..4096' });
  await assert.rejects(generate({ prompt: 'x', sampler: 'heun' }), { code: 'invalid_argument',
    message: 'sampler "heun" must be euler, euler-ancestral, ddim or lcm' });
});

test('a picked folder drops its top directory and skips unrelated files; files picked one by one are refused', async () => {
  const read = [];
  const file = (p, bytes) => ({ webkitRelativePath: `sd-turbo/${p}`, arrayBuffer: async () => { read.push(p); return bytes.buffer; } });
  const extra = ['unet/diffusion_pytorch_model.safetensors', 'README.md', 'unet/model.onnx_data'];
  const files = await readLayoutFiles([...[...tinyFiles()].map(([p, bytes]) => file(p, bytes)), ...extra.map((p) => file(p, new Uint8Array(4)))]);
  assert.deepEqual([...files.keys()].sort(), [...tinyFiles().keys(), 'unet/model.onnx_data'].sort());
  assert.ok(!read.includes('README.md') && !read.includes('unet/diffusion_pytorch_model.safetensors'), 'unrelated files stay unread');
  const loose = [...tinyFiles()].map(([p, bytes]) => ({ name: p.split('/').pop(), webkitRelativePath: '', arrayBuffer: async () => bytes.buffer }));
  await assert.rejects(readLayoutFiles(loose), { code: 'invalid_argument',
    message: 'Two files are both "model.onnx": pick the model\'s folder, so that each file keeps its folder (unet/model.onnx, ...).' });
});

test('float16: every half value round-trips; float32 rounds to the nearest half, ties to even', () => {
  for (let bits = 0; bits < 0x10000; bits++) {
    const v = float16BitsToFloat32(bits);
    if (Number.isNaN(v)) assert.ok(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(v))));
    else assert.equal(float32ToFloat16Bits(v), bits, `bits ${bits.toString(16)}`);
  }
  assert.equal(float32ToFloat16Bits(1 + 2 ** -11), 0x3c00); // tie -> even (1.0)
  assert.equal(float32ToFloat16Bits(1 + 3 * 2 ** -11), 0x3c02); // tie -> even (1 + 2^-9)
  assert.equal(float32ToFloat16Bits(65520), 0x7c00); // rounds past the largest half: infinity
  assert.equal(float32ToFloat16Bits(2 ** -25), 0); // tie with the smallest subnormal -> even (0)
  assert.equal(float32ToFloat16Bits(1.5 * 2 ** -25), 1);
  // Random finite-range floats (normal and subnormal halves): the chosen half is at least as near as its neighbours.
  let s = 12345;
  for (let i = 0; i < 100_000; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const x = Math.fround((s / 2 ** 32 - 0.5) * 2 ** ((i % 40) - 24));
    const b = float32ToFloat16Bits(x);
    const d = Math.abs(float16BitsToFloat32(b) - x);
    for (const n of [b - 1, b + 1]) {
      if ((n & 0x7fff) <= 0x7bff && (n & 0x8000) === (b & 0x8000)) assert.ok(d <= Math.abs(float16BitsToFloat32(n) - x), `${x}`);
    }
  }
});
