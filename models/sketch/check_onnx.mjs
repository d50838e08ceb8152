// Checks an exported huabu-sketch or huabu-style generator in ONNX Runtime (node, and web on
// the wasm EP) against torch's outputs written by export_sketch.py / export_style.py, and
// times one 128-px image in ORT-web wasm with 1 thread (the target: <= 200 ms). The
// first input's name and channels come from the model's manifest.
//
//   node models/sketch/check_onnx.mjs [--dir models/huabu-sketch] [--ref .cache/sketch-export/check.json]
//        [--time] [--json out.json]
//   node models/sketch/check_onnx.mjs --dir models/huabu-style --ref .cache/style-export/check.json --time
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (k, d) => { const i = process.argv.indexOf(k); return i >= 0 ? process.argv[i + 1] : d; };
const dir = path.resolve(arg('--dir', path.join(root, 'models/huabu-sketch')));
const ref = JSON.parse(readFileSync(arg('--ref', path.join(root, '.cache/sketch-export/check.json')), 'utf8'));
const report = {};
const B = ref.batch;
const { name: inputName, shape: [, C] } = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).inputs[0];

async function check(name, ort, providers) {
  const s = await ort.InferenceSession.create(new Uint8Array(readFileSync(path.join(dir, 'model.onnx'))), { executionProviders: providers });
  const { image } = await s.run({
    [inputName]: new ort.Tensor('float32', Float32Array.from(ref[inputName]), [B, C, 128, 128]),
    style: new ort.Tensor('float32', Float32Array.from(ref.style), [B, 7]),
  });
  let d = 0;
  for (let i = 0; i < image.data.length; i++) d = Math.max(d, Math.abs(image.data[i] - ref.image[i]));
  report[name] = { max_abs_diff_vs_torch: d };
  console.log(name, JSON.stringify(report[name]));
  return s;
}

const node = await import('onnxruntime-node');
await check('onnxruntime-node', node.default ?? node, ['cpu']);
const webMod = await import('onnxruntime-web');
const web = webMod.default ?? webMod;
web.env.wasm.numThreads = 1;
const ws = await check('onnxruntime-web-wasm', web, ['wasm']);

if (process.argv.includes('--time')) {
  const feeds = {
    [inputName]: new web.Tensor('float32', Float32Array.from(ref[inputName].slice(0, C * 128 * 128)), [1, C, 128, 128]),
    style: new web.Tensor('float32', Float32Array.from(ref.style.slice(0, 7)), [1, 7]),
  };
  await ws.run(feeds);
  const t = [];
  for (let i = 0; i < 7; i++) { const t0 = performance.now(); await ws.run(feeds); t.push(performance.now() - t0); }
  report.timing = { onnxruntime_web_wasm_1thread_ms_median: t.sort((a, b) => a - b)[3], load_average_1min: os.loadavg()[0] };
  console.log('timing', JSON.stringify(report.timing));
}
const out = arg('--json');
if (out) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
