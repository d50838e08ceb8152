// huabu-sketch in the app: a drawing -> the core's sketch input (cropped to the ink, framed
// like the training pairs, huabu/sketch_input.h) -> the model -> an RGB picture. Shared by
// the inference worker and the Node parity test, so the test exercises the app's own steps;
// huabu-cli sketch2img does the same natively (cli/sketch2img.cpp).

import { InferenceError } from './inference-error.js';

// The model's [-1, 1] output as bytes: (x + 1) * 127.5, written as tensorToImage options the
// same way the text-to-image images are (so both round identically).
const outputOptions = { layout: 'nchw', channels: 3, scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/** The style input: one-hot over the manifest's `styles` ('any' when none is asked for). */
export function styleVector(manifest, style = 'any') {
  const index = manifest.styles.indexOf(style);
  if (index < 0) throw new InferenceError('invalid_argument', `Unknown style “${style}”. ${manifest.id} knows: ${manifest.styles.join(', ')}.`);
  const v = new Float32Array(manifest.styles.length);
  v[index] = 1;
  return v;
}

/**
 * @param {object} args
 * @param {object} args.core     wrapped core (wasm/huabu-core.js)
 * @param {object} args.ort      onnxruntime-web (or -node): Tensor
 * @param {{run: Function}} args.session  huabu-sketch's session
 * @param {object} args.manifest huabu-sketch's manifest
 * @param {{width: number, height: number, data: Uint8Array}} args.image  the drawing, RGBA
 * @param {string} [args.style]
 * @returns {Promise<{image: object, frame: {x: number, y: number, side: number}}>} RGBA picture
 *   (size x size) and the square of the drawing it shows
 */
export async function sketchToImage({ core, ort, session, manifest, image, style }) {
  const size = manifest.inputs[0].shape[2];
  const styles = styleVector(manifest, style);
  const { values, frame } = core.sketchInput(image, { size }); // HuabuError on an empty drawing
  const outputs = await session.run({
    sketch: new ort.Tensor('float32', values, [1, 1, size, size]),
    style: new ort.Tensor('float32', styles, [1, styles.length]),
  });
  return { image: core.tensorToImage(outputs.image.data, size, size, outputOptions), frame };
}
