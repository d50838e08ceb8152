// huabu-cli generate --model-dir <diffusers layout>: the core's DiffusersTextToImage pipeline
// natively (OpenCV dnn, graphs pinned to the request's sizes at their first run) against the
// browser's path (the same core in wasm, web/src/ml/diffusers-pipeline.js, onnxruntime-web on
// the wasm EP), on the tiny random-weight fixture (tests/data/diffusers-tiny): the
// native/browser parity of issue #4 for the standard layout, every sampler, guidance (UNet
// batch 2), int32 input_ids; and clear errors for what the native engine cannot run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';

import { loadOrt } from '../../models/eval/ort.mjs';
import { loadHuabuCore } from '../../wasm/huabu-core.js';
import { loadDiffusersModel, readLayoutFiles } from '../../web/src/ml/diffusers-model.js';
import { generateDiffusersImages } from '../../web/src/ml/diffusers-pipeline.js';
import { imagesToRgba } from '../../web/src/ml/text-to-image.js';
import { psnrRgb } from './rgba-compare.mjs';
import { loadCjsFactory, root } from './wasm-module.mjs';

const cli = path.join(root, 'build/native/cli/huabu-cli');
const fixture = path.join(root, 'tests/data/diffusers-tiny');
const variants = path.join(root, 'tests/data/diffusers-tiny-variants');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'huabu-diffusers-'));
const run = (...args) => spawnSync(cli, ['generate', ...args], { encoding: 'utf8' });
const pixels = (file) => PNG.sync.read(fs.readFileSync(file));

function listFiles(dir, prefix = '') {
  return fs.readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return fs.statSync(full).isDirectory() ? listFiles(full, `${prefix}${name}/`) : [[`${prefix}${name}`, new Uint8Array(fs.readFileSync(full))]];
  });
}

// A copy of the fixture with some files replaced (path -> bytes) or removed (path -> null).
function layoutWith(changes) {
  const dir = fs.mkdtempSync(path.join(tmp, 'layout-'));
  for (const [file, bytes] of listFiles(fixture)) {
    const data = file in changes ? changes[file] : bytes;
    if (data === null) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), data);
  }
  return dir;
}

const core = await loadHuabuCore(loadCjsFactory());
const { ort } = await loadOrt('web');
const model = await loadDiffusersModel({ core, ort, files: await readLayoutFiles(new Map(listFiles(fixture))),
  sessionOptions: { executionProviders: ['wasm'] } });

for (const request of [
  { prompt: 'a red apple', seed: '42', steps: 2, width: 64, height: 64 },
  { prompt: 'a cat on a chair', seed: '7', count: 2, steps: 3, guidance: 3, negativePrompt: 'a dog', sampler: 'euler-ancestral', width: 32, height: 64 },
  { prompt: 'a lighthouse', seed: '3', steps: 4, sampler: 'ddim', width: 48, height: 32 },
  { prompt: 'a boat', seed: '5', steps: 2, guidance: 2, sampler: 'lcm', width: 32, height: 32 },
]) {
  test(`native = browser: ${JSON.stringify(request)}`, async (t) => {
    const out = path.join(tmp, `parity-${request.seed}.png`);
    const args = [request.prompt, out, '--model-dir', fixture, '--seed', request.seed];
    for (const k of ['count', 'steps', 'guidance', 'sampler', 'width', 'height']) if (request[k] !== undefined) args.push(`--${k}`, String(request[k]));
    if (request.negativePrompt) args.push('--negative', request.negativePrompt);
    const r = run(...args);
    assert.equal(r.status, 0, r.stderr);
    const total = (request.count ?? 1) * request.steps;
    assert.match(r.stderr, new RegExp(`step ${total}/${total}\\n`));
    const done = await generateDiffusersImages({ core, ort, model, request });
    const expected = imagesToRgba(core, done);
    assert.equal(expected.length, request.count ?? 1);
    for (const [i, image] of expected.entries()) {
      const native = pixels(i === 0 ? out : out.replace(/\.png$/, `-${i + 1}.png`));
      assert.deepEqual([native.width, native.height], [request.width, request.height]);
      const { db, max } = psnrRgb(native.data, image.data);
      t.diagnostic(`image ${i + 1}: native vs browser PSNR ${db.toFixed(1)} dB, max |diff| ${max} levels`);
      assert.ok(db >= 40, `image ${i + 1}: native vs browser ${db.toFixed(1)} dB (need 40)`);
    }
    // The fixture draws noise, not pictures; make sure it is not flat either.
    const native = pixels(out).data;
    assert.ok(native.some((v, i) => i % 4 !== 3 && Math.abs(v - native[0]) > 10), 'the image is not flat');
  });
}

