#!/usr/bin/env node
// Checks the ONNX conversion of nsfwjs's MobileNetV2 against the original model (TF.js, cpu
// backend) on photos, synthetic images and (when .cache/data is built) emoji of every style;
// checks the JS preprocessing against tf.image.resizeBilinear; optionally times ORT-web wasm.
//
//   node models/safety/check_nsfwjs.mjs [--model models/nsfw-mobilenet-v2/model.onnx]
//        [--ort node|web] [--time] [--write-metrics models/nsfw-mobilenet-v2/metrics.json]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadOrt, createSession } from '../eval/ort.mjs';
import { root, loadReference, compare, summarise, syntheticImages, photoImages, datasetImages, resizeDiff } from './agreement.mjs';
import { SIZE, CLASSES } from '../../web/src/ml/safety-input.js';

const arg = (k, d) => { const i = process.argv.indexOf(k); return i >= 0 ? process.argv[i + 1] : d; };
const modelPath = path.resolve(arg('--model', path.join(root, 'models/nsfw-mobilenet-v2/model.onnx')));
await tf.setBackend('cpu');
const reference = await loadReference(tf);
const ctx = await loadOrt(arg('--ort', 'node'));
const session = await createSession(ctx, modelPath);

const sets = { synthetic: syntheticImages(), photos: photoImages(), dataset: datasetImages(8) };
const result = { backend: ctx.backend, sets: {}, worst: [] };
const all = [];
for (const [name, images] of Object.entries(sets)) {
  const { rows, summary } = await compare(tf, reference, ctx.ort, session, images);
  const classes = [0, 0, 0, 0, 0];
  for (const r of rows) classes[r.argmax_tfjs]++;
  // images the original model puts in Hentai/Porn/Sexy: false positives, since no set holds NSFW images
  const flagged = rows.filter((r) => r.argmax_tfjs === 1 || r.argmax_tfjs >= 3)
    .map((r) => ({ name: r.name, class: CLASSES[r.argmax_tfjs], p: Number(r.tfjs[r.argmax_tfjs].toFixed(3)) }));
  result.sets[name] = { ...summary, tfjs_argmax_histogram: Object.fromEntries(CLASSES.map((c, i) => [c, classes[i]])), flagged };
  all.push(...rows);
  console.log(name, JSON.stringify(result.sets[name]));
}
result.all = summarise(all);
result.worst = all.sort((a, b) => b.max_abs_diff - a.max_abs_diff).slice(0, 3).map((r) => ({ name: r.name, max_abs_diff: r.max_abs_diff }));
result.preprocess_vs_tf_resizeBilinear_max_abs_diff = Math.max(...[...sets.synthetic, ...sets.photos.slice(0, 4)].map((img) => resizeDiff(tf, img)));
console.log('all', JSON.stringify(result.all), 'resize', result.preprocess_vs_tf_resizeBilinear_max_abs_diff);

if (process.argv.includes('--time')) {
  const web = await loadOrt('web');
  const ws = await createSession(web, modelPath);
  const feeds = { input: new web.ort.Tensor('float32', new Float32Array(3 * SIZE * SIZE).fill(0.5), [1, 3, SIZE, SIZE]) };
  await ws.run(feeds);
  const t = [];
  for (let i = 0; i < 7; i++) { const t0 = performance.now(); await ws.run(feeds); t.push(performance.now() - t0); }
  result.onnxruntime_web_wasm_1thread_ms_median = t.sort((a, b) => a - b)[3];
  result.load_average_1min = os.loadavg()[0]; // timings mean little while other jobs run
  console.log('ORT-web wasm 1 thread, one image:', result.onnxruntime_web_wasm_1thread_ms_median.toFixed(1), 'ms');
}

const out = arg('--write-metrics');
if (out) {
  const prev = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
  prev.agreement = { ...prev.agreement, [ctx.backend]: { ...result, command: `node models/safety/check_nsfwjs.mjs ${process.argv.slice(2).join(' ')}`, date: new Date().toISOString() } };
  writeFileSync(out, `${JSON.stringify(prev, null, 2)}\n`);
}
