#!/usr/bin/env node
// Compare an exported SR model run by ONNX Runtime with the torch outputs that
// export_sr.py wrote to .cache/sr-train/export-ref/<model dir name>/ (seeded random inputs).
//
//   node models/sr/check_onnx.mjs models/huabu-sr-x2 [--web]
//
// Prints the max |ORT - torch| on the 0..255 scale per input size; exits 1 above 1e-3.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrt, createSession, runSR } from '../eval/ort.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.resolve(process.argv[2]);
const ctx = await loadOrt(process.argv.includes('--web') ? 'web' : undefined);
const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8').catch(() => '{"scale":0}'));
const session = await createSession(ctx, path.join(dir, 'model.onnx'));
const refDir = path.join(root, '.cache/sr-train/export-ref', path.basename(dir));
let worst = 0;
for (const [h, w] of [[24, 32], [37, 29]]) {
  const input = new Float32Array((await readFile(path.join(refDir, `in_${h}x${w}.f32`))).buffer.slice(0));
  const want = new Float32Array((await readFile(path.join(refDir, `out_${h}x${w}.f32`))).buffer.slice(0));
  const out = await runSR(ctx, session, input, h, w);
  if (out.data.length !== want.length) throw new Error(`size ${out.data.length} vs ${want.length}`);
  let d = 0;
  for (let i = 0; i < want.length; i++) d = Math.max(d, Math.abs(out.data[i] - want[i]));
  worst = Math.max(worst, d);
  console.log(`${path.basename(dir)} ${ctx.backend} ${h}x${w} -> ${out.dims.join('x')}: max |ORT - torch| = ${d.toExponential(2)} (scale ${manifest.scale})`);
}
process.exit(worst <= 1e-3 ? 0 : 1);
