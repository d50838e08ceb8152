// huabu-sketch and huabu-style in the app: a drawing or a picture -> the core's framed input
// (cropped to what is drawn, centred in a square like the training pairs, huabu/sketch_input.h;
// grey for a sketch, RGB for a picture, as the manifest's first input asks) -> the model ->
// an RGB picture. huabu-cli sketch2img and style-transfer do the same natively (cli/framed_model.cpp).

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
 * @param {{run: Function}} args.session  the model's session
 * @param {object} args.manifest the model's manifest (inputs[0]: the framed image, [B, 1|3, size, size])
 * @param {{width: number, height: number, data: Uint8Array}} args.image  the drawing or picture, RGBA
 * @param {string} [args.style]
 * @returns {Promise<{image: object, frame: {x: number, y: number, side: number}}>} RGBA picture
 *   (size x size) and the square of the drawing it shows
 */
export async function framedImageToImage({ core, ort, session, manifest, image, style }) {
  const [, channels, size] = manifest.inputs[0].shape;
  const styles = styleVector(manifest, style);
  const { values, frame } = core.sketchInput(image, { size, channels }); // HuabuError when nothing is drawn
  const outputs = await session.run({
    [manifest.inputs[0].name]: new ort.Tensor('float32', values, [1, channels, size, size]),
    style: new ort.Tensor('float32', styles, [1, styles.length]),
  });
  return { image: core.tensorToImage(outputs.image.data, size, size, outputOptions), frame };
}
