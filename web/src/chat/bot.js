// The drawing bot: answers chat entries and runs upscale jobs with a progress card.
// Jobs never touch the canvas: results arrive as image messages the user may put on it,
// so an error or a cancel cannot lose anything the user made.

import { helpText, parseCommand } from './commands.js';

const megabytes = (bytes) => (bytes / 1e6).toFixed(1);

function describeProgress(p) {
  switch (p.stage) {
    case 'download':
      return {
        percent: p.total ? (100 * p.loaded) / p.total : 0,
        detail: `Downloading model ${p.modelId}: ${megabytes(p.loaded)} of ${megabytes(p.total)} MB`,
      };
    case 'prepare':
      return { percent: 100, detail: `${p.detail}…` };
    case 'upscale':
      return { percent: (100 * p.done) / p.total, detail: `Upscaling: tile ${p.done} of ${p.total}` };
    default:
      return { percent: 0, detail: 'Working…' };
  }
}

function copyImageData(image) {
  return new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
}

/**
 * @param {object} deps
 * @param {import('./message-list.js').MessageList} deps.messages
 * @param {import('../canvas/drawing-canvas.js').DrawingCanvas} deps.canvas
 * @param {import('../workers/worker-client.js').InferenceClient} deps.inference
 * @param {(backend: object) => void} deps.onBackend
 */
export function createBot({ messages, canvas, inference, onBackend }) {
  async function upscale(image, scale, what) {
    const controller = new AbortController();
    const card = messages.addProgressCard({ title: `Upscaling ${what} ×${scale}`, onCancel: () => controller.abort() });
    try {
      const result = await inference.upscale(image, {
        scale,
        signal: controller.signal,
        onProgress: (p) => card.update(describeProgress(p)),
      });
      onBackend(result.backend);
      const { width, height } = result.image;
      card.end(`Done: ${width}×${height} in ${(result.elapsedMs / 1000).toFixed(1)} s on ${result.backend.label}.`);
      addResultImage(result, `${what} upscaled ×${scale}`);
    } catch (err) {
      if (err.code === 'cancelled') card.end('Upscale cancelled. Your canvas is unchanged.');
      else card.end(`Upscale failed: ${err.message} Your canvas is unchanged.`, { error: true });
    }
  }

  function addResultImage({ image, webp }, description) {
    const { width, height } = image;
    messages.addImage({
      blob: webp,
      alt: `${description[0].toUpperCase()}${description.slice(1)}, ${width}×${height} pixels`,
      caption: `${width}×${height} · WebP ${Math.ceil(webp.size / 1024)} KB`,
      fileName: `huabu-${width}x${height}.webp`,
      actions: [
        { label: 'Upscale ×2', onClick: () => upscale(copyImageData(image), 2, 'this image') },
        {
          label: 'Use as canvas',
          onClick: () => {
            canvas.replaceWith(copyImageData(image));
            messages.addNotice(`The canvas is now this ${width}×${height} image. Undo brings back the previous one.`);
          },
        },
      ],
    });
  }

  return {
    /** Handles one chat entry from the user. */
    handle(text) {
      messages.addText('user', text);
      const command = parseCommand(text);
      switch (command.kind) {
        case 'upscale':
          return upscaleCanvas(command.scale);
        case 'help':
          return messages.addText('bot', helpText);
        case 'invalid':
          return messages.addText('bot', command.message);
        case 'unknown':
          return messages.addText('bot', `I don't know the command ${command.name}. Try /upscale 2, /upscale 4 or /help.`);
        default:
          return messages.addText(
            'bot',
            'I can upscale what you draw or import: try /upscale 2 or /upscale 4. /help lists everything I can do.',
          );
      }
    },
    upscaleCanvas,
  };

  function upscaleCanvas(scale) {
    return upscale(canvas.snapshot(), scale, 'the canvas');
  }
}
