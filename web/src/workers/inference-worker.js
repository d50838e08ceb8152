// The inference worker: owns ONNX Runtime, the model sessions and the C++ core (wasm), so the
// main thread stays responsive. Protocol in worker-client.js.

import { detectBackend } from '../ml/backend.js';
import { abortable, throwIfCancelled } from '../ml/cancellation.js';
import { InferenceError } from '../ml/inference-error.js';
import { normalizeGenerateRequest } from '../ml/generate-request.js';
import { downloadModel } from '../ml/model-download.js';
import { checkImageSafety } from '../ml/image-safety.js';
import { framedImageToImage } from '../ml/framed-image-model.js';
import {
  safetyModelId, sketchModelId, styleModelId, textToImageModelId, upscaleModelId,
} from '../ml/model-registry.js';
import { createTokenizer, generateImages, imagesToRgba } from '../ml/text-to-image.js';
import { adapterHasShaderF16, fetchLayoutFiles, loadDiffusersModel, readLayoutFiles } from '../ml/diffusers-model.js';
import { diffusersRecipe, generateDiffusersImages } from '../ml/diffusers-pipeline.js';
import { upscaleImage } from '../ml/upscale-pipeline.js';
import { importOrFail, loadCore } from './core-loader.js';
import { StylizeBands } from './stylize-bands.js';

// Both bundles load their .wasm from /ort/. The WebGPU bundle also runs the wasm EP, but its
// binary is twice the size, so machines without an adapter get the plain wasm bundle.
const ortBundles = { webgpu: '/ort/ort.webgpu.min.mjs', wasm: '/ort/ort.wasm.min.mjs' };
const webpQuality = 90;
const errorCodes = new Set([
  'invalid_argument', 'out_of_range', 'unsupported', 'corrupt_data', 'resource_exhausted', 'cancelled', 'internal',
]);

// Threads need SharedArrayBuffer, i.e. a cross-origin isolated page (COOP + COEP headers).
const threads = self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
// Row-local style operations on images of 512x512 up to 16 MP run as bands on several
// workers (stylize-bands.js; no isolation needed). Smaller ones: starting workers costs more
// than it saves. Larger ones: every worker holds a copy of the image (twice: its message and
// its wasm heap), so they stay on one core.
const bandWorkers = Math.min(4, navigator.hardwareConcurrency || 1);
const bandPixels = { min: 512 * 512, max: 16 * 1024 * 1024 };
let stylizeBands = null;

let backendPromise;
let ortPromise;
let corePromise;
const sessions = new Map(); // modelId -> Promise<{session, manifest}>
let textToImagePromise; // Promise<{manifest, sessions, tokenizer}>
const running = new Map(); // request id -> AbortController
let queue = Promise.resolve(); // upscales, generations, sketches and style transfers run one at a time: a session runs one inference at a time

function backend() {
  backendPromise ??= detectBackend().then((b) => ({ ...b, threads, crossOriginIsolated: self.crossOriginIsolated }));
  return backendPromise;
}

function ort() {
  ortPromise ??= backend().then(async ({ name }) => {
    const ort = await importOrFail(ortBundles[name], 'ONNX Runtime');
    ort.env.wasm.wasmPaths = '/ort/';
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.proxy = false; // already off the main thread
    return ort;
  });
  return ortPromise;
}

function core() {
  corePromise ??= loadCore();
  return corePromise;
}

/** Lazy singleton per model: download, verify, create the session once. Failures are not cached. */
function session(modelId, onProgress) {
  if (!sessions.has(modelId)) {
    const created = (async () => {
      const [{ manifest, files }, ortModule, { name }] = await Promise.all([downloadModel(modelId, onProgress), ort(), backend()]);
      const modelPath = manifest.files.find((f) => f.path.endsWith('.onnx')).path;
      // Weights kept next to the graph (ONNX external data); other files (reference images,
      // tokenizers) are not the session's.
      const externalData = [...files].filter(([path]) => path.endsWith('.data')).map(([path, data]) => ({ path, data }));
      onProgress({ stage: 'prepare', detail: `Starting the ${name === 'webgpu' ? 'WebGPU' : 'WebAssembly'} session` });
      const created = await ortModule.InferenceSession.create(files.get(modelPath), { ...sessionOptions(name), externalData });
      return { session: created, manifest };
    })();
    sessions.set(modelId, created);
    created.catch(() => sessions.delete(modelId));
  }
  return sessions.get(modelId);
}

