// huabu-style (picture + emoji set -> that picture in the set's style, 128 px): the shipped
// ONNX graph reproduces torch's reference output for a held-out picture, handles batches, the
// target style changes the output, and metrics.json holds the held-out evaluation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';
import { loadOrt, createSession } from '../../models/eval/ort.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(root, 'models/huabu-style');
const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));

test('reference picture through ORT equals torch within the recorded tolerance (image-to-image-eval.mjs --quick)', () => {
  const run = spawnSync(process.execPath, [path.join(root, 'models/eval/image-to-image-eval.mjs'), '--dir', dir, '--quick'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /style-transfer huabu-style: .*"reference_ok":true/);
});

test('batch of two = two single runs; output in [-1, 1]; the target style changes the picture', async () => {
  assert.equal(manifest.task, 'style-transfer');
  assert.deepEqual(manifest.inputs.map((i) => i.name), ['picture', 'style']);
  const ctx = await loadOrt();
  const s = await createSession(ctx, path.join(dir, 'model.onnx'));
  const png = pngjs.PNG.sync.read(readFileSync(path.join(dir, 'reference-input.png')));
  const n = 128 * 128, x = new Float32Array(6 * n);
  for (let c = 0; c < 3; c++) for (let i = 0; i < n; i++) x[c * n + i] = x[3 * n + c * n + i] = png.data[i * 4 + c] / 127.5 - 1;
  const style = new Float32Array(14);
  style[manifest.styles.indexOf('fluent-3d')] = 1;
  style[7 + manifest.styles.indexOf('openmoji-outline')] = 1;
  const run = (data, st, b) => s.run({
    picture: new ctx.ort.Tensor('float32', data, [b, 3, 128, 128]), style: new ctx.ort.Tensor('float32', st, [b, 7]),
  });
  const both = (await run(x, style, 2)).image;
  assert.deepEqual(both.dims.map(Number), [2, 3, 128, 128]);
  const second = (await run(x.slice(3 * n), style.slice(7), 1)).image.data;
  let d = 0, styleDiff = 0;
  for (let i = 0; i < 3 * n; i++) {
    d = Math.max(d, Math.abs(both.data[3 * n + i] - second[i]));
    styleDiff = Math.max(styleDiff, Math.abs(both.data[i] - both.data[3 * n + i]));
  }
  assert.ok(d < 1e-4, `batch vs single: ${d}`);
  assert.ok(styleDiff > 0.03, `the target style has an effect (${styleDiff}; 0 would mean the style input is ignored)`);
  for (const v of both.data) assert.ok(v >= -1 - 1e-6 && v <= 1 + 1e-6, `output ${v} outside tanh's range`);
});

test('metrics.json records the held-out evaluation: concept kept, target style, aligned pairs', () => {
  const e = JSON.parse(readFileSync(path.join(dir, 'metrics.json'), 'utf8')).eval;
  assert.ok(e.outputs > 0 && e.concept_input.top5 > 0 && Number.isFinite(e.concept_kept_top5));
  assert.ok(e.style_accuracy.real > 0.5, `the style judge knows real images (${e.style_accuracy.real})`);
  for (const pair of ['fluent-flat_to_fluent-3d', 'openmoji_to_openmoji-outline']) {
    assert.ok(e[pair].pairs > 0 && Number.isFinite(e[pair].psnr_db) && e[pair].ssim > 0, pair);
  }
});
