// Wires the drawing toolbar's controls to the canvas and to the app's actions.

/**
 * @param {object} deps
 * @param {import('./drawing-canvas.js').DrawingCanvas} deps.canvas
 * @param {(file: File) => void} deps.onImportFile
 * @param {() => void} deps.onUpscale
 */
export function setUpToolbar({ canvas, onImportFile, onUpscale }) {
  const colour = document.getElementById('brush-colour');
  const size = document.getElementById('brush-size');
  const undo = document.getElementById('undo');
  const fileInput = document.getElementById('import-image');

  const syncBrush = () => {
    canvas.brush.colour = colour.value;
    canvas.brush.size = Number(size.value);
    size.setAttribute('aria-valuetext', `${size.value} pixels`);
  };
  colour.addEventListener('input', syncBrush);
  size.addEventListener('input', syncBrush);
  syncBrush();

  const syncUndo = () => { undo.disabled = !canvas.canUndo; };
  canvas.addEventListener('change', syncUndo);
  syncUndo();

  undo.addEventListener('click', () => canvas.undo());
  document.getElementById('clear').addEventListener('click', () => canvas.clear());
  document.getElementById('upscale-canvas').addEventListener('click', onUpscale);

  fileInput.addEventListener('change', () => {
    const [file] = fileInput.files;
    fileInput.value = ''; // choosing the same file again should import it again
    if (file) onImportFile(file);
  });

  // Ctrl/Cmd+Z undoes, except while typing (text fields have their own undo).
  document.addEventListener('keydown', (e) => {
    if (e.key.toLowerCase() !== 'z' || !(e.ctrlKey || e.metaKey) || e.shiftKey) return;
    if (e.target.closest('textarea, input:not([type=range]):not([type=color]):not([type=file])')) return;
    e.preventDefault();
    canvas.undo();
  });
}
