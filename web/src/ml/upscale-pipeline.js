// Super-resolution of an image of any size: tiles -> model -> stitched result, with the
// alpha channel upscaled separately. Runs in the inference worker; knows nothing of ONNX
// Runtime (the caller supplies `runTile`).
//
// Why tiles: memory and progress. Overlapping tiles are blended by the core's stitcher so
// seams do not show. The model sees RGB only; alpha (rare: imported PNGs) is resized
// bicubically and put back, so transparent areas stay transparent.

import { throwIfCancelled, yieldToEventLoop } from './cancellation.js';

// The SR models (models/huabu-sr-*, see their manifests) take RGB as float32 0..255, NCHW.
const tensorOptions = { layout: 'nchw', channels: 3, scale: 1, mean: [0, 0, 0], std: [1, 1, 1] };

function hasTransparency(data) {
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return true;
  return false;
}

/**
 * @param {object} args
 * @param {object} args.core        the wrapped core (wasm/huabu-core.js), throws HuabuError
 * @param {{scale: number, tile: {size: number, overlap: number}}} args.manifest
 * @param {{width: number, height: number, data: Uint8Array}} args.image  RGBA
 * @param {(input: Float32Array, width: number, height: number) => Promise<Float32Array>} args.runTile
 *   runs the model on one NCHW tile and returns its NCHW output (width*scale x height*scale)
 * @param {AbortSignal} [args.signal]
 * @param {(done: number, total: number) => void} [args.onTile]
 * @returns {Promise<{width: number, height: number, data: Uint8Array}>}
 */
export async function upscaleImage({ core, manifest, image, runTile, signal, onTile }) {
  const { scale, tile: { size, overlap } } = manifest;
  const tiles = core.planTiles(image.width, image.height, size, overlap);
  const stitcher = core.createTileStitcher(image.width, image.height, scale, overlap);
  let result;
  try {
    onTile?.(0, tiles.length);
    for (const [i, tile] of tiles.entries()) {
      await yieldToEventLoop();
      throwIfCancelled(signal);
      const crop = core.crop(image, tile.x, tile.y, tile.width, tile.height);
      const input = core.imageToTensor(crop, tensorOptions);
      const output = await runTile(input, tile.width, tile.height);
      stitcher.add(tile, core.tensorToImage(output, tile.width * scale, tile.height * scale, tensorOptions));
      onTile?.(i + 1, tiles.length);
    }
    throwIfCancelled(signal);
    result = stitcher.finish();
  } finally {
    stitcher.delete();
  }

  if (hasTransparency(image.data)) {
    const alpha = core.resize(image, result.width, result.height, 'bicubic').data;
    for (let i = 3; i < result.data.length; i += 4) result.data[i] = alpha[i];
  }
  return result;
}
