// A small modal dialog that hands the person a link: the link in a read-only field
// (selected, so Ctrl+C works at once), a Copy button, and a note (e.g. how the link was made
// to fit). Used for share links and room invitations.

import { t } from '../i18n/i18n.js';

function element(tag, props = {}, children = []) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

/** Shows the dialog; resolves when it closes. */
export function showLinkDialog({ title, link, linkLabel, note = '' }) {
  const field = element('input', { type: 'text', readOnly: true, value: link, className: 'link-dialog-field' });
  field.setAttribute('aria-label', linkLabel);
  const status = element('p', { className: 'link-dialog-note', textContent: note });
  status.setAttribute('role', 'status');
  const copy = element('button', { type: 'button', className: 'button button--primary', textContent: t('share.copy') });
  const close = element('button', { type: 'button', className: 'button', textContent: t('share.close') });
  const heading = element('h2', { textContent: title, id: `link-dialog-${Date.now()}` });
  const dialog = element('dialog', { className: 'link-dialog' }, [
    heading, field, status, element('div', { className: 'link-dialog-actions' }, [copy, close]),
  ]);
  dialog.setAttribute('aria-labelledby', heading.id);

  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(link);
      status.textContent = t('share.copied');
    } catch {
      field.select(); // clipboard refused (permissions): the selected text can still be copied
      status.textContent = t('share.copyByHand');
    }
  });
  close.addEventListener('click', () => dialog.close());
  document.body.append(dialog);
  dialog.showModal();
  field.select();
  return new Promise((resolve) => dialog.addEventListener('close', () => {
    dialog.remove();
    resolve();
  }));
}
