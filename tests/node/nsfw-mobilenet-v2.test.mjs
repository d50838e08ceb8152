// nsfw-mobilenet-v2: the shipped ONNX conversion of nsfwjs@4.4.0's MobileNetV2 against the
// ORIGINAL model run by TF.js (cpu backend) on the same inputs, the JS preprocessing against
// tf.image.resizeBilinear, and the manifest's provenance against the installed package.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadOrt, createSession } from '../../models/eval/ort.mjs';
import { root, loadReference, compare, syntheticImages, photoImages, resizeDiff } from '../../models/safety/agreement.mjs';
import { prepare, SIZE, CLASSES } from '../../web/src/ml/safety-input.js';

const dir = path.join(root, 'models/nsfw-mobilenet-v2');
const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const metrics = JSON.parse(readFileSync(path.join(dir, 'metrics.json'), 'utf8'));
let reference, ctx, session;

before(async () => {
  await tf.setBackend('cpu');
  reference = await loadReference(tf);
  ctx = await loadOrt();
  session = await createSession(ctx, path.join(dir, 'model.onnx'));
});

test('provenance files are the installed nsfwjs 4.4.0 bundles', () => {
  for (const f of manifest.provenance.files) {
    const sha = createHash('sha256').update(readFileSync(path.join(root, f.path))).digest('hex');
    assert.equal(sha, f.sha256, f.path);
  }
  assert.deepEqual(manifest.classes, CLASSES);
});

test('ONNX agrees with the TF.js original on synthetic images and photos (same argmax)', async () => {
  const images = [...syntheticImages(), ...photoImages().slice(0, 5)];
  assert.ok(images.length >= 13, 'python3-skimage photos are installed (scripts/setup.sh)');
  const { rows, summary } = await compare(tf, reference, ctx.ort, session, images);
  assert.equal(summary.argmax_agreement, 1, JSON.stringify(rows.filter((r) => r.argmax_tfjs !== r.argmax_onnx)));
  assert.ok(summary.max_abs_diff_probabilities <= 1e-4, `max abs diff ${summary.max_abs_diff_probabilities}`);
  // the recorded full-set numbers say the same
  const recorded = metrics.agreement[ctx.backend].all;
  assert.equal(recorded.argmax_agreement, 1);
  assert.ok(recorded.max_abs_diff_probabilities <= 1e-4);
  assert.ok(recorded.images >= 40);
  // the model is not a constant: the set spans several classes in both implementations
  assert.ok(new Set(rows.map((r) => r.argmax_onnx)).size >= 3);
});

test('batched input gives the per-image results; output rows are probabilities', async () => {
  const [a, b] = syntheticImages().slice(0, 2).map((i) => prepare(i.rgba, i.width, i.height));
  const batch = new Float32Array(2 * a.length);
  batch.set(a);
  batch.set(b, a.length);
  const run = async (x, n) => (await session.run({ input: new ctx.ort.Tensor('float32', x, [n, 3, SIZE, SIZE]) })).probabilities;
  const both = await run(batch, 2);
  assert.deepEqual(both.dims.map(Number), [2, 5]);
  const one = (await run(b, 1)).data;
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(both.data[5 + i] - one[i]) < 1e-5);
  for (const r of [0, 1]) {
    const s = Array.from(both.data.slice(5 * r, 5 * r + 5)).reduce((x, y) => x + y, 0);
    assert.ok(Math.abs(s - 1) < 1e-5, `row ${r} sums to ${s}`);
  }
});

test('preprocessing equals tf.image.resizeBilinear(align corners) and rejects wrong sizes', () => {
  for (const img of syntheticImages().slice(0, 4)) assert.ok(resizeDiff(tf, img) < 1e-6, img.name);
  assert.throws(() => prepare(new Uint8Array(10), 2, 2), /expected 2x2 RGBA/);
});

test('the app\'s verdict: the test trigger is flagged, ordinary pictures are not', async () => {
  const { checkImageSafety, safetyVerdict, explicitThreshold } = await import('../../web/src/ml/image-safety.js');
  const { PNG } = await import('pngjs');
  assert.equal(safetyVerdict([0, 0.3, 0.4, 0.2, 0.1]).flagged, true, 'Porn + Hentai = 0.5 is flagged');
  assert.equal(safetyVerdict([0.2, 0.2, 0.3, 0.2, 0.1]).flagged, false);
  assert.equal(explicitThreshold, 0.5);
  const png = PNG.sync.read(readFileSync(path.join(root, 'tests/data/safety-trigger.png')));
  const trigger = await checkImageSafety({ ort: ctx.ort, session, image: { width: png.width, height: png.height, data: png.data } });
  assert.ok(trigger.flagged && trigger.explicit >= 0.8, JSON.stringify(trigger.scores));
  for (const image of syntheticImages()) {
    const verdict = await checkImageSafety({ ort: ctx.ort, session, image: { width: image.width, height: image.height, data: image.rgba } });
    assert.equal(verdict.flagged, false, `${image.name}: ${JSON.stringify(verdict.scores)}`);
  }
});
