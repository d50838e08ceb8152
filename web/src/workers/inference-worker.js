// The inference worker: owns ONNX Runtime, the model sessions and the C++ core (wasm), so the
// main thread stays responsive. Protocol in worker-client.js.

import { detectBackend } from '../ml/backend.js';
import { abortable, throwIfCancelled } from '../ml/cancellation.js';
import { InferenceError } from '../ml/inference-error.js';
import { downloadModel } from '../ml/model-download.js';
import { upscaleModelId } from '../ml/model-registry.js';
import { upscaleImage } from '../ml/upscale-pipeline.js';

// Both bundles load their .wasm from /ort/. The WebGPU bundle also runs the wasm EP, but its
// binary is twice the size, so machines without an adapter get the plain wasm bundle.
const ortBundles = { webgpu: '/ort/ort.webgpu.min.mjs', wasm: '/ort/ort.wasm.min.mjs' };
const webpQuality = 90;
const errorCodes = new Set([
  'invalid_argument', 'out_of_range', 'unsupported', 'corrupt_data', 'resource_exhausted', 'cancelled', 'internal',
]);

// Threads need SharedArrayBuffer, i.e. a cross-origin isolated page (COOP + COEP headers).
const threads = self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;

let backendPromise;
let ortPromise;
let corePromise;
const sessions = new Map(); // modelId -> Promise<{session, manifest}>
const running = new Map(); // request id -> AbortController
let queue = Promise.resolve(); // upscales run one at a time: a session runs one inference at a time

function backend() {
  backendPromise ??= detectBackend().then((b) => ({ ...b, threads, crossOriginIsolated: self.crossOriginIsolated }));
  return backendPromise;
}

async function importOrFail(url, what) {
  try {
    return await import(url);
  } catch (err) {
    throw new InferenceError('internal', `Could not load ${what} from ${url}: ${err.message}`);
  }
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
  corePromise ??= (async () => {
    const [{ default: factory }, { loadHuabuCore }] = await Promise.all([
      importOrFail('/core/huabu_core.mjs', 'the image core'),
      importOrFail('/core-js/huabu-core.js', 'the image core wrapper'),
    ]);
    try {
      return await loadHuabuCore(factory);
    } catch (err) {
      // Embind generates code with new Function() unless linked with -sDYNAMIC_EXECUTION=0;
      // the CSP (no 'unsafe-eval') rightly refuses that.
      if (err instanceof EvalError) {
        throw new InferenceError('internal', `The image core cannot start under this page's Content-Security-Policy (it evaluates strings as code; link it with -sDYNAMIC_EXECUTION=0): ${err.message}`);
      }
      throw err;
    }
  })();
  return corePromise;
}

/** Lazy singleton per model: download, verify, create the session once. Failures are not cached. */
function session(modelId, onProgress) {
  if (!sessions.has(modelId)) {
    const created = (async () => {
      const [{ manifest, files }, ortModule, { name }] = await Promise.all([downloadModel(modelId, onProgress), ort(), backend()]);
      const modelPath = manifest.files.find((f) => f.path.endsWith('.onnx')).path;
      const externalData = [...files].filter(([path]) => path !== modelPath).map(([path, data]) => ({ path, data }));
      onProgress({ stage: 'prepare', detail: `Starting the ${name === 'webgpu' ? 'WebGPU' : 'WebAssembly'} session` });
      const created = await ortModule.InferenceSession.create(files.get(modelPath), {
        executionProviders: name === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'],
        graphOptimizationLevel: 'all',
        externalData,
      });
      return { session: created, manifest };
    })();
    sessions.set(modelId, created);
    created.catch(() => sessions.delete(modelId));
  }
  return sessions.get(modelId);
}

/** An exactly-sized ArrayBuffer holding `bytes`, safe to transfer. */
function ownBuffer(bytes) {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? bytes.buffer : bytes.slice().buffer;
}

async function upscale({ scale, image }, { signal, progress }) {
  const started = performance.now();
  const modelId = upscaleModelId(scale);
  const input = { width: image.width, height: image.height, data: new Uint8Array(image.data) };
  const [{ session: model, manifest }, ortModule, huabu, backendInfo] = await abortable(
    Promise.all([session(modelId, progress), ort(), core(), backend()]),
    signal,
  );
  throwIfCancelled(signal);

  const inputName = manifest.inputs[0].name;
  const outputName = manifest.outputs[0].name;
  const runTile = async (tensor, width, height) => {
    const outputs = await model.run({ [inputName]: new ortModule.Tensor('float32', tensor, [1, 3, height, width]) });
    return outputs[outputName].data; // CPU-located output (the default), also on WebGPU
  };
  const result = await upscaleImage({
    core: huabu,
    manifest,
    image: input,
    runTile,
    signal,
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

async function capabilities() {
  return { reply: await backend(), transfer: [] };
}

const handlers = { upscale, capabilities };

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
  const job = kind === 'upscale' ? queue.then(run) : Promise.resolve().then(run);
  if (kind === 'upscale') queue = job.catch(() => {});
  job.then(
    ({ reply, transfer }) => self.postMessage({ kind: 'return', id, content: reply }, transfer),
    (err) => self.postMessage({ kind: 'throw', id, content: toErrorContent(err) }),
  ).finally(() => running.delete(id));
});
