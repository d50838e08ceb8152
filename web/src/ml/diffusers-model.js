// Loads a model in the diffusers ONNX layout (as the ONNX Runtime Web SD-Turbo demo uses it)
// from files the person chose or from a base URL, checks it, and creates its ORT sessions:
//
//   text_encoder/model.onnx, unet/model.onnx, vae_decoder/model.onnx   required
//   tokenizer/vocab.json, tokenizer/merges.txt                          required
//   scheduler/scheduler_config.json                                     required
//   tokenizer/special_tokens_map.json, tokenizer/tokenizer_config.json,
//   vae_decoder/config.json, model_index.json                          optional
//
// Every problem is an InferenceError naming the file and what is wrong. Docs:
// docs/pipelines.md, "Diffusers-layout models".

import { InferenceError } from './inference-error.js';

export const graphNames = ['text_encoder', 'unet', 'vae_decoder'];
const requiredFiles = [
  ...graphNames.map((g) => `${g}/model.onnx`),
  'tokenizer/vocab.json', 'tokenizer/merges.txt', 'scheduler/scheduler_config.json',
];
const optionalFiles = ['tokenizer/special_tokens_map.json', 'tokenizer/tokenizer_config.json', 'vae_decoder/config.json', 'model_index.json'];
// ORT-web's wasm build addresses at most 4 GB; weights, a copy while the session is created
// and the activations must fit, so larger models need the WebGPU backend.
export const maxWasmModelBytes = 1.5 * 2 ** 30;
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A layout's files by path relative to the model folder, from a FileList (a folder picked with
 * <input webkitdirectory>: the top folder is dropped), an array of File, a Map or an object
 * {path: Uint8Array | ArrayBuffer | Blob}. Only the layout's files and the graphs' external
 * data (model.onnx_data, weights.pb, *.data) are read; anything else is skipped unread.
 * @returns {Promise<Map<string, Uint8Array>>}
 */
export async function readLayoutFiles(source) {
  const entries = source instanceof Map ? [...source]
    : typeof source?.length === 'number' ? Array.from(source, (file) => [file.webkitRelativePath || file.name, file])
      : Object.entries(source ?? {});
  const paths = entries.map(([path]) => path.replaceAll('\\', '/').replace(/^\/+/, ''));
  // A picked folder gives "sd-turbo/unet/model.onnx": drop a top folder all files share.
  const top = paths[0]?.split('/')[0];
  const shared = paths.length > 0 && paths.every((p) => p.startsWith(`${top}/`)) && !graphNames.includes(top) &&
    !['tokenizer', 'scheduler'].includes(top);
  const files = new Map();
  const seen = new Set();
  for (const [i, [, value]] of entries.entries()) {
    const path = shared ? paths[i].slice(top.length + 1) : paths[i];
    // Files picked one by one have bare names: three graphs would all be "model.onnx".
    if (seen.has(path)) throw new InferenceError('invalid_argument', `Two files are both "${path}": pick the model's folder, so that each file keeps its folder (unet/model.onnx, ...).`);
    seen.add(path);
    if (isLayoutFile(path)) files.set(path, await toBytes(value, path)); // others (a repository's .safetensors...) stay unread
  }
  return files;
}

// The files read: the layout's own, and in a graph's folder its ONNX external data (optimum
// writes model.onnx_data, diffusers' exporter weights.pb).
function isLayoutFile(path) {
  if (requiredFiles.includes(path) || optionalFiles.includes(path)) return true;
  const [folder, name, ...deeper] = path.split('/');
  return graphNames.includes(folder) && name !== undefined && deeper.length === 0 && /\.onnx.+|\.pb$|\.data$/.test(name);
}

async function toBytes(value, path) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (typeof value?.arrayBuffer === 'function') return new Uint8Array(await value.arrayBuffer());
  throw new InferenceError('invalid_argument', `${path}: expected the file's bytes (Uint8Array, ArrayBuffer or File)`);
}

/**
 * Downloads a layout's files from `baseUrl` (a folder URL). Optional files may be missing
 * (HTTP 404). Weights in separate ONNX external-data files are not fetched: load such models
 * from local files.
 * @param {string|URL} baseUrl
 * @param {{fetch?: typeof fetch, onProgress?: (p: {phase: 'download', path: string, done: number, total: number}) => void}} [options]
 * @returns {Promise<Map<string, Uint8Array>>}
 */
