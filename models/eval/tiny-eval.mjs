// ./huabu eval for text-to-image models (huabu-tiny). Node only, no torch, no dataset:
// - reproduces the fixed-seed reference sample recorded at export (reference-sample.json)
//   through ONNX Runtime + the JS sampler (Philox noise, Euler, CFG): max abs diff <= 2e-3
// - times one UNet call at batch 8 and a 4-image CFG sample (skipped with --quick)
// - prints the prompt-adherence metrics recorded in metrics.json; those need the dataset and
//   torch to re-measure: nice -n 19 /usr/bin/python3 models/eval/tiny-eval.py (see its header)
//
//   node models/eval/tiny-eval.mjs --models huabu-tiny [--quick] [--json out.json]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrt, createSession } from './ort.mjs';
import { sampleTiny, seedNoise } from '../tiny/sampler.mjs';

const modelsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (k) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : null; };
const quick = args.includes('--quick');
const ids = (arg('--models') ?? 'huabu-tiny').split(',');
const ctx = await loadOrt();
const results = [];
let ok = true;
for (const id of ids) {
  const dir = path.join(modelsDir, id);
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const ref = JSON.parse(readFileSync(path.join(dir, 'reference-sample.json'), 'utf8'));
  const s = {
    text: await createSession(ctx, path.join(dir, m.graphs.text_encoder.path)),
    unet: await createSession(ctx, path.join(dir, m.graphs.unet.path)),
  };
  const img = await sampleTiny(ctx.ort, s, BigInt64Array.from(ref.ids.map(BigInt)), BigInt64Array.from([BigInt(ref.style)]),
    seedNoise(ref.seed, 1), { steps: ref.steps, guidance: ref.guidance, guidanceAbove: ref.guidance_above ?? 0 });
  let diff = 0;
  for (let i = 0; i < img.length; i++) diff = Math.max(diff, Math.abs(img[i] - ref.image[i]));
  const r = { id, task: m.task, backend: ctx.backend, reference_sample_max_abs_diff: diff, reference_ok: diff <= 2e-3 };
  ok &&= r.reference_ok;
  if (!quick) {
    const { ort } = ctx;
    const feeds = {
      sample: new ort.Tensor('float32', seedNoise(1, 8), [8, 3, 32, 32]),
      timestep: new ort.Tensor('float32', new Float32Array(8).fill(0.5), [8]),
      cond: new ort.Tensor('float32', new Float32Array(8 * m.text.cond_dim).fill(0.1), [8, m.text.cond_dim]),
    };
    await s.unet.run(feeds);
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await s.unet.run(feeds);
    r.unet_batch8_ms = (performance.now() - t0) / 5;
    const t1 = performance.now();
    await sampleTiny(ort, s, new BigInt64Array(4 * 16).fill(5n), new BigInt64Array(4).fill(1n), seedNoise(3, 4),
      { steps: m.sampler.steps, guidance: m.sampler.guidance, guidanceAbove: m.sampler.guidance_above ?? 0 });
    r[`sample_4_images_${m.sampler.steps}_steps_cfg_ms`] = performance.now() - t1;
  }
  const metricsPath = path.join(dir, 'metrics.json');
  if (existsSync(metricsPath)) {
    const e = JSON.parse(readFileSync(metricsPath, 'utf8')).eval ?? {};
    r.recorded = {
      heldout_top5_generated: e.heldout_en?.generated?.top5_all, heldout_top5_real: e.heldout_en?.real?.top5_all,
      train_top5_generated: e.train_en?.generated?.top5_all, train_top5_real: e.train_en?.real?.top5_all,
      note: 're-measure with models/eval/tiny-eval.py (needs torch and the dataset)',
    };
  }
  console.log(`text-to-image ${id}: ${JSON.stringify(r)}`);
  results.push(r);
}
const out = arg('--json');
if (out) writeFileSync(out, `${JSON.stringify({ models: results }, null, 2)}\n`);
process.exit(ok ? 0 : 1);
