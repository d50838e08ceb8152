// huabu-sketch (sketch -> 128 px image): the shipped ONNX graph reproduces torch's reference
// output for a held-out sketch, handles batches, and its metrics.json holds the held-out
// evaluation. Skipped while no model is shipped (recipe only: models/sketch/README.md).
// HUABU_SKETCH_DIR=/path/to/export runs it on an export outside models/ (e.g. a smoke run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';
import { loadOrt, createSession } from '../../models/eval/ort.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = process.env.HUABU_SKETCH_DIR ? path.resolve(process.env.HUABU_SKETCH_DIR) : path.join(root, 'models/huabu-sketch');
const skip = existsSync(path.join(dir, 'manifest.json')) ? false : `no model at ${dir} yet (recipe only, see models/sketch/README.md)`;

test('reference sketch through ORT equals torch within the recorded tolerance (image-to-image-eval.mjs --quick)', { skip }, () => {
  const run = spawnSync(process.execPath, [path.join(root, 'models/eval/image-to-image-eval.mjs'), '--dir', dir, '--quick'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /"reference_ok":true/);
});

test('batch of two = two single runs; output in [-1, 1]; style input changes the image', { skip }, async () => {
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  assert.equal(m.task, 'sketch-to-image');
  const ctx = await loadOrt();
  const s = await createSession(ctx, path.join(dir, 'model.onnx'));
  const sk = pngjs.PNG.sync.read(readFileSync(path.join(dir, 'reference-sketch.png')));
  const n = 128 * 128, x = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) { x[i] = sk.data[i * 4] / 127.5 - 1; x[n + i] = x[i]; }
  const style = new Float32Array(14);
  style[2] = 1; // openmoji
  style[7 + 0] = 1; // noto
  const run = (data, st, b) => s.run({
    sketch: new ctx.ort.Tensor('float32', data, [b, 1, 128, 128]), style: new ctx.ort.Tensor('float32', st, [b, 7]),
  });
  const both = (await run(x, style, 2)).image;
  assert.deepEqual(both.dims.map(Number), [2, 3, 128, 128]);
  const second = (await run(x.slice(n), style.slice(7), 1)).image.data;
  let d = 0, styleDiff = 0;
  for (let i = 0; i < 3 * n; i++) {
    d = Math.max(d, Math.abs(both.data[3 * n + i] - second[i]));
    styleDiff = Math.max(styleDiff, Math.abs(both.data[i] - both.data[3 * n + i]));
  }
  assert.ok(d < 1e-4, `batch vs single: ${d}`);
  assert.ok(styleDiff > 1e-3, 'the style input has an effect');
  for (const v of both.data) assert.ok(v >= -1 - 1e-6 && v <= 1 + 1e-6, `output ${v} outside tanh's range`); // ORT's tanh may round past 1 by an ulp
});

test('metrics.json records the held-out evaluation (outline, freehand, synthetic)', { skip: skip || (!existsSync(path.join(dir, 'metrics.json')) && 'no metrics.json') }, () => {
  const e = JSON.parse(readFileSync(path.join(dir, 'metrics.json'), 'utf8')).eval;
  for (const set of ['outline', 'freehand', 'synthetic']) {
    assert.ok(e[set].images > 0 && Number.isFinite(e[set].psnr_db) && e[set].ssim > 0, set);
    assert.ok(e[set].judge_real.top5 > 0, `${set}: judge on real targets`);
  }
});
