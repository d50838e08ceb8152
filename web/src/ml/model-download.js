// Fetches a model's manifest and files with byte-level progress, verifying each file's
// sha256 before it is handed to ONNX Runtime.

import { InferenceError } from './inference-error.js';
import { validateManifest, verifyModelBytes } from './manifest.js';
import { manifestUrl } from './model-registry.js';

/**
 * The shared manifest checks, plus what the task needs: upscaling a tile plan, text to image
 * its graphs, sketch to image and style transfer their input size, channels and styles, the
 * safety check its classes.
 */
function checkManifest(json, path) {
  const problems = validateManifest(json);
  if (json?.task === 'text-to-image') {
    for (const graph of ['text_encoder', 'unet']) if (!json.graphs?.[graph]?.path) problems.push(`graphs.${graph}: required for text to image`);
    if (!json.text?.styles) problems.push('text.styles: required for text to image');
    for (const name of ['vocab', 'zh']) if (!json.files?.some?.((f) => f.name === name)) problems.push(`files: no "${name}" tokenizer file`);
  } else if (json?.task === 'sketch-to-image' || json?.task === 'style-transfer') {
    const [, channels, size] = json.inputs?.[0]?.shape ?? [];
    if (!Number.isInteger(size) || size < 8 || size > 1024) problems.push('inputs[0].shape[2]: the input size (8..1024) is required');
    if (channels !== (json.task === 'sketch-to-image' ? 1 : 3)) problems.push(`inputs[0].shape[1]: ${json.task === 'sketch-to-image' ? '1 (grey sketch)' : '3 (RGB picture)'} channels required`);
    const styles = json.styles;
    if (!Array.isArray(styles) || !styles.length || !styles.every((s) => typeof s === 'string')) problems.push('styles: a list of style names is required');
  } else if (json?.task === 'image-safety') {
    if (!Array.isArray(json.classes) || !json.classes.length) problems.push('classes: required for the safety check');
  } else if (!json?.tile) problems.push('tile: required for upscaling');
  if (!json?.files?.some?.((f) => f.path?.endsWith('.onnx'))) problems.push('files: no .onnx file');
  if (problems.length) throw new InferenceError('corrupt_data', `Model manifest ${path} is invalid: ${problems.join('; ')}.`);
  return json;
}

async function fetchOk(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new InferenceError('internal', `Could not download ${url.pathname}: ${err.message}`);
  }
  if (!response.ok) {
    throw new InferenceError('internal', `Could not download ${url.pathname}: HTTP ${response.status}.`);
  }
  return response;
}

async function readWithProgress(response, onChunk) {
  const chunks = [];
  let length = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
    onChunk(value.byteLength);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Downloads and verifies every file of model `modelId`.
 * @param {string} modelId
 * @param {(p: {stage: 'download', modelId: string, loaded: number, total: number}) => void} onProgress
 * @returns {Promise<{manifest: object, files: Map<string, Uint8Array>}>} files keyed by manifest path
 */
export async function downloadModel(modelId, onProgress) {
  const url = manifestUrl(modelId);
  let json;
  try {
    json = await (await fetchOk(url)).json();
  } catch (err) {
    if (err instanceof InferenceError) throw err;
    throw new InferenceError('corrupt_data', `Model manifest ${url.pathname} is not valid JSON.`);
  }
  const manifest = checkManifest(json, url.pathname);

  const total = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
  let loaded = 0;
  onProgress({ stage: 'download', modelId, loaded, total });
  const files = new Map();
  for (const file of manifest.files) {
    const response = await fetchOk(new URL(file.path, url));
    const bytes = await readWithProgress(response, (n) => {
      loaded += n;
      onProgress({ stage: 'download', modelId, loaded: Math.min(loaded, total), total });
    });
    // Checked before ONNX Runtime parses a byte of it.
    const verified = await verifyModelBytes(file, bytes);
    if (!verified.ok) {
      throw new InferenceError(verified.code, `Model file ${modelId}/${file.path} is corrupt — ${verified.message}.`);
    }
    files.set(file.path, bytes);
  }
  return { manifest, files };
}
