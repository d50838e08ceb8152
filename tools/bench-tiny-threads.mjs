// huabu-tiny's sampling (4 images, 12 steps, guidance 4) in onnxruntime-web wasm with N threads,
// as the app runs it on a cross-origin isolated page (`huabu serve` always is). A process of
// its own because ORT-web fixes its thread count when its wasm starts. Prints {threads, ms}
// (best of 3 after a warm-up). Used by tools/bench.mjs.
//
//   node tools/bench-tiny-threads.mjs [threads]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadHuabuCore } from '../wasm/huabu-core.js';
import { createTokenizer, generateImages } from '../web/src/ml/text-to-image.js';
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
const { request } = normalizeGenerateRequest({ prompt: 'a red fox', seed: '42', count: 4, steps: 12, guidance: 4 }, manifest);
const ms = await best(3, () => generateImages({ core, ort, sessions, tokenizer, request }));
tokenizer.delete();
console.log(JSON.stringify({ threads, ms }));
process.exit(0); // ORT-web's worker threads would keep the process alive