export async function fetchLayoutFiles(baseUrl, { fetch = globalThis.fetch, onProgress } = {}) {
  let base;
  try {
    base = new URL(String(baseUrl).endsWith('/') ? String(baseUrl) : `${baseUrl}/`, globalThis.location?.href);
  } catch {
    throw new InferenceError('invalid_argument', `"${baseUrl}" is not a URL`);
  }
  const files = new Map();
  const all = [...requiredFiles, ...optionalFiles];
  for (const [i, path] of all.entries()) {
    onProgress?.({ phase: 'download', path, done: i, total: all.length });
    let response;
    try {
      response = await fetch(new URL(path, base));
    } catch (err) {
      throw new InferenceError('internal', `Could not download ${path} from ${base.href}: ${err.message}`);
    }
    if (!response.ok) {
      if (response.status === 404 && optionalFiles.includes(path)) continue;
      throw new InferenceError(response.status === 404 ? 'invalid_argument' : 'internal',
        `Could not download ${path} from ${base.href}: HTTP ${response.status}${response.status === 404 ? ' (the layout needs this file)' : ''}.`);
    }
    files.set(path, new Uint8Array(await response.arrayBuffer()));
  }
  onProgress?.({ phase: 'download', path: '', done: all.length, total: all.length });
  return files;
}

function parseJson(files, path) {
  const bytes = files.get(path);
  if (!bytes) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch (err) {
    throw new InferenceError('corrupt_data', `${path} is not valid JSON: ${err.message}`);
  }
}

// A serialized ONNX ModelProto starts with field 1 (ir_version, a varint): byte 0x08. Checked
// before ONNX Runtime parses it, whose messages for other files are obscure.
function checkOnnxBytes(bytes, path) {
  if (bytes.length < 16 || bytes[0] !== 0x08) {
    const start = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new InferenceError('corrupt_data', `${path} is not an ONNX model (${bytes.length} bytes, starting ${start || 'empty'}).`);
  }
}

// The element types of an ONNX model's initializers (weights), read from the protobuf without
// decoding it: ModelProto.graph (field 7) -> GraphProto.initializer (5) -> TensorProto.data_type
// (2). Cheap even for GB-sized files (weights are skipped by length). Unreadable -> empty set.
const onnxFloat16 = 10;
function readVarint(bytes, pos) {
  let value = 0;
  for (let shift = 0; shift < 64; shift += 7) {
    if (pos >= bytes.length) throw new RangeError('truncated varint');
    const b = bytes[pos++];
    value += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [value, pos];
  }
  throw new RangeError('varint too long');
}
function* protoFields(bytes, start, end) {
  let pos = start;
  while (pos < end) {
    const [key, afterKey] = readVarint(bytes, pos);
    const wire = key % 8;
    let value;
    if (wire === 0) [value, pos] = readVarint(bytes, afterKey);
    else if (wire === 1) pos = afterKey + 8;
    else if (wire === 5) pos = afterKey + 4;
    else if (wire === 2) {
      const [length, body] = readVarint(bytes, afterKey);
      value = [body, body + length];
      pos = body + length;
    } else throw new RangeError(`wire type ${wire}`);
    if (pos > end) throw new RangeError('field past its message');
    yield { field: Math.floor(key / 8), value };
  }
}
export function onnxWeightTypes(bytes) {
  const types = new Set();
  try {
    for (const model of protoFields(bytes, 0, bytes.length)) {
      if (model.field !== 7) continue;
      for (const graph of protoFields(bytes, ...model.value)) {
        if (graph.field !== 5) continue;
        for (const tensor of protoFields(bytes, ...graph.value)) if (tensor.field === 2) types.add(tensor.value);
      }
    }
  } catch {
    return new Set();
  }
  return types;
}

// pad_token is a string or {content} in Hugging Face's files.
function padToken(...configs) {
  for (const c of configs) {
    const p = c?.pad_token;
    if (typeof p === 'string') return p;
    if (typeof p?.content === 'string') return p.content;
  }
  return '<|endoftext|>';
}

/** The signature of an ORT session as the core reads it: dtype names, -1 for symbolic dims. */
export function sessionSignature(session, graph) {
  const port = (m) => {
    if (!m.isTensor) throw new InferenceError('invalid_argument', `${graph}/model.onnx: ${m.name} is not a tensor`);
    return { name: m.name, dtype: m.type, shape: Array.from(m.shape ?? [], (d) => (typeof d === 'number' && d >= 0 ? d : -1)) };
  };
  return { inputs: session.inputMetadata.map(port), outputs: session.outputMetadata.map(port) };
}

/** Whether the WebGPU adapter can run float16 shaders (ORT's WebGPU EP needs it for float16 graphs). */
export async function adapterHasShaderF16(gpu = globalThis.navigator?.gpu) {
  try {
    const adapter = await gpu?.requestAdapter();
    return Boolean(adapter?.features?.has('shader-f16'));
  } catch {
    return false;
  }
}

