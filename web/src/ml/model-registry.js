// Which model does which job, and where its manifest lives (served from /models/).

import { InferenceError } from './inference-error.js';

const upscaleModelIds = new Map([
  [2, 'esrgan-slim-x2'],
  [4, 'esrgan-slim-x4'],
]);

/** The id of the super-resolution model for `scale`. */
export function upscaleModelId(scale) {
  const id = upscaleModelIds.get(scale);
  if (!id) {
    throw new InferenceError('unsupported', `No upscaling model for ×${scale}; available: ×${[...upscaleModelIds.keys()].join(', ×')}.`);
  }
  return id;
}

export function manifestUrl(modelId, base = globalThis.location.href) {
  return new URL(`/models/${modelId}/manifest.json`, base);
}
