// Entry point: builds the chat, the canvas and the inference client, and connects them.

import { showBackend, showBackendError } from './backend-status.js';
import { decodeImageFile } from './canvas/image-file.js';
import { DrawingCanvas } from './canvas/drawing-canvas.js';
import { fitCanvasToFrame } from './canvas/fit-to-frame.js';
import { setUpToolbar } from './canvas/toolbar.js';
import { createBot } from './chat/bot.js';
import { setUpComposer } from './chat/composer.js';
import { MessageList } from './chat/message-list.js';
import { InferenceClient } from './workers/worker-client.js';

const messages = new MessageList(document.getElementById('message-list'));
const canvasElement = document.getElementById('drawing-canvas');
const canvas = new DrawingCanvas(canvasElement);
canvas.addEventListener('resize', fitCanvasToFrame(canvasElement, canvasElement.parentElement));
const inference = new InferenceClient();
const bot = createBot({ messages, canvas, inference, onBackend: showBackend });

async function importFile(file) {
  try {
    const image = await decodeImageFile(file);
    canvas.replaceWith(image);
    messages.addNotice(`Imported “${file.name}” (${image.width}×${image.height}) onto the canvas.`);
  } catch (err) {
    messages.addNotice(err.message, { error: true });
  }
}

setUpToolbar({ canvas, onImportFile: importFile, onUpscale: () => bot.upscaleCanvas(2) });
setUpComposer((text) => bot.handle(text));

messages.addText('bot', 'Hi! Draw on the canvas or import an image, then type /upscale 2. /help lists the commands.');
inference.capabilities().then(showBackend, (err) => showBackendError(err.message));
