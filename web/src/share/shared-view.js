// What a person sees when they open a share link: the creation (image or "recipe only"), its
// recipe, and two ways on: Remix (a new room of their own starting from it) or Close. A
// damaged or hostile link shows its error here instead; the app behind stays usable.

import { t } from '../i18n/i18n.js';
import { openShareLink } from './share-link.js';

function element(tag, props = {}, children = []) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

function recipeList(recipe) {
  const list = element('dl', { className: 'shared-recipe' });
  list.setAttribute('aria-label', t('shared.recipe'));
  for (const [key, value] of Object.entries(recipe)) {
    list.append(element('dt', { textContent: key }), element('dd', { textContent: String(value) }));
  }
  return list;
}

/**
 * Opens `fragment` and shows it in a modal dialog. `onRemix(shared)` is called with
 * {doc, imageBytes} when the person chooses Remix. Resolves when the dialog closes.
 */
export async function showSharedCreation(fragment, { onRemix }) {
  const heading = element('h2', { id: 'shared-heading', textContent: t('shared.title') });
  const body = element('div', { className: 'shared-body' });
  const close = element('button', { type: 'button', className: 'button', textContent: t('share.close') });
  const actions = element('div', { className: 'link-dialog-actions' }, [close]);
  const dialog = element('dialog', { className: 'link-dialog shared-dialog' }, [heading, body, actions]);
  dialog.setAttribute('aria-labelledby', heading.id);
  document.body.append(dialog);
  dialog.showModal();
  close.addEventListener('click', () => dialog.close());
  const closed = new Promise((resolve) => dialog.addEventListener('close', () => {
    dialog.remove();
    resolve();
  }));

  let shared;
  try {
    shared = await openShareLink(fragment);
  } catch (err) {
    const problem = element('p', { className: 'shared-error', textContent: err.reason ? err.message : t('shared.broken') });
    problem.setAttribute('role', 'alert');
    body.append(problem);
    return closed;
  }
  const { doc, imageBytes } = shared;
  if (doc.title) heading.textContent = doc.title;
  if (doc.image) {
    const url = URL.createObjectURL(new Blob([imageBytes], { type: doc.image.mime }));
    const img = element('img', { src: url, className: 'shared-image', alt: doc.recipe?.prompt ? t('shared.imageOf', { prompt: doc.recipe.prompt }) : t('shared.image') });
    img.width = doc.image.width;
    img.height = doc.image.height;
    img.addEventListener('error', () => img.replaceWith(element('p', { className: 'shared-error', textContent: t('shared.undecodable') })));
    closed.then(() => URL.revokeObjectURL(url));
    body.append(img);
  } else {
    body.append(element('p', { textContent: t('shared.recipeOnly') }));
  }
  if (doc.recipe) body.append(recipeList(doc.recipe));
  const remix = element('button', { type: 'button', className: 'button button--primary', textContent: t('shared.remix') });
  remix.addEventListener('click', async () => {
    remix.disabled = true;
    await onRemix(shared);
    dialog.close();
  });
  actions.prepend(remix);
  return closed;
}
