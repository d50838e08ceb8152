// The Restyle menu of a chat image: a modal list of the classic styles (the core's style
// operations, as in the canvas's Styles dialog), one button each with its description.
// Resolves with the chosen operation's name, or null on Cancel / Esc.

import { t } from '../i18n/i18n.js';

/** @param {{name: string, summary: string}[]} ops */
export function pickStyle(ops) {
  const heading = Object.assign(document.createElement('h2'), { textContent: t('restyle.title'), id: `restyle-${Date.now()}` });
  const list = Object.assign(document.createElement('div'), { className: 'style-picker' });
  const dialog = Object.assign(document.createElement('dialog'), { className: 'link-dialog' });
  dialog.setAttribute('aria-labelledby', heading.id);
  let chosen = null;
  for (const op of ops) {
    const key = `canvas.styleSummary.${op.name}`;
    const summary = t(key) === key ? op.summary : t(key); // the core's English text when untranslated
    const button = Object.assign(document.createElement('button'), { type: 'button', className: 'button', textContent: op.name });
    button.setAttribute('aria-description', summary);
    button.title = summary;
    button.addEventListener('click', () => { chosen = op.name; dialog.close(); });
    list.append(button);
  }
  const cancel = Object.assign(document.createElement('button'), { type: 'button', className: 'button', textContent: t('restyle.cancel') });
  cancel.addEventListener('click', () => dialog.close());
  const actions = Object.assign(document.createElement('div'), { className: 'link-dialog-actions' });
  actions.append(cancel);
  dialog.append(heading, list, actions);
  document.body.append(dialog);
  dialog.showModal();
  list.querySelector('button')?.focus();
  return new Promise((resolve) => dialog.addEventListener('close', () => {
    dialog.remove();
    resolve(chosen);
  }));
}
