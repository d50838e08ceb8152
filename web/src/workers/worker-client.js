// Main-thread side of the inference worker: one promise per request, progress callbacks,
// cancellation through AbortSignal. The main thread never loads ONNX Runtime or the core.
//
// Envelopes: requests {kind: 'upscale'|'generate'|'sketch'|'styleTransfer'|'checkImage'|'capabilities'|'styleOps'|'stylize'|'colorTransfer'|'palette'|
// 'loadDiffusers'|'generateDiffusers'|'cancel',
// id, content};
// replies {kind: 'return'|'throw'|'progress', id, content}. 'cancel' reuses the id of the
// request it cancels. Image bytes are transferred, not copied.

import { InferenceError, cancelledError } from '../ml/inference-error.js';

export class InferenceClient {
  #worker;
  #pending = new Map(); // id -> {resolve, reject, onProgress}
  #failure = null; // set once the worker has died: later calls fail at once instead of hanging
  #nextId = 1;

  // The worker is its own bundle (tools/build-web.mjs), next to the page's.
  constructor(workerUrl = '/app/inference-worker.js') {
    this.#worker = new Worker(workerUrl, { type: 'module', name: 'huabu-inference' });
    this.#worker.addEventListener('message', (e) => this.#onMessage(e.data));
    this.#worker.addEventListener('error', (e) => {
      e.preventDefault();
      this.#failure = new InferenceError('internal', `The inference worker stopped: ${e.message || 'it could not start'}.`);
      for (const { reject } of [...this.#pending.values()]) reject(this.#failure);
    });
  }

  /** Which backend inference will use, and why. */
  capabilities() {
    return this.#call('capabilities', null);
  }

  /**
   * Upscales `image` by `scale`. The image's pixel buffer is transferred to the worker (it is
   * detached afterwards): pass a copy you do not need.
   * @param {ImageData} image
   * @param {{scale: number, signal?: AbortSignal, onProgress?: (p: object) => void}} options
   * @returns {Promise<{image: ImageData, webp: Blob, backend: object, modelId: string, elapsedMs: number}>}
   */
  async upscale(image, { scale, signal, onProgress }) {
    const { width, height, data } = image;
    const content = { scale, image: { width, height, data: data.buffer } };
    const result = await this.#call('upscale', content, { signal, onProgress, transfer: [data.buffer] });
    return {
      ...result,
      image: new ImageData(new Uint8ClampedArray(result.image.data), result.image.width, result.image.height),
      webp: new Blob([result.webp], { type: 'image/webp' }),
    };
  }

  /**
   * Text -> images with huabu-tiny (32 px, super-resolved to 128 px), encoded as WebP.
   * @param {{prompt: string, style?: string|number, seed?: string|bigint, count?: number, steps?: number,
   *   guidance?: number, sampler?: 'euler'|'heun', previewEvery?: number}} request  style by name
   *   ('any', 'noto', ...) or id; seed a decimal u64 (random when absent)
   * @param {{signal?: AbortSignal, onProgress?: (p: {phase: 'download'|'encode'|'step'|'upscale',
   *   done: number, total: number, preview?: {images: object[]}}) => void}} [options]
   * @returns {Promise<{images: {bytes: Uint8Array, width: number, height: number, mime: 'image/webp'}[],
   *   recipe: object, backend: object, elapsedMs: number}>} recipe: the normalised request (seed as a
   *   decimal string, style by name, model and modelVersion): the same recipe gives the same images
   */
  generate(request, { signal, onProgress } = {}) {
    const content = { ...request, ...(typeof request?.seed === 'bigint' ? { seed: request.seed.toString() } : {}) };
    return this.#call('generate', content, { signal, onProgress });
  }

