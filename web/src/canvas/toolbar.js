// Wires the drawing toolbar (tools, colour, size, undo/redo, zoom, clear) and the keyboard
// shortcuts to the canvas. Every shortcut is also a button or field, named in its
// aria-keyshortcuts; single keys do nothing while the person types in a text field.

import { onLocaleChange, t } from '../i18n/i18n.js';
import { isTyping } from './pointer-input.js';

const toolKeys = { b: 'brush', e: 'eraser', m: 'select', v: 'move', h: 'hand' };

/**
 * @param {object} deps
 * @param {import('./scene-canvas.js').SceneCanvas} deps.canvas
 * @param {HTMLElement} deps.frame the focusable canvas frame (arrow keys pan it)
 * @param {() => void} deps.onUpscale
 * @param {() => void} deps.onSketch
 */
export function setUpToolbar({ canvas, frame, onUpscale, onSketch }) {
  const byId = (id) => document.getElementById(id);
  const colour = byId('brush-colour');
  const size = byId('brush-size');
  const toolButtons = [...document.querySelectorAll('[data-tool]')];

  const syncBrush = () => {
    canvas.brush.colour = colour.value;
    canvas.brush.size = Number(size.value);
    size.setAttribute('aria-valuetext', t('canvas.sizeValue', { size: size.value }));
  };
  colour.addEventListener('input', syncBrush);
  size.addEventListener('input', syncBrush);
  onLocaleChange(syncBrush);
  syncBrush();
  const changeSize = (by) => {
    size.value = String(Number(size.value) + by);
    syncBrush();
  };

  const syncTool = () => {
    for (const button of toolButtons) button.setAttribute('aria-pressed', String(button.dataset.tool === canvas.tool));
    frame.dataset.tool = canvas.tool;
  };
  for (const button of toolButtons) button.addEventListener('click', () => { canvas.tool = button.dataset.tool; });
  canvas.addEventListener('tool', syncTool);
  syncTool();

  const undo = byId('undo');
  const redo = byId('redo');
  const syncHistory = () => {
    undo.disabled = !canvas.canUndo;
    redo.disabled = !canvas.canRedo;
  };
  canvas.addEventListener('history', syncHistory);
  syncHistory();
  undo.addEventListener('click', () => canvas.undo());
  redo.addEventListener('click', () => canvas.redo());

  const zoomLevel = byId('zoom-level');
  const syncZoom = () => { zoomLevel.textContent = `${Math.round(canvas.view.zoom * 100)}%`; };
  canvas.view.addEventListener('change', syncZoom);
  syncZoom();
  byId('zoom-in').addEventListener('click', () => canvas.view.zoomIn());
  byId('zoom-out').addEventListener('click', () => canvas.view.zoomOut());
  byId('zoom-fit').addEventListener('click', () => canvas.view.fit());

  byId('clear').addEventListener('click', () => canvas.clear());
  byId('upscale-canvas').addEventListener('click', onUpscale);
  byId('sketch-canvas').addEventListener('click', onSketch);

  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || isTyping(e.target)) return;
    const key = e.key.toLowerCase();
    const command = e.ctrlKey || e.metaKey;
    let handled = true;
    if (command && key === 'z') (e.shiftKey ? canvas.redo() : canvas.undo());
    else if (command && key === 'y') canvas.redo();
    else if (command || e.altKey) handled = false;
    else if (toolKeys[key]) canvas.tool = toolKeys[key];
    else if (key === '+' || key === '=') canvas.view.zoomIn();
    else if (key === '-') canvas.view.zoomOut();
    else if (key === '0') canvas.view.fit();
    else if (key === '[') changeSize(-Math.max(1, Math.round(size.value / 8)));
    else if (key === ']') changeSize(Math.max(1, Math.round(size.value / 8)));
    else if (key === 'escape') { canvas.setSelection(null); canvas.selectImage(null); }
    else if ((key === 'delete' || key === 'backspace') && canvas.selectedImage) canvas.removeSelectedImage();
    else if (key.startsWith('arrow') && e.target === frame) arrow(key, e.shiftKey);
    else handled = false;
    if (handled) e.preventDefault();
  });

  // Arrow keys nudge the selected image (Move tool) by 1 pixel (10 with Shift), else pan.
  function arrow(key, big) {
    const [dx, dy] = { arrowleft: [-1, 0], arrowright: [1, 0], arrowup: [0, -1], arrowdown: [0, 1] }[key];
    const selected = canvas.tool === 'move' && canvas.selectedImage;
    if (selected) {
      const step = big ? 10 : 1;
      canvas.placeSelectedImage({ x: selected.item.x + dx * step, y: selected.item.y + dy * step });
    } else {
      const step = big ? 200 : 40;
      canvas.view.panBy(-dx * step, -dy * step);
    }
  }
}
