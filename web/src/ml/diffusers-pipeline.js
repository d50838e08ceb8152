// Drives the core's sans-IO diffusers-layout pipeline (wasm/huabu-core.d.ts,
// DiffusersTextToImagePipeline) with the ONNX Runtime sessions of a model loaded by
// diffusers-model.js. Shared by the inference worker and the Node test, so the test runs the
// app's own loop. Contract: docs/pipelines.md, "Diffusers-layout models".

import { yieldToEventLoop } from './cancellation.js';
import { fromGraphTensor, toGraphTensor } from './diffusers-tensors.js';

/**
 * Runs one request to the end.
 * @param {object} args
 * @param {object} args.core     wrapped core (wasm/huabu-core.js)
 * @param {object} args.ort      onnxruntime-web (or -node): Tensor
 * @param {object} args.model    from loadDiffusersModel: {sessions, tokenizer, description}
 * @param {object} args.request  DiffusersRequest (huabu-core.d.ts)
 * @param {AbortSignal} [args.signal]  checked before each model run; the core then ends the
 *   run with HuabuError('cancelled')
 * @param {(p: {phase: 'encode'|'step'|'decode', done: number, total: number}) => void} [args.onProgress]
 * @returns {Promise<{count: number, channels: 3, width: number, height: number, images: Float32Array, info: object}>}
 *   images count x 3 x height x width in [-1, 1]; info = {sampler, width, height, count, steps}
 */
export async function generateDiffusersImages({ core, ort, model, request, signal, onProgress }) {
  const pipeline = core.createDiffusersTextToImage(model.tokenizer, model.description, request);
  try {
    const info = pipeline.info();
    for (;;) {
      // A worker 'cancel' message is only seen while the event loop runs.
      await yieldToEventLoop();
      if (signal?.aborted) pipeline.cancel();
      const action = pipeline.next(); // throws HuabuError('cancelled') once cancelled
      if (action.kind === 'done') {
        onProgress?.({ phase: 'step', done: action.steps, total: action.steps });
        return { ...action, info };
      }
      const phase = action.model === 'text_encoder' ? 'encode' : action.model === 'unet' ? 'step' : 'decode';
      onProgress?.({ phase, done: action.step, total: action.steps });
      const feeds = {};
      for (const [name, tensor] of Object.entries(action.inputs)) feeds[name] = toGraphTensor(ort, tensor);
      // Fetch only the output the core awaits (pooler_output and the like are not computed for nothing).
      const outputs = await model.sessions[action.model].run(feeds, [action.output]);
      pipeline.provide({ [action.output]: fromGraphTensor(outputs[action.output]) });
    }
  } finally {
    pipeline.delete();
  }
}

/**
 * The request with a seed filled in (random when absent; a decimal string), and the recipe
 * returned with the images: the same recipe on the same model gives the same images.
 * Range checks are the core's.
 */
export function diffusersRecipe(request, randomWords = () => crypto.getRandomValues(new Uint32Array(2))) {
  let seed = request?.seed;
  if (seed === undefined || seed === null) {
    const [hi, lo] = randomWords();
    seed = ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  }
  return { ...request, seed: String(seed) };
}
