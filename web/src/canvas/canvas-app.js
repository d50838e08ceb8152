// Builds the canvas part of the page from its markup in index.html (the studio section):
// the scene canvas, pointer input, overlays, toolbar, layers panel, file transfer and Styles.
// main.js calls setUpCanvas once, then canvas.setDocument(doc) for the open room.

import './canvas-strings.js'; // before anything asks for the canvas's words
import { attachOverlays } from './overlays.js';
import { attachPointerInput } from './pointer-input.js';
import { setUpFileTransfer } from './file-transfer.js';
import { setUpLayersPanel } from './layers-panel.js';
import { SceneCanvas } from './scene-canvas.js';
import { setUpStylesPanel } from './styles-panel.js';
import { setUpToolbar } from './toolbar.js';

/**
 * @param {object} deps
 * @param {(text: string, options?: {error?: boolean}) => void} deps.notify shows a message (import done, errors)
 * @param {() => void} deps.onUpscale the toolbar's Upscale button
 * @param {() => void} deps.onSketch the toolbar's Sketch → picture button
 * @param {(file: File) => Promise<boolean>} [deps.mayImport] asked before a file is imported
 * @param {import('../workers/worker-client.js').InferenceClient} deps.inference runs the Styles previews and results
 * @returns {SceneCanvas}
 */
export function setUpCanvas({ notify, onUpscale, onSketch, mayImport, inference }) {
  const frame = document.getElementById('canvas-frame');
  const stage = document.getElementById('canvas-stage');
  const canvas = new SceneCanvas({ element: document.getElementById('drawing-canvas'), stage, frame });
  attachPointerInput(canvas, frame);
  attachOverlays(canvas, stage, frame);
  setUpToolbar({ canvas, frame, onUpscale, onSketch });
  setUpLayersPanel(canvas, document.getElementById('layers-panel'));
  setUpFileTransfer({ canvas, dropTarget: frame, notify, mayImport });
  setUpStylesPanel({
    canvas, inference, notify, button: document.getElementById('open-styles'), dialog: document.getElementById('styles-dialog'),
    brushColour: document.getElementById('brush-colour'),
  });
  return canvas;
}
