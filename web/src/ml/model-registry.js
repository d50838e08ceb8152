// Which model does which job, and where its manifest lives (served from /models/).

import { InferenceError } from './inference-error.js';

// Huabu's own SR models (models/huabu-sr-*, trained here): they beat bicubic on held-out
// photos, while the converted esrgan-slim models (kept as a baseline) do not. See the cards.
const upscaleModelIds = new Map([
  [2, 'huabu-sr-x2'],
  [4, 'huabu-sr-x4'],
]);

// Huabu's own text -> image model (models/huabu-tiny): 32 px, super-resolved x4 by the app.
export const textToImageModelId = 'huabu-tiny';

// Huabu's own sketch -> image model (models/huabu-sketch): 128 px, super-resolved x4 by the app.
export const sketchModelId = 'huabu-sketch';

// Huabu's own picture -> another emoji set's style (models/huabu-style): 128 px, x4 likewise.
export const styleModelId = 'huabu-style';

// The safety check on the share and shared-room paths (models/nsfw-mobilenet-v2, ml/image-safety.js).
export const safetyModelId = 'nsfw-mobilenet-v2';

/** Every model the app can load; together they must stay within issue 3's 20 MB (tests/node/model-manifests.test.mjs). */
export const appModelIds = [textToImageModelId, sketchModelId, styleModelId, ...upscaleModelIds.values(), safetyModelId];

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
