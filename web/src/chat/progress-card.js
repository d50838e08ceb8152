// A bot message that shows a running job: title, progress bar, detail line, Cancel button.

import { t } from '../i18n/i18n.js';

export class ProgressCard {
  element;
  #bar;
  #fill;
  #detail;
  #cancel;

  /** @param {{title: string, onCancel: () => void}} options */
  constructor({ title, onCancel }) {
    this.element = document.createElement('li');
    this.element.className = 'message message--bot progress-card';
    this.element.setAttribute('aria-busy', 'true');

    const heading = document.createElement('p');
    heading.textContent = title;

    this.#bar = document.createElement('div');
    this.#bar.className = 'progress-bar';
    this.#bar.setAttribute('role', 'progressbar');
    this.#bar.setAttribute('aria-label', title);
    this.#bar.setAttribute('aria-valuemin', '0');
    this.#bar.setAttribute('aria-valuemax', '100');
    this.#fill = document.createElement('div');
    this.#fill.className = 'progress-bar__fill';
    this.#bar.append(this.#fill);

    this.#detail = document.createElement('p');
    this.#detail.className = 'detail';
    this.#detail.setAttribute('aria-live', 'off'); // each tile is not news (see generation-card.js)
    this.#detail.textContent = t('gen.starting');

    this.#cancel = document.createElement('button');
    this.#cancel.type = 'button';
    this.#cancel.className = 'button';
    this.#cancel.textContent = t('gen.cancel');
    this.#cancel.setAttribute('aria-keyshortcuts', 'Escape');
    this.#cancel.addEventListener('click', () => {
      this.#cancel.disabled = true;
      this.#detail.textContent = t('gen.cancelling');
      onCancel();
    });

    this.element.append(heading, this.#bar, this.#detail, this.#cancel);
    this.update({ percent: 0, detail: t('gen.starting') });
  }

  /** Cancels as the Cancel button does (Esc). */
  cancel() {
    if (this.#cancel.isConnected && !this.#cancel.disabled) this.#cancel.click();
  }

  /** @param {{percent: number, detail: string}} progress */
  update({ percent, detail }) {
    if (this.#cancel.disabled) return; // "Cancelling…" stays until the job stops
    const value = Math.round(Math.min(100, Math.max(0, percent)));
    this.#bar.setAttribute('aria-valuenow', String(value));
    this.#bar.setAttribute('aria-valuetext', detail);
    this.#fill.style.setProperty('--progress', String(value));
    this.#detail.textContent = detail;
  }

  /** Ends the card with `text`; `error` styles it as a failure. */
  end(text, { error = false } = {}) {
    this.element.setAttribute('aria-busy', 'false');
    this.element.classList.toggle('message--error', error);
    this.#bar.remove();
    this.#cancel.remove();
    this.#detail.removeAttribute('aria-live'); // the outcome is news
    this.#detail.textContent = text;
    if (error) this.#detail.setAttribute('role', 'alert');
  }
}
