// ./huabu eval for the 128-px image-to-image models: sketch-to-image (huabu-sketch) and
// style-transfer (huabu-style). Node only, no torch, no dataset:
// - runs the held-out reference input recorded at export (reference-sketch.png, grey, or
//   reference-input.png, RGB, as the manifest's first input asks; style from reference.json)
//   through ONNX Runtime; the 8-bit output must equal torch's reference-output.png within
//   reference.json's tolerance_u8
// - times one 128-px image (skipped with --quick)
// - prints the held-out metrics recorded in metrics.json; re-measuring those needs the
//   dataset and torch: models/eval/sketch-eval.py, models/eval/style-eval.py (see their headers)
//
//   node models/eval/image-to-image-eval.mjs --models huabu-sketch,huabu-style [--dir path/to/model] [--quick] [--json out.json]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';
import { loadOrt, createSession } from './ort.mjs';

const modelsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (k) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : null; };
const quick = args.includes('--quick');
const dirs = arg('--dir') ? [path.resolve(arg('--dir'))] : (arg('--models') ?? 'huabu-sketch,huabu-style').split(',').map((id) => path.join(modelsDir, id));
const png = (file) => pngjs.PNG.sync.read(readFileSync(file));
const ctx = await loadOrt();
const results = [];
let ok = true;
for (const dir of dirs) {
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const ref = JSON.parse(readFileSync(path.join(dir, 'reference.json'), 'utf8'));
  const session = await createSession(ctx, path.join(dir, m.files.find((f) => f.path.endsWith('.onnx')).path));
  const input = m.inputs[0];
  const channels = input.shape[1];
  const ref8 = png(path.join(dir, channels === 1 ? 'reference-sketch.png' : 'reference-input.png'));
  const want = png(path.join(dir, 'reference-output.png'));
  const n = ref8.width * ref8.height;
  const values = new Float32Array(channels * n); // planar; pngjs expands grey to RGBA
  for (let c = 0; c < channels; c++) for (let i = 0; i < n; i++) values[c * n + i] = ref8.data[i * 4 + c] / 127.5 - 1;
  const feeds = {
    [input.name]: new ctx.ort.Tensor('float32', values, [1, channels, ref8.height, ref8.width]),
    style: new ctx.ort.Tensor('float32', Float32Array.from(ref.style), [1, ref.style.length]),
  };
  const { image } = await session.run(feeds);
  let diff = 0;
  for (let c = 0; c < 3; c++) for (let i = 0; i < n; i++) {
    const v = Math.round((Math.min(1, Math.max(-1, image.data[c * n + i])) + 1) * 127.5);
    diff = Math.max(diff, Math.abs(v - want.data[i * 4 + c]));
  }
  const r = { id: m.id, task: m.task, backend: ctx.backend, reference_max_abs_diff_u8: diff, reference_ok: diff <= ref.tolerance_u8 };
  ok &&= r.reference_ok;
  if (!quick) {
    await session.run(feeds);
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await session.run(feeds);
    r.one_image_ms = (performance.now() - t0) / 5;
  }
  const metricsPath = path.join(dir, 'metrics.json');
  if (existsSync(metricsPath)) {
    const e = JSON.parse(readFileSync(metricsPath, 'utf8')).eval ?? {};
    r.recorded = m.task === 'sketch-to-image' ? {
      outline_psnr_db: e.outline?.psnr_db, outline_ssim: e.outline?.ssim, freehand_psnr_db: e.freehand?.psnr_db,
      outline_top5_vs_real: e.outline?.concept_accuracy_vs_real_top5, freehand_top5_vs_real: e.freehand?.concept_accuracy_vs_real_top5,
      note: 're-measure with models/eval/sketch-eval.py (needs torch and the dataset)',
    } : {
      concept_kept_top5: e.concept_kept_top5, style_accuracy: e.style_accuracy,
      flat_to_3d_psnr_db: e['fluent-flat_to_fluent-3d']?.psnr_db, colour_to_outline_psnr_db: e['openmoji_to_openmoji-outline']?.psnr_db,
      note: 're-measure with models/eval/style-eval.py (needs torch and the dataset)',
    };
  }
  console.log(`${m.task} ${m.id}: ${JSON.stringify(r)}`);
  results.push(r);
}
const out = arg('--json');
if (out) writeFileSync(out, `${JSON.stringify({ models: results }, null, 2)}\n`);
process.exit(ok ? 0 : 1);