/**
 * Checks the files and creates the model: ORT sessions, CLIP tokenizer, the description the
 * core's pipeline takes. Sessions already created are released when a later check fails.
 * @param {object} args
 * @param {object} args.core  wrapped core
 * @param {object} args.ort   onnxruntime-web (or -node)
 * @param {Map<string, Uint8Array>} args.files  from readLayoutFiles / fetchLayoutFiles
 * @param {'wasm'|'webgpu'} [args.backend]  which backend the sessions use
 * @param {boolean} [args.shaderF16]  WebGPU: the adapter has shader-f16
 * @param {object} [args.sessionOptions]  passed to InferenceSession.create
 * @param {number} [args.maxWasmBytes]  the graphs' size limit on the wasm backend
 * @returns {Promise<{sessions: object, tokenizer: object, description: object, info: object, release: () => Promise<void>}>}
 */
export async function loadDiffusersModel({ core, ort, files, backend = 'wasm', shaderF16 = false, sessionOptions = {}, maxWasmBytes = maxWasmModelBytes }) {
  const missing = requiredFiles.filter((path) => !files.has(path));
  if (missing.length) {
    throw new InferenceError('invalid_argument',
      `This is not a complete diffusers ONNX layout: missing ${missing.join(', ')} (found ${[...files.keys()].sort().join(', ') || 'no files'}).`);
  }
  for (const graph of graphNames) checkOnnxBytes(files.get(`${graph}/model.onnx`), `${graph}/model.onnx`);
  const modelBytes = graphNames.reduce((sum, g) => sum + files.get(`${g}/model.onnx`).length, 0);
  if (backend === 'wasm' && modelBytes > maxWasmBytes) {
    throw new InferenceError('resource_exhausted',
      `The model's graphs are ${(modelBytes / 2 ** 30).toFixed(2)} GB; the WebAssembly backend can hold at most ${(maxWasmBytes / 2 ** 30).toFixed(1)} GB. Use a browser with WebGPU.`);
  }
  if (backend === 'webgpu' && !shaderF16) {
    const half = graphNames.filter((g) => onnxWeightTypes(files.get(`${g}/model.onnx`)).has(onnxFloat16));
    if (half.length) {
      throw new InferenceError('unsupported',
        `${half.map((g) => `${g}/model.onnx`).join(', ')} ${half.length > 1 ? 'store' : 'stores'} float16 weights, which need a WebGPU adapter with the shader-f16 feature; this one has none.`);
    }
  }
  const scheduler = parseJson(files, 'scheduler/scheduler_config.json');
  const vae = parseJson(files, 'vae_decoder/config.json');
  const tokenizerConfig = parseJson(files, 'tokenizer/tokenizer_config.json');
  const specialTokens = parseJson(files, 'tokenizer/special_tokens_map.json');
  const maxLength = Number.isInteger(tokenizerConfig?.model_max_length) && tokenizerConfig.model_max_length <= 4096
    ? tokenizerConfig.model_max_length : 77; // some configs say 1e30 for "no limit"

  const sessions = {};
  const release = async () => {
    for (const s of Object.values(sessions)) await s.release?.();
  };
  let tokenizer;
  try {
    const graphs = {};
    for (const graph of graphNames) {
      const path = `${graph}/model.onnx`;
      // The graph folder's other ONNX files are its external data (weights), by relative name.
      const externalData = [...files].filter(([p]) => p.startsWith(`${graph}/`) && p !== path && !p.endsWith('.json'))
        .map(([p, data]) => ({ path: p.slice(graph.length + 1), data }));
      try {
        sessions[graph] = await ort.InferenceSession.create(files.get(path), { ...sessionOptions, ...(externalData.length ? { externalData } : {}) });
      } catch (err) {
        throw new InferenceError('corrupt_data', `${path} could not be loaded by ONNX Runtime: ${err.message}`);
      }
      graphs[graph] = sessionSignature(sessions[graph], graph);
    }
    const float16 = graphNames.flatMap((g) => [...graphs[g].inputs, ...graphs[g].outputs].filter((p) => p.dtype === 'float16').map((p) => `${g} ${p.name}`));
    if (backend === 'webgpu' && float16.length && !shaderF16) {
      throw new InferenceError('unsupported',
        `This model computes in float16 (${float16.join(', ')}), which needs a WebGPU adapter with the shader-f16 feature; this one has none.`);
    }
    const description = { graphs, scheduler, ...(vae ? { vae } : {}) };
    const info = core.validateDiffusersModel(description);
    if (info.tokens >= 0 && info.tokens !== maxLength) {
      throw new InferenceError('invalid_argument',
        `The text encoder takes ${info.tokens} tokens but tokenizer/tokenizer_config.json says model_max_length ${maxLength}.`);
    }
    tokenizer = core.createClipTokenizer(files.get('tokenizer/vocab.json'), files.get('tokenizer/merges.txt'),
      { maxLength, padToken: padToken(specialTokens, tokenizerConfig) });
    return {
      sessions, tokenizer, description, info,
      release: async () => { tokenizer.delete(); await release(); },
    };
  } catch (err) {
    tokenizer?.delete();
    await release();
    if (err?.name === 'HuabuError') throw new InferenceError(err.code, `This diffusers model cannot be used: ${err.message}`);
    throw err;
  }
}