function sessionOptions(backendName) {
  return { executionProviders: backendName === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'], graphOptimizationLevel: 'all' };
}

/** huabu-tiny: download and verify once, then its two graphs' sessions and its tokenizer. */
function textToImageModel(onProgress) {
  textToImagePromise ??= (async () => {
    const [{ manifest, files }, ortModule, huabu, { name }] = await Promise.all([
      downloadModel(textToImageModelId, onProgress), ort(), core(), backend()]);
    onProgress({ stage: 'prepare', detail: 'Starting the text-to-image sessions' });
    const graphSessions = {};
    for (const [graph, { path }] of Object.entries(manifest.graphs)) {
      // logSeverityLevel 3 (errors): on WebGPU, ORT warns on the console that it keeps these
      // graphs' shape ops on the CPU, which it does on purpose.
      graphSessions[graph] = await ortModule.InferenceSession.create(files.get(path), { ...sessionOptions(name), logSeverityLevel: 3 });
    }
    return { manifest, sessions: graphSessions, tokenizer: createTokenizer(huabu, manifest, files) };
  })();
  textToImagePromise.catch(() => { textToImagePromise = undefined; }); // failures are not cached
  return textToImagePromise;
}

/** An exactly-sized ArrayBuffer holding `bytes`, safe to transfer. */
function ownBuffer(bytes) {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? bytes.buffer : bytes.slice().buffer;
}

/** Super-resolves `image` (RGBA) with the SR model for `scale`; the model loads on first use. */
async function superResolve(image, scale, { signal, progress, onTile }) {
  const [{ session: model, manifest }, ortModule, huabu] = await abortable(
    Promise.all([session(upscaleModelId(scale), progress), ort(), core()]),
    signal,
  );
  throwIfCancelled(signal);
  const inputName = manifest.inputs[0].name;
  const outputName = manifest.outputs[0].name;
  const runTile = async (tensor, width, height) => {
    const outputs = await model.run({ [inputName]: new ortModule.Tensor('float32', tensor, [1, 3, height, width]) });
    return outputs[outputName].data; // CPU-located output (the default), also on WebGPU
  };
  return upscaleImage({ core: huabu, manifest, image, runTile, signal, onTile });
}

async function upscale({ scale, image }, { signal, progress }) {
  const started = performance.now();
  const modelId = upscaleModelId(scale);
  const input = { width: image.width, height: image.height, data: new Uint8Array(image.data) };
  const [huabu, backendInfo] = await abortable(Promise.all([core(), backend()]), signal);
  const result = await superResolve(input, scale, {
    signal,
    progress,
    onTile: (done, total) => progress({ stage: 'upscale', done, total }),
  });
  const webp = huabu.encodeWebp(result, { quality: webpQuality, lossless: false });
  const reply = {
    image: { width: result.width, height: result.height, data: ownBuffer(result.data) },
    webp: ownBuffer(webp),
    backend: backendInfo,
    modelId,
    elapsedMs: Math.round(performance.now() - started),
  };
  return { reply, transfer: [reply.image.data, reply.webp] };
}

// huabu-tiny draws 32 px; the app shows it super-resolved x4 (huabu-sr-x4).
const generateScale = 4;

function webpImage(huabu, rgba) {
  return { bytes: huabu.encodeWebp(rgba, { quality: webpQuality, lossless: false }), width: rgba.width, height: rgba.height, mime: 'image/webp' };
}

/** Text -> images. Progress: {phase: 'download'|'encode'|'step'|'upscale', done, total, preview?}. */
async function generate(content, { signal, progress }) {
  const started = performance.now();
  const report = (p) => {
    if (p.stage === 'download') progress({ phase: 'download', done: p.loaded, total: p.total, modelId: p.modelId });
  };
  const [model, huabu, ortModule, backendInfo] = await abortable(
    Promise.all([textToImageModel(report), core(), ort(), backend()]), signal);
  const { request, recipe } = normalizeGenerateRequest(content, model.manifest);
  // Load the SR model before sampling, so its download is not mistaken for a stuck last step.
  await abortable(session(upscaleModelId(generateScale), report), signal);
  throwIfCancelled(signal);

  progress({ phase: 'encode', done: 0, total: 1 });
  const result = await generateImages({
    core: huabu,
    ort: ortModule,
    sessions: model.sessions,
    tokenizer: model.tokenizer,
    request,
    signal,
    onStep: (done, total) => progress({ phase: 'step', done, total }),
    onPreview: (action) => progress({
      phase: 'step', done: action.step, total: action.steps,
      preview: { images: imagesToRgba(huabu, action).map((rgba) => webpImage(huabu, rgba)) },
    }),
  });

  const images = [];
  const small = imagesToRgba(huabu, result);
  for (const [i, rgba] of small.entries()) {
    progress({ phase: 'upscale', done: i, total: small.length });
    images.push(webpImage(huabu, await superResolve(rgba, generateScale, { signal, progress: report })));
  }
  progress({ phase: 'upscale', done: small.length, total: small.length });
  const reply = { images, recipe, backend: backendInfo, elapsedMs: Math.round(performance.now() - started) };
  return { reply, transfer: images.map((image) => image.bytes.buffer) };
}

// huabu-sketch and huabu-style draw 128 px; like the generations, the app shows them super-resolved x4.
const framedScale = 4;

/**
 * A drawing -> a picture (huabu-sketch), or a picture -> the same in another emoji set's style
 * (huabu-style). Progress: {stage: 'download'|'prepare'|'sketch'|'upscale', ...}.
 */
async function framedJob(modelId, { image, style }, { signal, progress }) {
  const started = performance.now();
  const [{ session: model, manifest }, ortModule, huabu, backendInfo] = await abortable(
    Promise.all([session(modelId, progress), ort(), core(), backend()]), signal);
  await abortable(session(upscaleModelId(framedScale), progress), signal); // before running, so its download is not a stuck step
  throwIfCancelled(signal);
  progress({ stage: 'sketch' });
  const input = { width: image.width, height: image.height, data: new Uint8Array(image.data) };
  const small = await framedImageToImage({ core: huabu, ort: ortModule, session: model, manifest, image: input, style });
  throwIfCancelled(signal);
  const big = await superResolve(small.image, framedScale, {
    signal, progress, onTile: (done, total) => progress({ stage: 'upscale', done, total }),
  });
  const webp = huabu.encodeWebp(big, { quality: webpQuality, lossless: false });
  const reply = {
    image: { width: big.width, height: big.height },
    webp: ownBuffer(webp),
    style: style ?? 'any',
    backend: backendInfo,
    modelId,
    elapsedMs: Math.round(performance.now() - started),
  };
  return { reply, transfer: [reply.webp] };
}

/** The safety verdict on an encoded picture {bytes, mime} (ml/image-safety.js). */
async function checkImage({ bytes, mime }, { signal, progress }) {
  const [{ session: model }, ortModule] = await abortable(Promise.all([session(safetyModelId, progress), ort()]), signal);
  let bitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes], { type: mime }));
  } catch (err) {
    throw new InferenceError('corrupt_data', `The picture cannot be read (${mime}): ${err.message}`);
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  canvas.getContext('2d').drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  const verdict = await checkImageSafety({ ort: ortModule, session: model, image: { width, height, data } });
  return { reply: verdict, transfer: [] };
}

