// A modal yes/no question (a <dialog>, so it also works inside an embedding page's sandboxed
// iframe, where window.confirm() may be blocked). Styled like the link dialog. Esc = no.

/** Resolves true when the person picks `yes`, false on `no`, Esc or closing. */
export function askConfirm({ title, message, yes, no }) {
  const heading = Object.assign(document.createElement('h2'), { textContent: title, id: `confirm-${Date.now()}` });
  const text = Object.assign(document.createElement('p'), { textContent: message, className: 'link-dialog-note' });
  const yesButton = Object.assign(document.createElement('button'), { type: 'button', className: 'button', textContent: yes });
  const noButton = Object.assign(document.createElement('button'), { type: 'button', className: 'button button--primary', textContent: no });
  const actions = Object.assign(document.createElement('div'), { className: 'link-dialog-actions' });
  actions.append(noButton, yesButton);
  const dialog = Object.assign(document.createElement('dialog'), { className: 'link-dialog' });
  dialog.setAttribute('aria-labelledby', heading.id);
  dialog.setAttribute('role', 'alertdialog');
  dialog.append(heading, text, actions);
  let answer = false;
  yesButton.addEventListener('click', () => { answer = true; dialog.close(); });
  noButton.addEventListener('click', () => dialog.close());
  document.body.append(dialog);
  dialog.showModal();
  noButton.focus(); // the safe choice is the default
  return new Promise((resolve) => dialog.addEventListener('close', () => {
    dialog.remove();
    resolve(answer);
  }));
}
