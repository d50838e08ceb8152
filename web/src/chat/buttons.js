// Small DOM helpers shared by the chat's message renderers.

export function button(label, onClick, { primary = false, ariaLabel } = {}) {
  const el = document.createElement('button');
  el.type = 'button';
  el.className = primary ? 'button button--primary' : 'button';
  el.textContent = label;
  if (ariaLabel) el.setAttribute('aria-label', ariaLabel);
  el.addEventListener('click', onClick);
  return el;
}

export function downloadLink(label, url, fileName, ariaLabel) {
  const el = document.createElement('a');
  el.className = 'button';
  el.href = url;
  el.download = fileName;
  el.textContent = label;
  if (ariaLabel) el.setAttribute('aria-label', ariaLabel);
  return el;
}

export function paragraph(text, className) {
  const p = document.createElement('p');
  p.textContent = text;
  if (className) p.className = className;
  return p;
}

export const fileExtension = (mime) => ({ 'image/webp': 'webp', 'image/png': 'png', 'image/jpeg': 'jpg' })[mime] ?? 'img';
