// Renders the room's chat from its document: one list item per message, kept in step with
// the Y.Array (local changes, other tabs and peers alike). Things that are not part of the
// room (error alerts, an upscale's progress) are "local" items appended after it.

import { t } from '../i18n/i18n.js';
import { roomParts } from '../room/room-doc.js';
import { button, downloadLink, fileExtension, paragraph } from './buttons.js';
import { GenerationCard } from './generation-card.js';
import { imageActions } from './image-actions.js';
import { ProgressCard } from './progress-card.js';

const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);

// The top-level message a deep change happened in (Yjs reports the innermost type).
function changedMessage(event, messages) {
  let type = event.target;
  while (type && type._item?.parent !== messages) type = type._item?.parent;
  return type?.get?.('id');
}

/** What an image message shows, for assistive technology: from its recipe. */
function imageAlt(recipe, width, height) {
  if (recipe.op === 'upscale') {
    const what = recipe.source === 'canvas' || recipe.source === 'selection' ? `upscale.${recipe.source}` : 'upscale.image';
    return t('upscale.alt', { What: capitalise(t(what)), scale: recipe.scale, width, height });
  }
  if (recipe.op === 'sketch') return t('sketch.alt', { style: recipe.style ?? 'any', width, height });
  if (recipe.op === 'restyle') return t('restyle.alt', { style: recipe.style, width, height });
  return `${width}×${height}`;
}

export class ChatView {
  #list;
  #doc;
  #me;
  #botId;
  #assets;
  #actions;
  #live; // message id -> live job (bot.js), for running generations in this browser
  #rendered = new Map(); // message id -> {element, card?}

  /**
   * @param {HTMLOListElement} list
   * @param {{doc: import('yjs').Doc, me: {id: string}, botId: string,
   *   assets: import('./asset-urls.js').AssetUrls, actions: object, live: Map<string, object>}} deps
   */
  constructor(list, { doc, me, botId, assets, actions, live }) {
    this.#list = list;
    this.#doc = doc;
    this.#me = me;
    this.#botId = botId;
    this.#assets = assets;
    this.#actions = actions;
    this.#live = live;
    const { messages, assets: assetMap } = roomParts(doc);
    messages.observeDeep((events) => {
      const changed = new Set(events.map((e) => changedMessage(e, messages)).filter(Boolean));
      this.#sync(changed);
    });
    // An asset may arrive (from a peer) after the message that shows it.
    assetMap.observe((event) => {
      const added = new Set(event.keysChanged);
      const waiting = messages.toArray().filter((m) => added.has(m.get('assetId')) || m.get('assetIds')?.toArray().some((a) => added.has(a)));
      this.#sync(new Set(waiting.map((m) => m.get('id'))));
    });
    this.#sync(new Set());
  }

  /** Re-renders every message (after a language switch). */
  rerender() {
    this.#sync(new Set(this.#rendered.keys()));
  }

  /** Re-renders one message (its live job started or ended). */
  refresh(messageId) {
    this.#sync(new Set([messageId]));
  }

  /** Re-renders one generation card's live part (progress, previews). */
  updateLive(messageId) {
    const job = this.#live.get(messageId);
    if (job) this.#rendered.get(messageId)?.card?.updateLive(job);
  }

  /** A local alert or notice, not kept in the room (errors about a moment, not the room). */
  addLocalNotice(text, { error = false } = {}) {
    const item = document.createElement('li');
    item.className = `message message--notice${error ? ' message--error' : ''}`;
    if (error) item.setAttribute('role', 'alert');
    item.append(paragraph(text));
    return this.#appendLocal(item);
  }

  /** A local progress card for a running job (upscale). */
  addProgressCard({ title, onCancel }) {
    const card = new ProgressCard({ title, onCancel });
    this.#appendLocal(card.element);
    return card;
  }

  #appendLocal(item) {
    item.dataset.local = 'true';
    this.#list.append(item);
    item.scrollIntoView({ block: 'end' });
    return item;
  }

  #sync(changed) {
    const messages = roomParts(this.#doc).messages.toArray();
    const ids = new Set();
    let previous = null;
    let added = false;
    for (const message of messages) {
      const id = message.get('id');
      if (typeof id !== 'string' || ids.has(id)) continue; // a peer's malformed entry
      ids.add(id);
      let entry = this.#rendered.get(id);
      if (!entry) {
        entry = this.#create(message);
        this.#rendered.set(id, entry);
        // After the message before it; a new last message goes at the very end.
        if (previous) previous.element.after(entry.element);
        else this.#list.prepend(entry.element);
        if (message === messages.at(-1)) this.#list.append(entry.element);
        added = true;
      } else if (changed.has(id)) {
        this.#fill(entry, message);
      }
      previous = entry;
    }
    for (const [id, entry] of this.#rendered) {
      if (!ids.has(id)) {
        entry.element.remove();
        this.#rendered.delete(id);
      }
    }
    if (added) this.#list.lastElementChild?.scrollIntoView({ block: 'end' });
  }

  #create(message) {
    const id = message.get('id');
    const entry = message.get('kind') === 'generation'
      ? { card: new GenerationCard(id, this.#assets, this.#actions) }
      : { element: document.createElement('li') };
    entry.element ??= entry.card.element;
    entry.element.dataset.messageId = id;
    this.#fill(entry, message);
    return entry;
  }

  #fill(entry, message) {
    const kind = message.get('kind');
    const { element } = entry;
    if (kind === 'generation') {
      const fields = {
        recipe: message.get('recipe') ?? {},
        state: message.get('state'),
        text: message.get('text'),
        assetIds: message.get('assetIds')?.toArray?.() ?? [],
      };
      entry.card.render(fields, this.#live.get(message.get('id')));
      return;
    }
    element.replaceChildren();
    if (kind === 'system') {
      element.className = 'message message--notice';
      element.append(paragraph(String(message.get('text') ?? '')));
    } else if (kind === 'image') {
      element.className = 'message message--bot';
      element.append(this.#imageFigure(message.get('assetId')));
    } else {
      const author = message.get('author') ?? {};
      const who = author.id === this.#botId ? 'bot' : author.id === this.#me.id ? 'user' : 'peer';
      element.className = `message message--${who}`;
      if (who === 'peer') element.append(paragraph(String(author.name ?? '?'), 'message__author'));
      element.append(paragraph(String(message.get('text') ?? '')));
    }
  }

  #imageFigure(assetId) {
    const figure = document.createElement('figure');
    figure.className = 'image-message';
    const asset = this.#assets.get(assetId);
    if (!asset) {
      figure.append(paragraph(t('image.missing'), 'detail'));
      return figure;
    }
    const { url, width, height, mime, recipe = {} } = asset;
    const img = document.createElement('img');
    img.src = url;
    img.alt = imageAlt(recipe, width, height);
    const bytes = roomParts(this.#doc).assets.get(assetId).byteLength;
    const caption = document.createElement('figcaption');
    caption.textContent = `${width}×${height} · ${fileExtension(mime).toUpperCase()} ${Math.ceil(bytes / 1024)} KB`;
    const actions = document.createElement('div');
    actions.className = 'actions';
    actions.append(
      button(t('gen.upscale2'), () => this.#actions.upscale(assetId)),
      button(t('gen.useAsCanvas'), () => this.#actions.useAsCanvas(assetId)),
      ...imageActions().map((action) => button(action.label(), () => action.run(assetId, recipe))),
      downloadLink(t('gen.download2'), url, `huabu-${width}x${height}.${fileExtension(mime)}`),
    );
    figure.append(img, caption, actions);
    return figure;
  }
}