test('same seed, same bytes; --upscale 4 goes through huabu-sr-x4', () => {
  const [a, b, big] = ['a.png', 'b.png', 'big.png'].map((f) => path.join(tmp, f));
  for (const file of [a, b]) assert.equal(run('a red apple', file, '--model-dir', fixture, '--seed', '9', '--width', '32', '--height', '32').status, 0);
  assert.deepEqual(fs.readFileSync(a), fs.readFileSync(b));
  const r = run('a red apple', big, '--model-dir', fixture, '--seed', '9', '--width', '32', '--height', '32', '--upscale', '4');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /big\.png: 128 x 128/);
});

test('a UNet storing float16 weights runs natively (widened at load) and draws nearly the same picture', (t) => {
  const dir = layoutWith({ 'unet/model.onnx': fs.readFileSync(path.join(variants, 'unet-float16-weights.onnx')) });
  const [full, half] = ['full.png', 'half.png'].map((f) => path.join(tmp, f));
  const opts = ['--seed', '11', '--steps', '2', '--width', '32', '--height', '32'];
  assert.equal(run('a red apple', full, '--model-dir', fixture, ...opts).status, 0);
  const r = run('a red apple', half, '--model-dir', dir, ...opts);
  assert.equal(r.status, 0, r.stderr);
  const { db } = psnrRgb(pixels(full).data, pixels(half).data);
  t.diagnostic(`float16 weights vs float32: ${db.toFixed(1)} dB`);
  assert.ok(db >= 35, `${db} dB`);
});

test('prompts: empty, over-long, 10,000 characters and not UTF-8', () => {
  const out = path.join(tmp, 'prompt.png');
  const opts = ['--model-dir', fixture, '--seed', '1', '--steps', '1', '--width', '16', '--height', '16'];
  for (const [prompt, message] of [['', /the prompt is empty/], ['   ', /the prompt is empty/], ['a'.repeat(100_001), /invalid_argument: .*100000/]]) {
    const r = run(prompt, out, ...opts);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, message);
  }
  const bad = spawnSync('bash', ['-c', `"${cli}" generate "$(printf 'a red \\xff fox')" "${out}" ${opts.join(' ')}`], { encoding: 'utf8' });
  assert.equal(bad.status, 1, bad.stderr);
  assert.match(bad.stderr, /invalid_argument: .*not valid UTF-8/);
  assert.ok(!fs.existsSync(out));
  // 10,000 characters: the first 75 tokens count (CLIP's 77 with bos and eos), as in the browser.
  const long = run('a red apple '.repeat(834), out, ...opts);
  assert.equal(long.status, 0, long.stderr);
});

test('what the native engine or the pipeline cannot run gets a clear error, and nothing is written', () => {
  const out = path.join(tmp, 'bad.png');
  const float16Io = fs.readFileSync(path.join(variants, 'unet-float16-io.onnx'));
  for (const [dir, message] of [
    [layoutWith({ 'unet/model.onnx': float16Io }),
      /unsupported: .*unet\/model\.onnx: 'sample' is float16; the native engine handles float32 and int64 \(and int32 inputs\) only/],
    [layoutWith({ 'vae_decoder/model.onnx': Buffer.from('<!doctype html><p>not found</p>') }), /corrupt_data: .*vae_decoder\/model\.onnx/],
    [layoutWith({ 'tokenizer/merges.txt': null }), /invalid_argument: .* is not a complete diffusers ONNX layout: missing tokenizer\/merges\.txt/],
    [layoutWith({ 'scheduler/scheduler_config.json': Buffer.from('{"prediction_type": "v_prediction"}') }), /unsupported: .*v_prediction/],
    [layoutWith({ 'scheduler/scheduler_config.json': Buffer.from('{"num_train_timesteps": "many"') }), /corrupt_data: .*scheduler_config\.json: not valid JSON/],
    [layoutWith({ 'scheduler/scheduler_config.json': Buffer.from('{"num_train_timesteps": "many"}') }), /corrupt_data: .*num_train_timesteps must be an integer/],
  ]) {
    const r = run('a red apple', out, '--model-dir', dir, '--seed', '1', '--steps', '1', '--width', '16', '--height', '16');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, message);
  }
  for (const [args, message] of [
    [['--width', '60'], /width 60 must be a multiple of 8/],
    [['--sampler', 'heun'], /heun/],
    [['--steps', 'few'], /--steps must be an integer, got 'few'/],
  ]) {
    const r = run('a red apple', out, '--model-dir', fixture, '--seed', '1', ...args);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, message);
  }
  assert.ok(!fs.existsSync(out), 'nothing written for a refused request');
});