async function capabilities() {
  return { reply: await backend(), transfer: [] };
}

/** The stylize operations and their parameter ranges, in menu order (docs/image-ops.md). */
async function styleOps() {
  return { reply: (await core()).styleOps(), transfer: [] };
}

/** `image` as the core's RGBA image; with `previewSide`, shrunk to fit it (area filter). */
function previewInput(huabu, image, previewSide) {
  const input = { width: image.width, height: image.height, data: new Uint8Array(image.data) };
  const shrink = previewSide ? Math.min(1, previewSide / Math.max(input.width, input.height)) : 1;
  if (shrink >= 1) return input;
  return huabu.resize(input, Math.max(1, Math.round(input.width * shrink)), Math.max(1, Math.round(input.height * shrink)), 'area');
}

/**
 * Colour transfer (docs/image-ops.md): `image` takes on the colours of `reference`, by
 * `strength` 0..1; with `previewSide`, on a shrunk copy. One fast pass: no progress.
 */
async function colorTransfer({ image, reference, strength, previewSide }, { signal }) {
  const huabu = await abortable(core(), signal);
  throwIfCancelled(signal);
  // The reference only lends its colour statistics: a copy of at most 256 px a side is enough.
  const result = huabu.colorTransfer(previewInput(huabu, image, previewSide), previewInput(huabu, reference, 256), strength);
  const reply = { width: result.width, height: result.height, data: ownBuffer(result.data) };
  return { reply, transfer: [reply.data] };
}

