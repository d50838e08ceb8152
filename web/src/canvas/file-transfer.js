// Images in and out of the canvas: the Import image picker, dropping files on the canvas,
// pasting an image, and saving the picture as PNG or WebP (encoded by the browser's canvas
// encoder). Messages go to the caller (the chat shows them).

import { t } from '../i18n/i18n.js';
import { isTyping } from './pointer-input.js';

/**
 * @param {object} deps
 * @param {import('./scene-canvas.js').SceneCanvas} deps.canvas
 * @param {HTMLElement} deps.dropTarget where files may be dropped
 * @param {(text: string, options?: {error?: boolean}) => void} deps.notify
 * @param {(file: File) => Promise<boolean>} [deps.mayImport] asked before an import (the
 *   safety check of a shared room); false leaves the canvas as it is
 */
export function setUpFileTransfer({ canvas, dropTarget, notify, mayImport = async () => true }) {
  async function importFile(file) {
    try {
      if (!(await mayImport(file))) return;
      const { width, height, as } = await canvas.importFile(file);
      notify(t(as === 'canvas' ? 'canvas.imported' : 'canvas.importedOnLayer', { file: file.name, width, height }));
    } catch (err) {
      notify(err.message, { error: true });
    }
  }

  const input = document.getElementById('import-image');
  input.addEventListener('change', () => {
    const [file] = input.files;
    input.value = ''; // choosing the same file again should import it again
    if (file) importFile(file);
  });

  dropTarget.addEventListener('dragover', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    dropTarget.classList.add('drop-target--over');
  });
  dropTarget.addEventListener('dragleave', () => dropTarget.classList.remove('drop-target--over'));
  dropTarget.addEventListener('drop', (e) => {
    dropTarget.classList.remove('drop-target--over');
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    e.preventDefault();
    for (const file of files) importFile(file);
  });

  // A file dropped where nothing takes it would make the browser leave the app to show it.
  document.addEventListener('dragover', (e) => {
    if (!e.defaultPrevented && e.dataTransfer?.types.includes('Files')) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'none';
    }
  });
  document.addEventListener('drop', (e) => { if (e.dataTransfer?.types.includes('Files')) e.preventDefault(); });

  // Pasting an image anywhere except a text field puts it on the canvas.
  document.addEventListener('paste', (e) => {
    if (isTyping(e.target)) return;
    const files = [...(e.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/'));
    if (files.length === 0) return;
    e.preventDefault();
    for (const file of files) importFile(file);
  });

  for (const [id, type, extension] of [['export-png', 'image/png', 'png'], ['export-webp', 'image/webp', 'webp']]) {
    document.getElementById(id).addEventListener('click', async () => {
      try {
        const blob = await canvas.exportBlob(type, 0.95);
        download(blob, `huabu-${canvas.width}x${canvas.height}.${extension}`);
      } catch (err) {
        notify(t('canvas.saveFailed', { message: err.message }), { error: true });
      }
    });
  }

  return { importFile };
}

function download(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
