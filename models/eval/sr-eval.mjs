#!/usr/bin/env node
// Super-resolution quality: shipped SR models vs bicubic on held-out photos.
//
//   node models/eval/sr-eval.mjs [--models esrgan-slim-x2,esrgan-slim-x4] [--json FILE]
//   node models/eval/sr-eval.mjs --models huabu-sr-x2 --write-metrics   # any model dir under models/
//   node models/eval/sr-eval.mjs --write-metrics   # full run, records models/<id>/metrics.json
//   node models/eval/sr-eval.mjs --quick           # CI: 2 small crops, compared with metrics.json
//   node models/eval/sr-eval.mjs --onnx FILE --scale N  # any candidate SR model, same protocol
//
// Protocol (per image and scale s): HR = the photo cropped (top-left) to a multiple of s, or
// in quick mode its centre 128x128; LR = box (area) average of HR by s, rounded to 8 bits;
// SR = the model on the whole LR image; BIC = Keys bicubic (a = -0.5) of LR. Both outputs
// are clamped and rounded to 8 bits, then compared to HR after shaving s pixels per border:
// PSNR on RGB, PSNR and SSIM on BT.601 luma (Y). Gain = PSNR(SR) - PSNR(BIC) in dB.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrt, createSession, runSR } from './ort.mjs';
import { readRGB, toPlanar, fromPlanar } from './image-io.mjs';
import { crop, downscaleBox, upscaleBicubic, toUint8 } from './reference-resize.mjs';
import { psnrRGB, lumaY, psnrPlane, ssimPlane } from './metrics.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DATA_DIR = '/usr/lib/python3/dist-packages/skimage/data';
// Colour photos of Debian's python3-skimage (public domain / CC0, see models/LICENSES.md).
// None is in DIV2K, the models' training set.
export const FULL_IMAGES = ['astronaut.png', 'chelsea.png', 'coffee.png', 'ihc.png', 'motorcycle_left.png', 'rocket.jpg'];
export const QUICK_IMAGES = ['astronaut.png', 'coffee.png'];
// Models measured when --models is not given (the converted UpscalerJS models); any other
// model directory is measured with --models <id>[,<id>...] (e.g. huabu-sr-x2,huabu-sr-x4).
export const DEFAULT_MODELS = ['esrgan-slim-x2', 'esrgan-slim-x4'];
const QUICK_CROP = 128;
const QUICK_TOLERANCE_DB = 0.05; // ORT builds differ by ~1e-4 before 8-bit rounding
const round = (v, d = 4) => Number(v.toFixed(d));

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

function quality(out, hr, s) {
  const yOut = lumaY(out, s), yHr = lumaY(hr, s);
  return { psnr_rgb: round(psnrRGB(out, hr, s)), psnr_y: round(psnrPlane(yOut, yHr)), ssim_y: round(ssimPlane(yOut, yHr), 5) };
}

async function evalImage(ctx, session, s, file, quick) {
  let hr = await readRGB(path.join(DATA_DIR, file));
  if (quick) {
    hr = crop(hr, (hr.width - QUICK_CROP) >> 1, (hr.height - QUICK_CROP) >> 1, QUICK_CROP, QUICK_CROP);
  } else {
    hr = crop(hr, 0, 0, hr.width - (hr.width % s), hr.height - (hr.height % s));
  }
  const lr = toUint8(downscaleBox(hr, s));
  const t0 = performance.now();
  const out = await runSR(ctx, session, toPlanar(lr), lr.height, lr.width);
  const ms = performance.now() - t0;
  const sr = toUint8(fromPlanar(out.data, lr.width * s, lr.height * s));
  const bic = toUint8(upscaleBicubic(lr, s));
  const q = { sr: quality(sr, hr, s), bicubic: quality(bic, hr, s) };
  return {
    image: file, hr_size: [hr.width, hr.height], lr_size: [lr.width, lr.height], ...q,
    gain_db_rgb: round(q.sr.psnr_rgb - q.bicubic.psnr_rgb), gain_db_y: round(q.sr.psnr_y - q.bicubic.psnr_y),
    inference_ms: Math.round(ms),
  };
}

function mean(rows) {
  const avg = (f) => round(rows.reduce((a, r) => a + f(r), 0) / rows.length);
  const m = (k) => ({ psnr_rgb: avg((r) => r[k].psnr_rgb), psnr_y: avg((r) => r[k].psnr_y), ssim_y: round(avg((r) => r[k].ssim_y), 5) });
  return { sr: m('sr'), bicubic: m('bicubic'), gain_db_rgb: avg((r) => r.gain_db_rgb), gain_db_y: avg((r) => r.gain_db_y) };
}

// Evaluate any SR ONNX file (e.g. a candidate not shipped yet) with the same protocol.
export async function evalOnnx(ctx, onnxPath, scale, { quick = false } = {}) {
  const session = await createSession(ctx, onnxPath);
  const images = [];
  for (const f of quick ? QUICK_IMAGES : FULL_IMAGES) images.push(await evalImage(ctx, session, scale, f, quick));
  await session.release?.();
  return { scale, mode: quick ? `quick (centre ${QUICK_CROP}x${QUICK_CROP} HR crops)` : 'full (whole images)', images, mean: mean(images) };
}

