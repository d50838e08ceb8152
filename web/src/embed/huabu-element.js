// <huabu-chat>: Huabu as a custom element for web IM pages, on top of connectHuabu. It makes
// the iframe, opens the room, sets the person's name once Huabu is ready, and re-dispatches
// Huabu's events as DOM events ("huabu-ready", "huabu-image-created", "huabu-shared",
// "huabu-error"; the payload in `detail`).
//
//   <huabu-chat origin="https://huabu.example.com" room="<32 hex>" user-name="Ana"></huabu-chat>
//   el.addEventListener('huabu-image-created', (e) => console.log(e.detail.recipe));
//   await el.ready;  await el.send('sketch', { style: 'twemoji' });
//
// `origin` and `room` are read when the element is connected; change them by making a new
// element. The element is a block filling its box (give it a height).

import { eventTypes } from './embed-protocol.js';
import { connectHuabu } from './embed-connection.js';

const roomPattern = /^[A-Za-z0-9_-]{16,64}$/;

export class HuabuChatElement extends HTMLElement {
  #connection = null;
  #iframe = null;
  #readyResolve;
  /** Resolves with the ready payload ({version}) once Huabu answers. */
  ready = new Promise((resolve) => { this.#readyResolve = resolve; });

  connectedCallback() {
    if (this.#connection) return;
    const origin = this.getAttribute('origin');
    const room = this.getAttribute('room');
    if (room !== null && !roomPattern.test(room)) throw new RangeError(`<huabu-chat> room must be 16-64 of A-Z a-z 0-9 _ -, got "${room}"`);
    const shadow = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = ':host { display: block; } iframe { width: 100%; height: 100%; border: 0; }';
    this.#iframe = document.createElement('iframe');
    this.#iframe.title = this.getAttribute('title') ?? 'Huabu';
    this.#iframe.allow = 'clipboard-write';
    shadow.append(style, this.#iframe);
    this.#connection = connectHuabu(this.#iframe, { origin }); // throws on a non-exact origin
    for (const type of eventTypes) {
      this.#connection.on(type, (detail) => this.dispatchEvent(new CustomEvent(`huabu-${type}`, { detail })));
    }
    this.#connection.ready.then(async (payload) => {
      const name = this.getAttribute('user-name');
      if (name) await this.#connection.send('set-user', { name: name.slice(0, 60) }).catch(() => {});
      this.#readyResolve(payload);
    });
    this.#iframe.src = room ? `${origin}/#room=${room}` : `${origin}/`;
  }

  disconnectedCallback() {
    this.#connection?.close();
  }

  /** A command of the embed API (docs/embedding.md); resolves with Huabu's {value?}. */
  send(type, payload) {
    if (!this.#connection) return Promise.reject(new Error('<huabu-chat> is not in the document yet'));
    return this.#connection.send(type, payload);
  }
}

/** Registers the element (once; a second call with the same name does nothing). */
export function defineHuabuElement(name = 'huabu-chat') {
  if (!customElements.get(name)) customElements.define(name, class extends HuabuChatElement {});
  return customElements.get(name);
}
