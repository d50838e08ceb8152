// The Restyle menu of a chat image: a modal list of the classic styles (the core's style
// operations, as in the canvas's Styles dialog) and of the emoji sets huabu-style redraws a
// picture in, one button each with its description. Resolves with {op} (a classic style),
// {set} (an emoji set) or null on Cancel / Esc.

import { t } from '../i18n/i18n.js';

/**
 * @param {{name: string, summary: string}[]} ops
 * @param {string[]} sets huabu-style's target styles
 */
export function pickStyle(ops, sets = []) {
  const heading = Object.assign(document.createElement('h2'), { textContent: t('restyle.title'), id: `restyle-${Date.now()}` });
  const dialog = Object.assign(document.createElement('dialog'), { className: 'link-dialog' });
  dialog.setAttribute('aria-labelledby', heading.id);
  let chosen = null;
  const group = (label, items) => {
    const list = Object.assign(document.createElement('div'), { className: 'style-picker', role: 'group' });
    list.setAttribute('aria-label', label);
    for (const { text, summary, choice } of items) {
      const button = Object.assign(document.createElement('button'), { type: 'button', className: 'button', textContent: text });
      button.setAttribute('aria-description', summary);
      button.title = summary;
      button.addEventListener('click', () => { chosen = choice; dialog.close(); });
      list.append(button);
    }
    return [Object.assign(document.createElement('h3'), { textContent: label }), list];
  };
  const classic = ops.map((op) => {
    const key = `canvas.styleSummary.${op.name}`;
    return { text: op.name, summary: t(key) === key ? op.summary : t(key), choice: { op: op.name } }; // the core's English text when untranslated
  });
  const emoji = sets.map((set) => ({ text: t(`restyle.set.${set}`), summary: t('restyle.setSummary', { set: t(`restyle.set.${set}`) }), choice: { set } }));
  const cancel = Object.assign(document.createElement('button'), { type: 'button', className: 'button', textContent: t('restyle.cancel') });
  cancel.addEventListener('click', () => dialog.close());
  const actions = Object.assign(document.createElement('div'), { className: 'link-dialog-actions' });
  actions.append(cancel);
  dialog.append(heading, ...group(t('restyle.classic'), classic), ...(emoji.length ? group(t('restyle.sets'), emoji) : []), actions);
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector('.style-picker button')?.focus();
  return new Promise((resolve) => dialog.addEventListener('close', () => {
    dialog.remove();
    resolve(chosen);
  }));
}
