// A 'generate' request as the chat sends it -> the core's TextToImageRequest and the recipe
// that goes back with the images (the normalised request: what reproduces them exactly).
// Range checks are the core's (one place); this only maps names and fills defaults.

import { InferenceError } from './inference-error.js';

const maxSeed = 2n ** 64n - 1n;

function randomSeed() {
  const [hi, lo] = crypto.getRandomValues(new Uint32Array(2));
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function seedString(seed) {
  if (seed === undefined || seed === null) return randomSeed();
  const text = String(seed);
  if (!/^\d{1,20}$/.test(text) || BigInt(text) > maxSeed) {
    throw new InferenceError('invalid_argument', `seed ${text} must be a decimal integer in 0..${maxSeed}`);
  }
  return BigInt(text).toString(); // no leading zeros: one seed, one spelling
}

// Style by the manifest's name ("any", "noto", ...) or by id.
function styleOf(style, styles) {
  const names = Object.keys(styles);
  if (style === undefined) return { id: styles.any ?? 0, name: names.find((n) => styles[n] === (styles.any ?? 0)) };
  if (typeof style === 'string' && Object.hasOwn(styles, style)) return { id: styles[style], name: style };
  const byId = names.find((n) => styles[n] === style);
  if (byId !== undefined) return { id: style, name: byId };
  throw new InferenceError('invalid_argument', `style ${JSON.stringify(style)} is not one of ${names.join(', ')}`);
}

/** @returns {{request: object, recipe: object}} core request and recipe */
export function normalizeGenerateRequest(content, manifest) {
  if (!content || typeof content !== 'object' || typeof content.prompt !== 'string') {
    throw new InferenceError('invalid_argument', 'A generate request needs {prompt: string, ...}.');
  }
  const { sampler: defaults, text } = manifest;
  const style = styleOf(content.style, text.styles);
  const steps = content.steps ?? defaults.steps;
  const request = {
    prompt: content.prompt,
    style: style.id,
    seed: seedString(content.seed),
    count: content.count ?? 1,
    steps,
    guidance: content.guidance ?? defaults.guidance,
    guidanceAbove: content.guidanceAbove ?? defaults.guidance_above ?? 0,
    sampler: content.sampler ?? 'euler',
    // A preview every 4 steps by default: enough to see the picture form, cheap (32 px).
    previewEvery: content.previewEvery ?? (Number.isInteger(steps) ? Math.min(4, Math.max(0, steps - 1)) : 0),
  };
  const recipe = { ...request, style: style.name, model: manifest.id, modelVersion: manifest.version };
  delete recipe.previewEvery;
  return { request, recipe };
}
