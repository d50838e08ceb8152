// Drives the core's sans-IO text -> image pipeline (wasm/huabu-core.d.ts, TextToImagePipeline)
// with ONNX Runtime sessions: the core says which graph to run on which tensors, this file
// runs it and hands the outputs back. Shared by the inference worker and the Node parity
// test, so the test exercises the app's own loop. Contract: docs/pipelines.md.

import { yieldToEventLoop } from './cancellation.js';

const decoder = new TextDecoder();

/** The model's word tokenizer (a core object: call .delete()) from its manifest's files. */
export function createTokenizer(core, manifest, files) {
  const file = (name) => {
    const entry = manifest.files.find((f) => f.name === name);
    return JSON.parse(decoder.decode(files.get(entry.path)));
  };
  return core.createWordTokenizer(file('vocab').words, file('zh'));
}

function toOrt(ort, feeds) {
  const out = {};
  for (const [name, t] of Object.entries(feeds)) out[name] = new ort.Tensor(t.dtype, t.data, t.shape);
  return out;
}

function fromOrt(outputs) {
  const out = {};
  for (const [name, t] of Object.entries(outputs)) out[name] = { dtype: t.type, shape: Array.from(t.dims), data: t.data };
  return out;
}

/**
 * Runs one request to the end.
 * @param {object} args
 * @param {object} args.core        wrapped core (wasm/huabu-core.js)
 * @param {object} args.ort         onnxruntime-web (or -node) module: Tensor
 * @param {Record<string, {run: Function}>} args.sessions  graph name ('text_encoder', 'unet') -> session
 * @param {object} args.tokenizer   from createTokenizer
 * @param {object} args.request     TextToImageRequest (huabu-core.d.ts)
 * @param {AbortSignal} [args.signal]  checked between model runs: the core then ends the run
 *   with HuabuError('cancelled')
 * @param {(done: number, total: number) => void} [args.onStep]
 * @param {(action: object) => Promise<void>|void} [args.onPreview]  {step, steps, count, images, ...}
 * @returns {Promise<{count: number, channels: number, width: number, height: number, images: Float32Array}>}
 *   images in [-1, 1], count x 3 x 32 x 32
 */
export async function generateImages({ core, ort, sessions, tokenizer, request, signal, onStep, onPreview }) {
  const pipeline = core.createTextToImage(tokenizer, request);
  try {
    let reported = -1;
    for (;;) {
      // A 'cancel' message can only arrive while the event loop runs (ORT-web resolves
      // through microtasks), so yield before each step.
      await yieldToEventLoop();
      if (signal?.aborted) pipeline.cancel();
      const action = pipeline.next();  // throws HuabuError('cancelled') once cancelled
      if (action.kind === 'done') {
        onStep?.(action.steps, action.steps);
        return action;
      }
      if (action.kind === 'preview') {
        await onPreview?.(action);
        continue;
      }
      if (action.model !== 'text_encoder' && action.step !== reported) {
        reported = action.step;
        onStep?.(action.step, action.steps);
      }
      const session = sessions[action.model];
      pipeline.provide(fromOrt(await session.run(toOrt(ort, action.inputs))));
    }
  } finally {
    pipeline.delete();
  }
}

/** RGBA images from the pipeline's [-1, 1] floats (RGB = (x + 1) * 127.5, alpha 255). */
export function imagesToRgba(core, { count, channels, width, height, images }) {
  const per = channels * width * height;
  // value * std + mean = (x + 1) / 2, then / scale = * 255
  const options = { layout: 'nchw', channels, scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };
  return Array.from({ length: count }, (_, i) => core.tensorToImage(images.subarray(i * per, (i + 1) * per), width, height, options));
}
