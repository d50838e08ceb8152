// Checks the exported huabu-tiny graphs in ONNX Runtime against torch's reference outputs
// (written by export_tiny.py to .cache/tiny-export/check.json) and times the UNet.
//
//   node models/tiny/check_onnx.mjs [--dir models/huabu-tiny] [--ref .cache/tiny-export/check.json]
//        [--time] [--json out.json] [--baseline DIR]
// --baseline: also run the graphs in DIR (e.g. a previous export) on the same inputs in
// onnxruntime-node and report the largest difference from this export's outputs.
// --time: ORT-web wasm (1 thread and 2 threads) latency of one UNet call at batch 8, the
// text encoder at batch 8, and a full 4-image 12-step CFG sample.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { philoxNormal, sampleTiny, seedNoise } from './sampler.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (k, d) => { const i = process.argv.indexOf(k); return i >= 0 ? process.argv[i + 1] : d; };
const dir = path.resolve(arg('--dir', path.join(root, 'models/huabu-tiny')));
const ref = JSON.parse(readFileSync(arg('--ref', path.join(root, '.cache/tiny-export/check.json')), 'utf8'));
const report = {};

const maxDiff = (a, b) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };

async function sessions(ort, providers, from = dir) {
  const load = (p) => ort.InferenceSession.create(new Uint8Array(readFileSync(path.join(from, p))), { executionProviders: providers });
  return { text: await load('text_encoder/model.onnx'), unet: await load('unet/model.onnx') };
}

// The check inputs through one pair of sessions: cond, velocity and a 12-step sample.
async function outputs(ort, s) {
  const B = ref.style.length;
  const { cond } = await s.text.run({
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ref.ids.flat().map(BigInt)), [B, 16]),
    style_id: new ort.Tensor('int64', BigInt64Array.from(ref.style.map(BigInt)), [B]),
  });
  const nb = ref.t.length;
  const { velocity } = await s.unet.run({
    sample: new ort.Tensor('float32', Float32Array.from(ref.x), [nb, 3, 32, 32]),
    timestep: new ort.Tensor('float32', Float32Array.from(ref.t), [nb]),
    cond: new ort.Tensor('float32', Float32Array.from(ref.cond_in), [nb, ref.cond_in.length / nb]),
  });
  const noise = seedNoise(ref.sample_seed, 1);
  const img = await sampleTiny(ort, s, BigInt64Array.from(ref.sample_ids.flat().map(BigInt)),
    BigInt64Array.from([BigInt(ref.sample_style)]), noise, { steps: 12, guidance: 4 });
  return { cond, velocity, noise, img };
}

async function check(name, ort, providers) {
  const s = await sessions(ort, providers);
  const { cond, velocity, noise, img } = await outputs(ort, s);
  const r = {
    text_encoder_max_abs_diff: maxDiff(cond.data, ref.cond),
    unet_max_abs_diff: maxDiff(velocity.data, ref.v),
    philox_noise_max_abs_diff_vs_python: maxDiff(noise, ref.sample_noise),
    sample_12_steps_max_abs_diff: maxDiff(img, ref.sample_out),
  };
  console.log(name, JSON.stringify(r));
  report[name] = r;
  return s;
}

const node = await import('onnxruntime-node');
await check('onnxruntime-node', node.default ?? node, ['cpu']);
const baseline = arg('--baseline');
if (baseline) {
  const ort = node.default ?? node;
  const now = await outputs(ort, await sessions(ort, ['cpu']));
  const then = await outputs(ort, await sessions(ort, ['cpu'], path.resolve(baseline)));
  const r = {
    text_encoder_max_abs_diff: maxDiff(now.cond.data, then.cond.data),
    unet_max_abs_diff: maxDiff(now.velocity.data, then.velocity.data),
    sample_12_steps_max_abs_diff: maxDiff(now.img, then.img),
  };
  console.log(`vs baseline ${baseline} (onnxruntime-node)`, JSON.stringify(r));
  report.vs_baseline = r;
}
const webMod = await import('onnxruntime-web');
const web = webMod.default ?? webMod;
web.env.wasm.numThreads = 1;
const ws = await check('onnxruntime-web-wasm', web, ['wasm']);

if (process.argv.includes('--time')) {
  const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  const time = async (fn, n = 7) => { await fn(); const t = []; for (let i = 0; i < n; i++) { const t0 = performance.now(); await fn(); t.push(performance.now() - t0); } return med(t); };
  const cond = new web.Tensor('float32', new Float32Array(8 * 256).fill(0.1), [8, 256]);
  const feeds = {
    sample: new web.Tensor('float32', seedNoise(1, 8), [8, 3, 32, 32]),
    timestep: new web.Tensor('float32', new Float32Array(8).fill(0.5), [8]), cond,
  };
  const ids8 = new web.Tensor('int64', new BigInt64Array(8 * 16).fill(5n), [8, 16]);
  const st8 = new web.Tensor('int64', new BigInt64Array(8).fill(1n), [8]);
  const t = {};
  t.unet_batch8_ms_1thread = await time(() => ws.unet.run(feeds));
  t.text_encoder_batch8_ms_1thread = await time(() => ws.text.run({ input_ids: ids8, style_id: st8 }));
  const ids4 = new BigInt64Array(4 * 16).fill(5n), st4 = new BigInt64Array(4).fill(1n);
  t.sample_4images_cfg_12steps_ms_1thread = await time(() => sampleTiny(web, ws, ids4, st4, seedNoise(3, 4), { steps: 12, guidance: 4 }), 3);
  t.sample_4images_cfg_8steps_ms_1thread = await time(() => sampleTiny(web, ws, ids4, st4, seedNoise(3, 4), { steps: 8, guidance: 4 }), 3);
  // As the app samples: the manifest's steps, guidance and guidance interval.
  const { sampler } = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  t.sample_4images_manifest_sampler = { steps: sampler.steps, guidance: sampler.guidance, guidance_above: sampler.guidance_above ?? 0 };
  t.sample_4images_manifest_sampler_ms_1thread = await time(() => sampleTiny(web, ws, ids4, st4, seedNoise(3, 4),
    { steps: sampler.steps, guidance: sampler.guidance, guidanceAbove: sampler.guidance_above ?? 0 }), 3);
  report.timing_onnxruntime_web_wasm = t;
  console.log('timing (ORT-web wasm, 1 thread, Node 20)', JSON.stringify(t));
}
const out = arg('--json');
if (out) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
void philoxNormal;
