// The safety check on the share and shared-room paths: nsfw-mobilenet-v2 (nsfwjs' MobileNetV2,
// models/nsfw-mobilenet-v2) scores a picture over Drawing/Hentai/Neutral/Porn/Sexy. A picture
// is flagged when Porn + Hentai >= 0.5. The classifier errs both ways (it was trained on
// photos and hentai, not on emoji and doodles; abstract skin-coloured shapes can score as
// Hentai), so the app asks the person before sharing a flagged picture instead of deciding
// for them, and says what the classifier saw.

import { CLASSES, prepare, SIZE } from './safety-input.js';

export const explicitThreshold = 0.5;

/** {scores: {Drawing, Hentai, Neutral, Porn, Sexy}, explicit: number, flagged: boolean} */
export function safetyVerdict(probabilities) {
  const scores = Object.fromEntries(CLASSES.map((name, i) => [name, probabilities[i]]));
  const explicit = scores.Porn + scores.Hentai;
  return { scores, explicit, flagged: explicit >= explicitThreshold };
}

/**
 * Scores an RGBA picture of any size with the classifier's ONNX session.
 * @param {{ort: object, session: {run: Function}, image: {width: number, height: number, data: Uint8Array}}} args
 */
export async function checkImageSafety({ ort, session, image }) {
  const input = prepare(image.data, image.width, image.height);
  const out = await session.run({ input: new ort.Tensor('float32', input, [1, 3, SIZE, SIZE]) });
  return safetyVerdict(Array.from(out.probabilities.data));
}
