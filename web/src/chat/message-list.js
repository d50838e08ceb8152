// Renders chat messages: text, notices, images with actions, and progress cards.

import { ProgressCard } from './progress-card.js';

export class MessageList {
  #list;
  #nextId = 1;

  constructor(list) {
    this.#list = list;
  }

  /** A text message from 'user' or 'bot'. */
  addText(author, text) {
    const item = this.#item(`message message--${author}`);
    const p = document.createElement('p');
    p.textContent = text;
    item.append(p);
    return this.#append(item);
  }

  /** A system notice (centered, muted); `error` makes it an alert. */
  addNotice(text, { error = false } = {}) {
    const item = this.#item(`message message--notice${error ? ' message--error' : ''}`);
    if (error) item.setAttribute('role', 'alert');
    const p = document.createElement('p');
    p.textContent = text;
    item.append(p);
    return this.#append(item);
  }

  /**
   * An image message.
   * @param {{blob: Blob, alt: string, caption: string, fileName: string,
   *   actions: {label: string, onClick: () => void}[]}} image
   */
  addImage({ blob, alt, caption, fileName, actions }) {
    const item = this.#item('message message--bot');
    const figure = document.createElement('figure');
    figure.className = 'image-message';
    const url = URL.createObjectURL(blob);
    const img = document.createElement('img');
    img.src = url;
    img.alt = alt;
    const figcaption = document.createElement('figcaption');
    figcaption.textContent = caption;

    const bar = document.createElement('div');
    bar.className = 'actions';
    for (const { label, onClick } of actions) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button';
      button.textContent = label;
      button.addEventListener('click', onClick);
      bar.append(button);
    }
    const download = document.createElement('a');
    download.className = 'button';
    download.href = url;
    download.download = fileName;
    download.textContent = 'Download';
    bar.append(download);

    figure.append(img, figcaption, bar);
    item.append(figure);
    return this.#append(item);
  }

  /** A progress card for a running job. */
  addProgressCard({ title, onCancel }) {
    const card = new ProgressCard({ title, onCancel });
    card.element.dataset.id = this.#newId();
    this.#append(card.element);
    return card;
  }

  #item(className) {
    const item = document.createElement('li');
    item.className = className;
    item.dataset.id = this.#newId();
    return item;
  }

  #newId() {
    return `msg:${this.#nextId++}`;
  }

  #append(item) {
    this.#list.append(item);
    item.scrollIntoView({ block: 'end', behavior: 'smooth' });
    return item;
  }
}
