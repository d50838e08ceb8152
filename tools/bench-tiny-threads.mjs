// huabu-tiny's request as issue #3's speed target states it: 4 images at >= 128 px (12 steps,
// guidance 4, then the x4 super-resolution the app applies) in onnxruntime-web wasm with N
// threads, as the app runs it on a cross-origin isolated page (`huabu serve` always is). A
// process of its own because ORT-web fixes its thread count when its wasm starts. Prints
// {threads, guidanceAbove, ms, samplingMs} (best of 3 after a warm-up; sampling = before SR).
// Used by tools/bench.mjs. guidanceAbove defaults to the manifest's (0 = guidance on every step).
//
//   node tools/bench-tiny-threads.mjs [threads] [guidanceAbove]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadHuabuCore } from '../wasm/huabu-core.js';
import { createTokenizer, generateImages, imagesToRgba } from '../web/src/ml/text-to-image.js';
import { upscaleImage } from '../web/src/ml/upscale-pipeline.js';
import { normalizeGenerateRequest } from '../web/src/ml/generate-request.js';
import { best } from './bench-util.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const threads = Number(process.argv[2] ?? 2);
const ort = await import('onnxruntime-web');
ort.env.wasm.numThreads = threads;
const core = await loadHuabuCore(createRequire(import.meta.url)(path.join(root, 'build/wasm/wasm/huabu_core.cjs')));
const dir = path.join(root, 'models/huabu-tiny');
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const files = new Map(manifest.files.map((f) => [f.path, fs.readFileSync(path.join(dir, f.path))]));
const sessions = {};
for (const [graph, { path: p }] of Object.entries(manifest.graphs)) {
  sessions[graph] = await ort.InferenceSession.create(files.get(p), { executionProviders: ['wasm'] });
}
const tokenizer = createTokenizer(core, manifest, files);
const guidanceAbove = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const { request } = normalizeGenerateRequest({ prompt: 'a red fox', seed: '42', count: 4, steps: 12, guidance: 4, guidanceAbove }, manifest);
// The app has the SR session loaded before a request ("after load").
const srDir = path.join(root, 'models/huabu-sr-x4');
const srManifest = JSON.parse(fs.readFileSync(path.join(srDir, 'manifest.json'), 'utf8'));
const sr = await ort.InferenceSession.create(fs.readFileSync(path.join(srDir, 'model.onnx')), { executionProviders: ['wasm'] });
const runTile = async (tensor, width, height) =>
  (await sr.run({ input: new ort.Tensor('float32', tensor, [1, 3, height, width]) }))[srManifest.outputs[0].name].data;
let samplingMs = Infinity;
const ms = await best(3, async () => {
  const t0 = performance.now();
  const result = await generateImages({ core, ort, sessions, tokenizer, request });
  samplingMs = Math.min(samplingMs, performance.now() - t0);
  for (const image of imagesToRgba(core, result)) {
    const big = await upscaleImage({ core, manifest: srManifest, image, runTile });
    if (big.width < 128) throw new Error(`SR gave ${big.width} px`);
  }
});
tokenizer.delete();
console.log(JSON.stringify({ threads, guidanceAbove: request.guidanceAbove, ms, samplingMs }));
process.exit(0); // ORT-web's worker threads would keep the process alive
