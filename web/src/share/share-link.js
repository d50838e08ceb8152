// Share by link, no server: a creation (image + recipe, optionally its canvas scene) packed
// into the URL fragment. `createShareLink` keeps the link within a size budget: when the
// creation does not fit and the page's server has an upload store, the encrypted creation is
// stored there whole (the link keeps the key); otherwise it degrades step by step: the scene
// goes first, then the image is re-encoded smaller, and last the link carries the recipe
// alone (which regenerates the image deterministically).
// `openShareLink` turns any fragment into the creation or a ShareLinkError.

import { limits, parseShareDocument, serializeShareDocument, shareDocumentVersion } from './share-document.js';
import { openShareBytes, sealShareBytes, sealToStore } from './share-envelope.js';
import { ShareLinkError } from './share-error.js';

// Long enough for a 512×512 WebP at a good quality, short enough for most chat apps and
// every browser's address bar. Callers with stricter hosts pass a smaller budget.
export const defaultLinkBudget = 48_000;

// Re-encodings tried in order when the original image does not fit.
const reencodeSteps = [
  { scale: 1, quality: 0.8 },
  { scale: 1, quality: 0.6 },
  { scale: 1, quality: 0.4 },
  { scale: 0.5, quality: 0.7 },
  { scale: 0.5, quality: 0.45 },
  { scale: 0.25, quality: 0.6 },
];

/**
 * Builds a share link for `creation` = {image?: {bytes, mime, width, height}, recipe?,
 * scene?, title?}. `reencode(image, {scale, quality})` -> a smaller {bytes, mime, width,
 * height} (the page's encoder, see reencode-image.js). `upload(sealed, id)` puts sealed bytes
 * in the server's store (share-envelope.js uploadToStore), or rejects when there is none.
 * Returns {url, length, degraded}, where degraded is 'none', 'stored', 'scene-dropped',
 * 'reencoded' (with the step used) or 'recipe-only'.
 */
export async function createShareLink(creation, { baseUrl, budget = defaultLinkBudget, reencode, upload } = {}) {
  const base = String(baseUrl ?? '').split('#')[0];
  const { image, recipe, scene, title } = creation;
  const documentBytes = (img, withScene) => {
    const doc = { v: shareDocumentVersion, createdAt: Date.now() };
    if (title) doc.title = title;
    if (recipe) doc.recipe = recipe;
    if (img) doc.image = { mime: img.mime, width: img.width, height: img.height };
    if (withScene && scene) doc.scene = scene;
    return serializeShareDocument(doc, img?.bytes);
  };
  const linkTo = (fragment) => ({ url: `${base}#${fragment}`, length: base.length + 1 + fragment.length });
  const build = async (img, withScene) => linkTo(await sealShareBytes(documentBytes(img, withScene)));

  if (image) {
    const full = await build(image, true);
    if (full.length <= budget) return { ...full, degraded: 'none' };
    if (upload) {
      try {
        return { ...linkTo(await sealToStore(documentBytes(image, true), upload)), degraded: 'stored' };
      } catch {
        // no store on this server, or it refused: make the link itself fit instead
      }
    }
    if (scene) {
      const plain = await build(image, false);
      if (plain.length <= budget) return { ...plain, degraded: 'scene-dropped' };
    }
    if (reencode) {
      for (const step of reencodeSteps) {
        const smaller = await reencode(image, step);
        if (smaller.bytes.length * 1.34 > budget) continue; // base64 alone would not fit
        const link = await build(smaller, false);
        if (link.length <= budget) return { ...link, degraded: 'reencoded', step, image: { width: smaller.width, height: smaller.height } };
      }
    }
  }
  if (recipe) {
    const link = await build(undefined, false);
    if (link.length <= budget) return { ...link, degraded: image ? 'recipe-only' : 'none' };
  }
  throw new ShareLinkError('too-large', `This creation does not fit in a link of ${budget} characters.`);
}

/**
 * A URL fragment ('#share=...', or '#store=...' fetched from this site's store; `options.origin`
 * and `options.fetch` for callers outside a page) -> {doc, imageBytes}; any problem is a ShareLinkError.
 */
export async function openShareLink(fragment, options = {}) {
  const plain = await openShareBytes(fragment, { maxBytes: 4 + limits.jsonBytes + limits.imageBytes, ...options });
  return parseShareDocument(plain);
}
