// Application-facing wrapper around the raw Embind module (huabu-core.d.ts): the same
// functions, but results are unwrapped and failures throw HuabuError. No Node- or
// browser-specific code, so it runs in a worker and under Node alike.
//
//   import createHuabuCore from '/core/huabu_core.mjs';        // browser worker
//   // const createHuabuCore = require('.../huabu_core.cjs');  // Node (CommonJS build)
//   const core = await loadHuabuCore(createHuabuCore);
//   try { core.resize(img, 64, 64, 'lanczos3'); } catch (e) { if (e.code === 'corrupt_data') ... }

/** A failed core call; `code` is one of the ErrorCode strings of huabu-core.d.ts. */
export class HuabuError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'HuabuError';
    this.code = code;
  }
}

// Calls a raw export. Embind throws BindingError (only) for a wrong number of arguments;
// that is a caller error like any other invalid argument.
function call(raw, name, args) {
  let result;
  try {
    result = raw[name](...args);
  } catch (e) {
    if (e && e.name === 'BindingError') throw new HuabuError('invalid_argument', `${name}: ${e.message}`);
    throw e;
  }
  return unwrap(result);
}

function unwrap(result) {
  if (result && result.ok === true) return result.value;
  if (result && result.ok === false) throw new HuabuError(result.code, result.message);
  throw new HuabuError('internal', 'malformed result from the core module');
}

// Raw exports that return Result<T>; everything else is passed through unchanged.
const RESULT_FUNCTIONS = [
  'resize', 'crop', 'premultiply', 'unpremultiply', 'compositeOver',
  'imageToTensor', 'tensorToImage',
  'encodeWebp', 'decodeWebp', 'webpInfo',
  'philoxU32', 'philoxNormal',
  'planTiles', 'sketchInput',
  'stylize', 'extractPalette', 'quantize', 'colorTransfer',
];

function wrapStitcher(raw) {
  return {
    add(tile, output) { call(raw, 'add', [tile, output]); },
    finish() { return call(raw, 'finish', []); },
    /** Frees the wasm-side buffers; call it in a finally block. */
    delete() { raw.delete(); },
  };
}

function wrapTokenizer(raw) {
  return {
    encode(text, maxLen) { return call(raw, 'encode', [text, maxLen]); },
    toWords(text) { return call(raw, 'toWords', [text]); },
    delete() { raw.delete(); },
    raw,
  };
}

function wrapClipTokenizer(raw) {
  return {
    encode(text) { return call(raw, 'encode', [text]); },
    tokenize(text) { return call(raw, 'tokenize', [text]); },
    delete() { raw.delete(); },
    raw,
  };
}

function wrapTextToImage(raw) {
  return {
    next() { return call(raw, 'next', []); },
    provide(outputs) { call(raw, 'provide', [outputs]); },
    cancel() { raw.cancel(); },
    delete() { raw.delete(); },
  };
}

function wrapDiffusersTextToImage(raw) {
  return {
    next() { return call(raw, 'next', []); },
    provide(outputs) { call(raw, 'provide', [outputs]); },
    info() { return raw.info(); },
    cancel() { raw.cancel(); },
    delete() { raw.delete(); },
  };
}

/**
 * Instantiates the module with `factory` (createHuabuCore from huabu_core.mjs or .cjs) and
 * `options` (e.g. {locateFile} or {wasmBinary}), and returns the throwing API.
 */
export async function loadHuabuCore(factory, options = {}) {
  const raw = await factory(options);
  const core = {
    raw,
    version: () => raw.version(),
    maxImagePixels: () => raw.maxImagePixels(),
    styleOps: () => raw.styleOps(),
    createTileStitcher: (...args) => wrapStitcher(call(raw, 'createTileStitcher', args)),
    createWordTokenizer: (...args) => wrapTokenizer(call(raw, 'createWordTokenizer', args)),
    createClipTokenizer: (...args) => wrapClipTokenizer(call(raw, 'createClipTokenizer', args)),
    // Accepts a wrapped or a raw tokenizer.
    createTextToImage: (tokenizer, ...args) =>
      wrapTextToImage(call(raw, 'createTextToImage', [tokenizer?.raw ?? tokenizer, ...args])),
    validateDiffusersModel: (...args) => call(raw, 'validateDiffusersModel', args),
    // Accepts a wrapped or a raw CLIP tokenizer.
    createDiffusersTextToImage: (tokenizer, ...args) =>
      wrapDiffusersTextToImage(call(raw, 'createDiffusersTextToImage', [tokenizer?.raw ?? tokenizer, ...args])),
  };
  for (const name of RESULT_FUNCTIONS) {
    core[name] = (...args) => call(raw, name, args);
  }
  return core;
}
