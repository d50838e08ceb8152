// ./huabu eval for image-safety models (nsfw-mobilenet-v2): the ONNX conversion must still
// agree with the original nsfwjs model (TF.js, cpu backend) as recorded in metrics.json.
// --quick: the 8 synthetic images + 6 photos; otherwise every set of check_nsfwjs.mjs.
// Re-record with: node models/safety/check_nsfwjs.mjs --write-metrics models/<id>/metrics.json
//
//   node models/eval/safety-eval.mjs --models nsfw-mobilenet-v2 [--quick] [--json out.json]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadOrt, createSession } from './ort.mjs';
import { loadReference, compare, syntheticImages, photoImages, datasetImages } from '../safety/agreement.mjs';

const modelsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (k) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : null; };
const quick = args.includes('--quick');
const ids = (arg('--models') ?? 'nsfw-mobilenet-v2').split(',');
// Two float32 implementations of one network: differences are rounding only. The recorded
// worst case is ~5e-5; 1e-4 leaves room for another CPU's summation order.
const TOL = 1e-4;

await tf.setBackend('cpu');
const reference = await loadReference(tf);
const ctx = await loadOrt();
const images = quick ? [...syntheticImages(), ...photoImages().slice(0, 6)] : [...syntheticImages(), ...photoImages(), ...datasetImages(8)];
const results = [];
let ok = true;
for (const id of ids) {
  const dir = path.join(modelsDir, id);
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const session = await createSession(ctx, path.join(dir, m.files[0].path));
  const { summary } = await compare(tf, reference, ctx.ort, session, images);
  const recorded = JSON.parse(readFileSync(path.join(dir, 'metrics.json'), 'utf8')).agreement?.[ctx.backend]?.all;
  const r = { id, task: m.task, backend: ctx.backend, ...summary, recorded_max_abs_diff: recorded?.max_abs_diff_probabilities, tolerance: TOL };
  r.ok = summary.max_abs_diff_probabilities <= TOL && summary.argmax_agreement === 1 && recorded?.argmax_agreement === 1;
  ok &&= r.ok;
  console.log(`image-safety ${id}: ${JSON.stringify(r)}`);
  results.push(r);
}
const out = arg('--json');
if (out) writeFileSync(out, `${JSON.stringify({ models: results }, null, 2)}\n`);
process.exit(ok ? 0 : 1);
