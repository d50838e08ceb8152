#!/usr/bin/env node
// Time one forward pass of the SR models per tile size, in the ORT Node uses (onnxruntime-node
// or, with HUABU_ORT=web, onnxruntime-web on the wasm EP, 1 thread: what a page without
// cross-origin isolation gets). Median of N runs after one warm-up run.
//
//   node models/eval/sr-time.mjs [--sizes 64,128,256] [--runs 5] [--json FILE]
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrt, createSession, runSR } from './ort.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (n, d) => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : d; };
const sizes = opt('--sizes', '128,256').split(',').map(Number);
const runs = Number(opt('--runs', '5'));
const ids = opt('--models', 'esrgan-slim-x2,esrgan-slim-x4').split(',');

const ctx = await loadOrt();
const rows = [];
for (const id of ids) {
  const session = await createSession(ctx, path.join(root, 'models', id, 'model.onnx'));
  for (const n of sizes) {
    const input = new Float32Array(3 * n * n).map((_, i) => (i * 37) % 256); // busy, deterministic
    await runSR(ctx, session, input, n, n);
    const times = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      await runSR(ctx, session, input, n, n);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const row = { model: id, backend: ctx.backend, tile: `${n}x${n}`, median_ms: Math.round(times[times.length >> 1]), min_ms: Math.round(times[0]) };
    rows.push(row);
    console.log(`${id} ${ctx.backend} ${row.tile}: median ${row.median_ms} ms (min ${row.min_ms})`);
  }
}
if (opt('--json')) await writeFile(opt('--json'), JSON.stringify({ date: new Date().toISOString(), runs, rows }, null, 2) + '\n');
