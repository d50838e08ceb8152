// Helpers for the text -> image browser tests: run a request in the app's own worker bundle
// (envelope protocol of web/src/workers/worker-client.js), and the Node reference images.

import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { loadOrt, createSession } from '../../models/eval/ort.mjs';
import { Tokenizer } from '../../models/data/vocab/tokenizer.mjs';
import { sampleTiny, seedNoise } from '../../models/tiny/sampler.mjs';
import { loadHuabuCore } from '../../wasm/huabu-core.js';

const root = path.resolve(import.meta.dirname, '../..');

// Runs one request in a fresh worker of the app; with `cancelAtStep`, posts 'cancel' once a
// step progress with that many steps done arrives. Returns the reply or the error, and a log
// of progress phases.
export function runInWorker(page, request, { cancelAtStep } = {}) {
  return page.evaluate(async ({ request, cancelAtStep }) => {
    const worker = new Worker('/app/inference-worker.js', { type: 'module' });
    const log = [];
    const decode = async ({ bytes, width, height, mime }) => {
      const bitmap = await createImageBitmap(new Blob([bytes], { type: mime }));
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      return { width, height, mime, decoded: [bitmap.width, bitmap.height], isUint8Array: bytes instanceof Uint8Array,
        bytes: Array.from(bytes), pixels: Array.from(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data) };
    };
    try {
      return await new Promise((resolve) => {
        worker.onmessage = async ({ data: { kind, content } }) => {
          if (kind === 'progress') {
            log.push({ phase: content.phase, done: content.done, total: content.total, previews: content.preview?.images.length ?? 0,
              previewSize: content.preview ? [content.preview.images[0].width, content.preview.images[0].mime] : undefined });
            if (content.phase === 'step' && content.done === cancelAtStep) worker.postMessage({ kind: 'cancel', id: 'g1', content: null });
          } else if (kind === 'return') {
            resolve({ log, recipe: content.recipe, images: await Promise.all(content.images.map(decode)) });
          } else {
            resolve({ log, error: content });
          }
        };
        worker.postMessage({ kind: 'generate', id: 'g1', content: request });
      });
    } finally {
      worker.terminate();
    }
  }, { request, cancelAtStep });
}

/**
 * models/tiny/sampler.mjs's images for `request` (numeric style id 0..6 or huabu-tiny style
 * name; Euler; its own JS Philox noise; the guidance interval the worker takes from the
 * manifest unless the request gives one) in onnxruntime-web, as 32 px RGBA.
 */
export async function referenceImages({ prompt, style, seed, count, steps, guidance, guidanceAbove }) {
  const dir = path.join(root, 'models/huabu-tiny');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  guidanceAbove ??= manifest.sampler.guidance_above ?? 0;
  const tok = new Tokenizer(JSON.parse(readFileSync(path.join(dir, 'tokenizer/vocab.json'), 'utf8')).words,
    JSON.parse(readFileSync(path.join(dir, 'tokenizer/zh.json'), 'utf8')));
  const styleId = BigInt(typeof style === 'string' ? manifest.text.styles[style] : style);
  const ctx = await loadOrt('web');
  const text = await createSession(ctx, path.join(dir, manifest.graphs.text_encoder.path));
  const unet = await createSession(ctx, path.join(dir, manifest.graphs.unet.path));
  const ids = tok.encode(prompt, 16);
  const images = await sampleTiny(ctx.ort, { text, unet }, BigInt64Array.from(Array.from({ length: count }, () => ids).flat().map(BigInt)),
    new BigInt64Array(count).fill(styleId), seedNoise(Number(seed), count), { steps, guidance, guidanceAbove });
  const core = await loadHuabuCore(createRequire(import.meta.url)(path.join(root, 'build/wasm/wasm/huabu_core.cjs')));
  const options = { layout: 'nchw', channels: 3, scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };
  const ref = Array.from({ length: count }, (_, i) => core.tensorToImage(images.subarray(i * 3072, (i + 1) * 3072), 32, 32, options));
  return { core, ref };
}