// Evaluate a shipped model, after checking its bytes against its manifest.
export async function evalModel(ctx, id, { quick = false } = {}) {
  const dir = path.join(root, 'models', id);
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  const file = manifest.files.find((f) => f.path.endsWith('.onnx'));
  const bytes = await readFile(path.join(dir, file.path));
  if (sha256(bytes) !== file.sha256) throw new Error(`${id}: ${file.path} does not match its manifest sha256`);
  const res = await evalOnnx(ctx, path.join(dir, file.path), manifest.scale, { quick });
  return { model: id, model_sha256: file.sha256, ...res };
}

// Quick results vs the `quick` section recorded in metrics.json: per image PSNR within tolerance.
// A regression check only: it does not require SR to beat bicubic (esrgan-slim does not, see
// the model cards), it requires the numbers not to move.
function compareQuick(result, recorded) {
  const problems = [];
  if (!recorded) return ['metrics.json has no quick section'];
  if (recorded.model_sha256 !== result.model_sha256) problems.push('model sha256 differs from the one measured');
  for (const r of result.images) {
    const ref = recorded.images.find((x) => x.image === r.image);
    if (!ref) { problems.push(`${r.image}: not recorded`); continue; }
    for (const k of ['sr', 'bicubic']) for (const m of ['psnr_rgb', 'psnr_y']) {
      const d = Math.abs(r[k][m] - ref[k][m]);
      if (d > QUICK_TOLERANCE_DB) problems.push(`${r.image} ${k} ${m}: ${r[k][m]} vs recorded ${ref[k][m]}`);
    }
  }
  return problems;
}

async function datasetInfo(files) {
  const { execFileSync } = await import('node:child_process');
  let version = 'unknown';
  try { version = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'python3-skimage'], { encoding: 'utf8' }); } catch {}
  const out = [{ package: 'python3-skimage (Debian)', version }];
  for (const f of files) out.push({ file: f, sha256: sha256(await readFile(path.join(DATA_DIR, f))) });
  return { package: out[0], images: out.slice(1) };
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const quick = args.includes('--quick'), write = args.includes('--write-metrics');
  if (quick && write) throw new Error('--write-metrics records a full run; do not combine with --quick');
  const ids = (opt('--models') ?? DEFAULT_MODELS.join(',')).split(',');
  // the command that re-measures one model: the default set needs no --models
  const sel = (id) => (DEFAULT_MODELS.includes(id) ? '' : ` --models ${id}`);
  const ctx = await loadOrt();
  if (opt('--onnx')) { // a candidate model file: print its numbers, compare nothing
    const res = await evalOnnx(ctx, opt('--onnx'), Number(opt('--scale')), { quick });
    console.log(JSON.stringify({ onnx: opt('--onnx'), ...res.mean }));
    if (opt('--json')) await writeFile(opt('--json'), JSON.stringify(res, null, 2) + '\n');
    return;
  }
  const report = { date: new Date().toISOString(), backend: ctx.backend, command: `node models/eval/sr-eval.mjs ${args.join(' ')}`.trim(), results: [] };
  let failed = false;
  for (const id of ids) {
    const res = await evalModel(ctx, id, { quick });
    report.results.push(res);
    const g = res.mean;
    console.log(`${id} ${res.mode} [${ctx.backend}]: SR ${g.sr.psnr_rgb} dB RGB / ${g.sr.psnr_y} dB Y (SSIM ${g.sr.ssim_y}), bicubic ${g.bicubic.psnr_rgb} / ${g.bicubic.psnr_y} (SSIM ${g.bicubic.ssim_y}), gain ${g.gain_db_rgb} dB RGB, ${g.gain_db_y} dB Y`);
    if (quick) {
      const recorded = JSON.parse(await readFile(path.join(root, 'models', id, 'metrics.json'), 'utf8')).quick;
      res.problems = compareQuick(res, recorded);
      for (const p of res.problems) console.error(`${id}: ${p}`);
      failed ||= res.problems.length > 0;
    }
    if (write) {
      const q = await evalModel(ctx, id, { quick: true });
      const metrics = {
        model: id, model_sha256: res.model_sha256, date: report.date, backend: ctx.backend,
        command: `node models/eval/sr-eval.mjs${sel(id)} --write-metrics`, check_command: `node models/eval/sr-eval.mjs${sel(id)} --quick`,
        protocol: 'HR cropped to a multiple of the scale; LR = box average, 8-bit; SR (whole image) and bicubic (Keys a=-0.5) outputs clamped and rounded to 8 bits; metrics after shaving `scale` border pixels; PSNR on RGB and BT.601 Y (peak 255), SSIM on Y (11x11 Gaussian, sigma 1.5). See models/eval/sr-eval.mjs.',
        dataset: { source: DATA_DIR, ...(await datasetInfo(FULL_IMAGES)) },
        full: { images: res.images, mean: res.mean },
        quick: { mode: q.mode, model_sha256: q.model_sha256, tolerance_db: QUICK_TOLERANCE_DB, images: q.images, mean: q.mean },
      };
      await writeFile(path.join(root, 'models', id, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
      console.log(`wrote models/${id}/metrics.json`);
    }
  }
  if (opt('--json')) await writeFile(opt('--json'), JSON.stringify(report, null, 2) + '\n');
  if (failed) process.exit(1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