  /**
   * Sketch -> picture with huabu-sketch (128 px, super-resolved x4), as WebP. The drawing is
   * cropped to its ink first, so it may sit anywhere on the canvas. The image's pixel buffer
   * is transferred (detached afterwards): pass a copy you do not need.
   * @param {ImageData} image the drawing (the canvas over white paper)
   * @param {{style?: string, signal?: AbortSignal, onProgress?: (p: {stage: 'download'|'prepare'|'sketch'|'upscale',
   *   loaded?: number, total?: number, done?: number}) => void}} [options]
   * @returns {Promise<{image: {width: number, height: number}, webp: Blob, style: string, backend: object,
   *   modelId: string, elapsedMs: number}>} rejects with code 'invalid_argument' for an empty drawing
   */
  sketch(image, options = {}) {
    return this.#framed('sketch', image, options);
  }

  /**
   * A picture redrawn in another emoji set's style with huabu-style (128 px, super-resolved
   * x4), as WebP: `style` is one of its manifest's styles (noto, twemoji, openmoji,
   * fluent-flat, fluent-3d, openmoji-outline). The picture is cropped to what is not white
   * and letterboxed on white first. Transfers the pixel buffer like sketch().
   * @param {ImageData} image
   * @param {{style: string, signal?: AbortSignal, onProgress?: Function}} options as sketch()
   * @returns {Promise<object>} as sketch(); 'invalid_argument' for an all-white picture or an unknown style
   */
  styleTransfer(image, options) {
    return this.#framed('styleTransfer', image, options);
  }

