// "/model": a modal asking where a diffusers-layout model is (docs/pipelines.md,
// "Diffusers-layout models"): a folder picked on this device (text_encoder/, unet/,
// vae_decoder/, tokenizer/ and scheduler/ inside), or a folder URL on this site (the page's
// Content-Security-Policy allows no other origin). Resolves with {files} or {baseUrl}, or
// null on Cancel / Esc.

import { t } from '../i18n/i18n.js';

export function pickModelSource() {
  const heading = Object.assign(document.createElement('h2'), { textContent: t('model.title'), id: `model-${Date.now()}` });
  const note = Object.assign(document.createElement('p'), { className: 'link-dialog-note', textContent: t('model.note') });
  const folder = Object.assign(document.createElement('input'), { type: 'file', webkitdirectory: true, multiple: true });
  const folderLabel = Object.assign(document.createElement('label'), { textContent: t('model.folder') });
  folderLabel.append(folder);
  const url = Object.assign(document.createElement('input'), { type: 'url', placeholder: '/models/my-sd-turbo/' });
  const urlLabel = Object.assign(document.createElement('label'), { textContent: t('model.url') });
  urlLabel.append(url);
  const load = Object.assign(document.createElement('button'), { type: 'button', className: 'button button--primary', textContent: t('model.load') });
  const cancel = Object.assign(document.createElement('button'), { type: 'button', className: 'button', textContent: t('model.cancel') });
  const actions = Object.assign(document.createElement('div'), { className: 'link-dialog-actions' });
  actions.append(cancel, load);
  const dialog = Object.assign(document.createElement('dialog'), { className: 'link-dialog' });
  dialog.setAttribute('aria-labelledby', heading.id);
  dialog.append(heading, note, folderLabel, urlLabel, actions);

  let chosen = null;
  // A picked folder loads at once; a URL when the person presses Load (or Enter).
  folder.addEventListener('change', () => {
    if (folder.files.length) { chosen = { files: folder.files }; dialog.close(); }
  });
  const loadUrl = () => {
    const value = url.value.trim();
    if (!value) { url.focus(); return; }
    chosen = { baseUrl: new URL(value.endsWith('/') ? value : `${value}/`, location.href).href };
    dialog.close();
  };
  load.addEventListener('click', loadUrl);
  url.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); loadUrl(); } });
  cancel.addEventListener('click', () => dialog.close());
  document.body.append(dialog);
  dialog.showModal();
  folder.focus();
  return new Promise((resolve) => dialog.addEventListener('close', () => {
    dialog.remove();
    resolve(chosen);
  }));
}