/** The picture's median-cut palette: up to `colors` [r, g, b] colours, most used first. */
async function palette({ image, colors }, { signal }) {
  const huabu = await abortable(core(), signal);
  throwIfCancelled(signal);
  const bytes = huabu.extractPalette({ width: image.width, height: image.height, data: new Uint8Array(image.data) }, colors);
  const reply = [];
  for (let i = 0; i < bytes.length; i += 3) reply.push([bytes[i], bytes[i + 1], bytes[i + 2]]);
  return { reply, transfer: [] };
}

/**
 * One style operation on `image`; with `previewSide`, on a copy shrunk to fit that many pixels
 * a side (area filter). The core runs synchronously, so this worker cannot read a 'cancel'
 * message until it returns: `cancelFlag` (a SharedArrayBuffer the page sets to 1) is what
 * stops a running call, checked by the core between strips.
 */
async function stylize({ image, op, params, previewSide, cancelFlag }, { signal, progress }) {
  const huabu = await abortable(core(), signal);
  throwIfCancelled(signal);
  const input = previewInput(huabu, image, previewSide);
  const flag = cancelFlag ? new Int32Array(cancelFlag) : null;
  const rowLocal = huabu.styleOps().find((o) => o.name === op)?.rowLocal;
  const pixels = input.width * input.height;
  let result = null;
  if (rowLocal && bandWorkers > 1 && pixels >= bandPixels.min && pixels <= bandPixels.max) {
    stylizeBands ??= new StylizeBands({
      size: bandWorkers,
      createWorker: () => new Worker('/app/stylize-band-worker.js', { type: 'module', name: 'huabu-stylize-band' }),
    });
    try {
      // This worker stays free meanwhile, so a 'cancel' message aborts `signal` directly.
      result = await stylizeBands.run(input, op, params ?? {}, { signal, onProgress: (done) => progress({ done, total: 1, bands: stylizeBands.size }) });
    } catch (err) {
      // A band worker that could not start (its script or the core failed to load) must not
      // cost the person their style: this worker's own core makes it instead.
      if (err.code !== 'internal') throw err;
      console.warn(`Style bands failed, running ${op} on one core: ${err.message}`);
    }
  }
  result ??= huabu.stylize(input, op, params ?? {}, (fraction) => {
    if (signal.aborted || (flag && Atomics.load(flag, 0) !== 0)) return false;
    progress({ done: fraction, total: 1 });
    return true;
  });
  const reply = { width: result.width, height: result.height, data: ownBuffer(result.data) };
  return { reply, transfer: [reply.data] };
}

// The diffusers-layout model the person loaded (docs/pipelines.md): modelId -> model. One at a
// time: a full-size one takes GBs, so loading another releases it first.
const diffusersModels = new Map();
let nextDiffusersId = 1;