  async #framed(kind, image, { style, signal, onProgress } = {}) {
    const { width, height, data } = image;
    const content = { style, image: { width, height, data: data.buffer } };
    const result = await this.#call(kind, content, { signal, onProgress, transfer: [data.buffer] });
    return { ...result, webp: new Blob([result.webp], { type: 'image/webp' }) };
  }

  /**
   * The safety classifier's verdict on an encoded picture (ml/image-safety.js).
   * @param {{bytes: Uint8Array, mime: string}} image
   * @returns {Promise<{scores: Record<string, number>, explicit: number, flagged: boolean}>}
   */
  checkImage({ bytes, mime }) {
    return this.#call('checkImage', { bytes, mime });
  }

  /**
   * Loads a model in the diffusers ONNX layout (docs/pipelines.md, "Diffusers-layout models")
   * into the worker: from local files (a FileList from <input webkitdirectory>, File[], or
   * {path: File|ArrayBuffer|Uint8Array} with paths like 'unet/model.onnx') or from a folder URL.
   * Rejects with a clear InferenceError for a missing file, a file that is not ONNX, wrong
   * input/output names or dtypes, float16 without shader-f16, or a model too large for wasm.
   * The worker holds one such model: loading another releases the previous one.
   * @param {{files?: FileList|File[]|Record<string, File|ArrayBuffer|Uint8Array>, baseUrl?: string}} source
   * @returns {Promise<{modelId: string, info: object, files: string[]}>} info: sizes the graphs fix, default sampler
   */
  loadDiffusersModel({ files, baseUrl }, { signal, onProgress } = {}) {
    let content = { baseUrl };
    if (files) {
      // Files keep their folder-relative path only as a property the worker would not see.
      const entries = typeof files.length === 'number' ? Array.from(files, (f) => [f.webkitRelativePath || f.name, f]) : Object.entries(files);
      content = { files: Object.fromEntries(entries) };
    }
    return this.#call('loadDiffusers', content, { signal, onProgress });
  }

  /**
   * Text -> images with a model from loadDiffusersModel, encoded as WebP.
   * @param {string} modelId
   * @param {{prompt: string, negativePrompt?: string, seed?: string|bigint, count?: number, steps?: number,
   *   guidance?: number, sampler?: 'euler'|'euler-ancestral'|'ddim'|'lcm', width?: number, height?: number}} request
   * @param {{signal?: AbortSignal, onProgress?: (p: {phase: 'encode'|'step'|'decode', done: number, total: number}) => void}} [options]
   * @returns {Promise<{images: {bytes: Uint8Array, width: number, height: number, mime: 'image/webp'}[], recipe: object,
   *   backend: object, elapsedMs: number}>} recipe: the request with its seed, sampler and size
   */
  generateDiffusers(modelId, request, { signal, onProgress } = {}) {
    const content = { modelId, request: { ...request, ...(typeof request?.seed === 'bigint' ? { seed: request.seed.toString() } : {}) } };
    return this.#call('generateDiffusers', content, { signal, onProgress });
  }

  /** The core's style operations: [{name, summary, params: [{name, min, max, default, integer, help}]}]. */
  styleOps() {
    return this.#call('styleOps', null);
  }

  /**
   * Runs style operation `op` (e.g. 'lineart') with `params` ({name: number}, omitted ones take
   * their defaults) on a copy of `image`; with `previewSide`, on a copy shrunk to fit that many
   * pixels a side. Aborting `signal` stops the core between strips (cross-origin isolated
   * pages; elsewhere the running call finishes first) and rejects with code 'cancelled'.
   * @param {ImageData} image
   * @param {string} op
   * @param {Record<string, number>} params
   * @param {{signal?: AbortSignal, onProgress?: (p: {done: number, total: 1}) => void, previewSide?: number}} [options]
   * @returns {Promise<ImageData>}
   */
  async stylize(image, op, params, { signal, onProgress, previewSide } = {}) {
    const data = image.data.slice().buffer;
    const cancelFlag = globalThis.crossOriginIsolated ? new SharedArrayBuffer(4) : undefined;
    const raiseFlag = () => Atomics.store(new Int32Array(cancelFlag), 0, 1);
    if (cancelFlag) signal?.addEventListener('abort', raiseFlag, { once: true });
    try {
      const content = { image: { width: image.width, height: image.height, data }, op, params, previewSide, cancelFlag };
      const result = await this.#call('stylize', content, { signal, onProgress, transfer: [data] });
      return new ImageData(new Uint8ClampedArray(result.data), result.width, result.height);
    } finally {
      if (cancelFlag) signal?.removeEventListener('abort', raiseFlag);
    }
  }

  /**
   * `image` recoloured towards `reference`'s colours (Reinhard-style in Oklab), by `strength`
   * 0..1; with `previewSide`, a shrunk copy. Rejects with the core's code on bad input.
   * @param {ImageData} image
   * @param {ImageData} reference
   * @param {number} strength
   * @param {{signal?: AbortSignal, previewSide?: number}} [options]
   * @returns {Promise<ImageData>}
   */
  async colorTransfer(image, reference, strength, { signal, previewSide } = {}) {
    const data = image.data.slice().buffer;
    const ref = reference.data.slice().buffer;
    const content = {
      image: { width: image.width, height: image.height, data },
      reference: { width: reference.width, height: reference.height, data: ref },
      strength, previewSide,
    };
    const result = await this.#call('colorTransfer', content, { signal, transfer: [data, ref] });
    return new ImageData(new Uint8ClampedArray(result.data), result.width, result.height);
  }

  /**
   * The median-cut palette of `image`: up to `colors` (1..256) [r, g, b] colours, most used first.
   * @param {ImageData} image
   * @param {number} colors
   * @returns {Promise<number[][]>}
   */
  palette(image, colors, { signal } = {}) {
    const data = image.data.slice().buffer;
    return this.#call('palette', { image: { width: image.width, height: image.height, data }, colors }, { signal, transfer: [data] });
  }

  #call(kind, content, { signal, onProgress, transfer = [] } = {}) {
    if (this.#failure) return Promise.reject(this.#failure);
    if (signal?.aborted) return Promise.reject(cancelledError());
    const id = `req:${this.#nextId++}`;
    return new Promise((resolve, reject) => {
      const onAbort = () => this.#worker.postMessage({ kind: 'cancel', id, content: null });
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (fn) => (value) => {
        signal?.removeEventListener('abort', onAbort);
        this.#pending.delete(id);
        fn(value);
      };
      this.#pending.set(id, { resolve: settle(resolve), reject: settle(reject), onProgress });
      this.#worker.postMessage({ kind, id, content }, transfer);
    });
  }

  #onMessage({ kind, id, content }) {
    const request = this.#pending.get(id);
    if (!request) return; // a reply to a request that already failed
    if (kind === 'progress') request.onProgress?.(content);
    else if (kind === 'return') request.resolve(content);
    else if (kind === 'throw') request.reject(new InferenceError(content.code, content.message));
  }
}
