// A generation message: prompt and recipe, then live progress with previews and Cancel
// while it runs (local state, not in the document), then the images with their actions.
// The structure is rebuilt only when the document changes; progress updates touch the bar
// and the previews alone, so focus (say, on Cancel) survives them.

import { t } from '../i18n/i18n.js';
import { button, downloadLink, fileExtension, paragraph } from './buttons.js';
import { imageActions } from './image-actions.js';

const megabytes = (bytes) => (bytes / 1e6).toFixed(1);

/** The progress line and bar value for one onProgress report. Pure. */
export function describeGenerationProgress(p) {
  const fraction = p.total ? Math.min(1, p.done / p.total) : 0;
  switch (p.phase) {
    case 'download':
      return { percent: 100 * fraction, detail: t('gen.download', { loaded: megabytes(p.done), total: megabytes(p.total) }) };
    case 'encode':
      return { percent: 100 * fraction, detail: t('gen.encode') };
    case 'step':
      return { percent: 100 * fraction, detail: t('gen.step', { done: p.done, total: p.total }) };
    case 'upscale':
      return { percent: 100 * fraction, detail: t('gen.upscale', { done: p.done, total: p.total }) };
    default:
      return { percent: 0, detail: t('gen.starting') };
  }
}

export class GenerationCard {
  element = document.createElement('li');
  #id;
  #assets;
  #actions;
  #live = null; // {bar, fill, detail, cancel, previews} while the card shows a running job

  /**
   * @param {string} id message id
   * @param {import('./asset-urls.js').AssetUrls} assets
   * @param {object} actions reroll(id), variations(recipe), remix(recipe), upscale(assetId),
   *   useAsCanvas(assetId), cancel(id)
   */
  constructor(id, assets, actions) {
    this.#id = id;
    this.#assets = assets;
    this.#actions = actions;
    this.element.className = 'message message--bot generation-card';
    this.element.dataset.messageId = id;
  }

  /** Rebuilds from the message's fields; `liveJob` is this browser's running job, if any. */
  render({ recipe = {}, state, text, assetIds = [] }, liveJob) {
    const el = this.element;
    el.replaceChildren();
    this.#live = null;
    el.setAttribute('aria-busy', String(state === 'running'));
    el.classList.toggle('message--error', state === 'failed');

    el.append(paragraph(t('gen.title', { prompt: recipe.prompt ?? '' }), 'generation-card__title'));
    const recipeKey = recipe.seed !== undefined ? 'gen.recipe' : 'gen.recipeNoSeed';
    const model = [recipe.model ?? 'huabu-tiny', recipe.modelVersion].filter(Boolean).join(' ');
    el.append(paragraph(t(recipeKey, { ...recipe, model }), 'generation-card__recipe'));

    if (state === 'running') {
      if (liveJob) this.#renderRunning(liveJob);
      else el.append(paragraph(t('gen.runningElsewhere'), 'detail'));
    }
    if (assetIds.length) el.append(this.#renderImages(recipe, assetIds));
    if (state === 'failed' || state === 'cancelled') {
      const why = paragraph(text ?? t(state === 'failed' ? 'gen.failed' : 'gen.cancelled', { message: '' }), 'detail');
      if (state === 'failed') why.setAttribute('role', 'alert');
      el.append(why);
    }
    if (state !== 'running') {
      const bar = document.createElement('div');
      bar.className = 'actions';
      bar.append(button(t('gen.reroll'), () => this.#actions.reroll(this.#id)));
      el.append(bar);
    }
  }

  #renderRunning(liveJob) {
    const bar = document.createElement('div');
    bar.className = 'progress-bar';
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-label', t('gen.title', { prompt: '' }).replace(/[“”"]/g, '').trim());
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', '100');
    const fill = document.createElement('div');
    fill.className = 'progress-bar__fill';
    bar.append(fill);
    const detail = paragraph(t('gen.starting'), 'detail');
    const previews = document.createElement('div');
    previews.className = 'generation-card__previews';
    // Inside the chat's live log, but every step is not news: screen readers get the bar's
    // value on request and the finished card when it comes.
    detail.setAttribute('aria-live', 'off');
    previews.setAttribute('aria-live', 'off');
    const cancel = button(t('gen.cancel'), () => {
      cancel.disabled = true;
      detail.textContent = t('gen.cancelling');
      this.#actions.cancel(this.#id);
    });
    cancel.setAttribute('aria-keyshortcuts', 'Escape');
    this.element.append(bar, detail, previews, cancel);
    this.#live = { bar, fill, detail, cancel, previews, previewUrls: [] };
    this.updateLive(liveJob);
  }

  /** Shows the latest progress and previews of the running job. */
  updateLive({ progress, previewUrls = [] }) {
    const live = this.#live;
    if (!live) return;
    if (progress && !live.cancel.disabled) {
      const { percent, detail } = describeGenerationProgress(progress);
      const value = Math.round(Math.min(100, Math.max(0, percent)));
      live.bar.setAttribute('aria-valuenow', String(value));
      live.bar.setAttribute('aria-valuetext', detail);
      live.fill.style.setProperty('--progress', String(value));
      live.detail.textContent = detail;
    }
    if (previewUrls !== live.previewUrls) {
      live.previewUrls = previewUrls;
      live.previews.replaceChildren(...previewUrls.map((url, i) => {
        const img = document.createElement('img');
        img.src = url;
        img.alt = t('gen.preview', { n: i + 1 });
        return img;
      }));
    }
  }

  #renderImages(recipe, assetIds) {
    const grid = document.createElement('div');
    grid.className = 'generation-card__images';
    assetIds.forEach((assetId, i) => {
      const figure = document.createElement('figure');
      figure.className = 'image-message';
      const asset = this.#assets.get(assetId);
      if (!asset) {
        figure.append(paragraph(t('image.missing'), 'detail'));
        grid.append(figure);
        return;
      }
      const imageRecipe = asset.recipe ?? recipe;
      const n = i + 1;
      const img = document.createElement('img');
      img.src = asset.url;
      img.alt = t('gen.imageAlt', { prompt: imageRecipe.prompt ?? recipe.prompt, n, count: assetIds.length, seed: imageRecipe.seed ?? '?' });
      img.width = asset.width;
      img.height = asset.height;
      const actions = document.createElement('div');
      actions.className = 'actions';
      actions.setAttribute('role', 'group');
      actions.setAttribute('aria-label', t('gen.imageActions', { n }));
      actions.append(
        button(t('gen.upscale2'), () => this.#actions.upscale(assetId)),
        button(t('gen.variations'), () => this.#actions.variations(imageRecipe)),
        button(t('gen.remix'), () => this.#actions.remix(imageRecipe)),
        button(t('gen.useAsCanvas'), () => this.#actions.useAsCanvas(assetId)),
        ...imageActions().map((action) => button(action.label(), () => action.run(assetId, imageRecipe))),
        downloadLink(t('gen.download2'), asset.url, `huabu-${imageRecipe.seed ?? assetId.slice(0, 8)}-${n}.${fileExtension(asset.mime)}`),
      );
      figure.append(img, actions);
      grid.append(figure);
    });
    return grid;
  }
}