/** Loads a diffusers ONNX layout from {files: {path: File|ArrayBuffer|Uint8Array}} or {baseUrl}. */
async function loadDiffusers({ files, baseUrl }, { signal, progress }) {
  const [ortModule, huabu, { name }] = await abortable(Promise.all([ort(), core(), backend()]), signal);
  const layout = baseUrl ? await fetchLayoutFiles(baseUrl, { onProgress: progress }) : await readLayoutFiles(files);
  throwIfCancelled(signal);
  for (const [id, loaded] of diffusersModels) {
    diffusersModels.delete(id);
    await loaded.release();
  }
  progress({ phase: 'prepare' });
  const model = await loadDiffusersModel({
    core: huabu, ort: ortModule, files: layout, backend: name,
    shaderF16: name === 'webgpu' && await adapterHasShaderF16(),
    sessionOptions: { ...sessionOptions(name), logSeverityLevel: 3 },
  });
  const modelId = `diffusers-${nextDiffusersId++}`;
  diffusersModels.set(modelId, model);
  return { reply: { modelId, info: model.info, files: [...layout.keys()].sort() }, transfer: [] };
}

/** Text -> images with a loaded diffusers model. Progress: {phase: 'encode'|'step'|'decode', done, total}. */
async function generateDiffusers({ modelId, request }, { signal, progress }) {
  const started = performance.now();
  const model = diffusersModels.get(modelId);
  if (!model) throw new InferenceError('invalid_argument', `No diffusers model "${modelId}" is loaded in this worker; load it first.`);
  const [huabu, ortModule, backendInfo] = await abortable(Promise.all([core(), ort(), backend()]), signal);
  const recipe = diffusersRecipe(request);
  const result = await generateDiffusersImages({ core: huabu, ort: ortModule, model, request: recipe, signal, onProgress: progress });
  const images = imagesToRgba(huabu, result).map((rgba) => webpImage(huabu, rgba));
  const { sampler, width, height } = result.info;
  const reply = { images, recipe: { ...recipe, sampler, width, height }, backend: backendInfo, elapsedMs: Math.round(performance.now() - started) };
  return { reply, transfer: images.map((image) => image.bytes.buffer) };
}

const sketch = (content, ctx) => framedJob(sketchModelId, content, ctx);
const styleTransfer = (content, ctx) => framedJob(styleModelId, content, ctx);
const handlers = { upscale, generate, sketch, styleTransfer, checkImage, capabilities, styleOps, stylize, colorTransfer, palette, loadDiffusers, generateDiffusers };

function toErrorContent(err) {
  if (errorCodes.has(err?.code)) return { code: err.code, message: err.message };
  return { code: 'internal', message: err?.message ?? String(err) };
}

self.addEventListener('message', ({ data: { kind, id, content } }) => {
  if (kind === 'cancel') {
    running.get(id)?.abort();
    return;
  }
  const handler = handlers[kind];
  if (!handler) {
    self.postMessage({ kind: 'throw', id, content: { code: 'invalid_argument', message: `Unknown request kind "${kind}".` } });
    return;
  }
  const controller = new AbortController();
  running.set(id, controller);
  const progress = (p) => self.postMessage({ kind: 'progress', id, content: p });
  const run = () => {
    throwIfCancelled(controller.signal);
    return handler(content, { signal: controller.signal, progress });
  };
  const queued = kind === 'upscale' || kind === 'generate' || kind === 'sketch' || kind === 'styleTransfer' || kind === 'loadDiffusers' || kind === 'generateDiffusers';
  const job = queued ? queue.then(run) : Promise.resolve().then(run);
  if (queued) queue = job.catch(() => {});
  job.then(
    ({ reply, transfer }) => self.postMessage({ kind: 'return', id, content: reply }, transfer),
    (err) => self.postMessage({ kind: 'throw', id, content: toErrorContent(err) }),
  ).finally(() => running.delete(id));
});
