#!/usr/bin/env node
// How far tiled upscaling is from whole-image inference, for a model's tile settings.
// Re-implements the layout and blend documented in core/include/huabu/tiling.h (plan_tiles +
// TileStitcher: tiles of at most T, neighbours sharing >= 2*o pixels, linear ramp weights
// (d + 0.5) / (2*o*scale) on inner edges, 8-bit tiles, round half up) so the model card can
// state the seam error without the native build. Output: max |diff| and RMSE in 8-bit levels.
//
//   node models/eval/sr-tiling.mjs [--models esrgan-slim-x2,esrgan-slim-x4] [--overlaps 4,8,12,16]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrt, createSession, runSR } from './ort.mjs';
import { readRGB, toPlanar } from './image-io.mjs';
import { crop } from './reference-resize.mjs';
import { DATA_DIR } from './sr-eval.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (n, d) => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : d; };
const N = 300; // centre crop of astronaut.png: several tiles per axis at T = 128
const u8 = (v) => Math.min(255, Math.max(0, Math.round(v)));

function starts(L, T, o) {
  if (L <= T) return [[0, L]];
  const n = 1 + Math.ceil((L - T) / (T - 2 * o));
  return Array.from({ length: n }, (_, i) => [Math.floor((i * (L - T)) / (n - 1)), T]);
}

async function tiledError(ctx, session, img, s, T, o) {
  const W = N * s, acc = new Float64Array(W * W * 3), wsum = new Float64Array(W * W);
  const whole = await runSR(ctx, session, toPlanar(img), N, N);
  const R = 2 * o * s;
  const ramp = (d, onBorder) => (onBorder || d >= R ? 1 : (d + 0.5) / R);
  for (const [y0, th] of starts(N, T, o)) for (const [x0, tw] of starts(N, T, o)) {
    const out = await runSR(ctx, session, toPlanar(crop(img, x0, y0, tw, th)), th, tw);
    const oh = th * s, ow = tw * s;
    for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) {
      const w = Math.min(ramp(y, y0 === 0), ramp(oh - 1 - y, y0 + th === N)) * Math.min(ramp(x, x0 === 0), ramp(ow - 1 - x, x0 + tw === N));
      const i = (y0 * s + y) * W + x0 * s + x;
      wsum[i] += w;
      for (let c = 0; c < 3; c++) acc[i * 3 + c] += w * u8(out.data[c * oh * ow + y * ow + x]);
    }
  }
  let max = 0, se = 0;
  for (let i = 0; i < W * W; i++) for (let c = 0; c < 3; c++) {
    const d = Math.floor(acc[i * 3 + c] / wsum[i] + 0.5) - u8(whole.data[c * W * W + i]);
    max = Math.max(max, Math.abs(d)); se += d * d;
  }
  return { max_abs: max, rmse: Number(Math.sqrt(se / (W * W * 3)).toFixed(4)) };
}

const ctx = await loadOrt();
const full = await readRGB(path.join(DATA_DIR, 'astronaut.png'));
const img = crop(full, (full.width - N) >> 1, (full.height - N) >> 1, N, N);
for (const id of opt('--models', 'esrgan-slim-x2,esrgan-slim-x4').split(',')) {
  const m = JSON.parse(await readFile(path.join(root, 'models', id, 'manifest.json'), 'utf8'));
  const session = await createSession(ctx, path.join(root, 'models', id, 'model.onnx'));
  for (const o of opt('--overlaps', String(m.tile.overlap)).split(',').map(Number)) {
    const r = await tiledError(ctx, session, img, m.scale, m.tile.size, o);
    console.log(`${id} tile ${m.tile.size} overlap ${o}${o === m.tile.overlap ? ' (manifest)' : ''}: max |diff| ${r.max_abs}, rmse ${r.rmse} (8-bit levels)`);
  }
}
