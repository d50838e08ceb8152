// The document a share link carries: one creation (image bytes and their recipe, or the
// recipe alone) and optionally the canvas scene it sits in. This module builds it from plain
// values, serialises it to bytes and parses bytes back, validating every field: a link is
// input from a stranger. Versioned: `v` is the document version; older versions are
// migrated forward on open, newer ones get a clear "made by a newer Huabu" error.
//
// Bytes: [u32 big-endian JSON length][JSON, UTF-8][image bytes (the rest; none when the
// link is recipe-only)]. The JSON: {v, title?, createdAt?, recipe?, image?: {mime, width,
// height}, scene?: {width, height, layers: [{name, visible, opacity, items}]}}.

import { ShareLinkError } from './share-error.js';

export const shareDocumentVersion = 1;

// Migrations from version N to N+1, by N. Version 1 is the first; a future version 2 adds
// `1: (doc) => ...` here so that links made today keep opening.
const migrations = {};

export const limits = {
  jsonBytes: 1 << 20,
  imageBytes: 4 << 20,
  imageSide: 8192,
  canvasSide: 8192,
  layers: 64,
  itemsPerLayer: 10_000,
  pointsPerStroke: 30_000, // numbers, i.e. 10 000 [x, y, pressure] triples
  text: 2000,
  recipeExtraKeys: 24,
};

const imageSignatures = {
  'image/webp': (b) => b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP',
  'image/png': (b) => b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG',
};

function ascii(bytes, start, length) {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function fail(message) {
  throw new ShareLinkError('invalid', `This share link is damaged or was not made by Huabu: ${message}.`);
}

function isPlainObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function checkKeys(obj, allowed, where) {
  if (!isPlainObject(obj)) fail(`${where} is not an object`);
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) fail(`${where} has an unknown field "${key.slice(0, 40)}"`);
}

function checkString(v, where, max = limits.text) {
  if (typeof v !== 'string' || v.length > max) fail(`${where} must be text of at most ${max} characters`);
}

function checkInt(v, where, min, max) {
  if (!Number.isInteger(v) || v < min || v > max) fail(`${where} must be a whole number ${min}..${max}`);
}

// The app's seeds are 64-bit, written as decimal text (a Number cannot hold them all);
// older links carry small whole numbers.
function checkSeed(v, where) {
  if (typeof v === 'string') {
    if (!/^(0|[1-9][0-9]{0,19})$/.test(v) || BigInt(v) >= 2n ** 64n) fail(`${where} must be a whole number 0..18446744073709551615`);
  } else {
    checkInt(v, where, 0, 2 ** 32 - 1);
  }
}

function checkNumber(v, where, min, max) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(`${where} must be a number ${min}..${max}`);
}

const recipeFields = {
  prompt: (v, w) => checkString(v, w),
  negativePrompt: (v, w) => checkString(v, w),
  model: (v, w) => checkString(v, w, 200),
  style: (v, w) => checkString(v, w, 200),
  seed: checkSeed,
  steps: (v, w) => checkInt(v, w, 1, 1000),
  guidance: (v, w) => checkNumber(v, w, 0, 100),
  count: (v, w) => checkInt(v, w, 1, 64),
  width: (v, w) => checkInt(v, w, 1, limits.imageSide),
  height: (v, w) => checkInt(v, w, 1, limits.imageSide),
};

// A recipe may carry settings this version does not know (a newer bot's); they travel
// along if they are short plain values under plain names.
function checkRecipe(recipe) {
  if (!isPlainObject(recipe)) fail('the recipe is not an object');
  let extra = 0;
  for (const [key, value] of Object.entries(recipe)) {
    const where = `recipe.${key.slice(0, 40)}`;
    if (Object.hasOwn(recipeFields, key)) {
      recipeFields[key](value, where);
    } else {
      if (!/^[A-Za-z][A-Za-z0-9]{0,31}$/.test(key)) fail(`the recipe has an unusable field name`);
      if (++extra > limits.recipeExtraKeys) fail('the recipe has too many fields');
      if (typeof value === 'string') checkString(value, where, 500);
      else if (typeof value === 'number') checkNumber(value, where, -1e9, 1e9);
      else if (typeof value !== 'boolean') fail(`${where} must be text, a number or true/false`);
    }
  }
}

function checkColour(v, where) {
  if (typeof v !== 'string' || !/^#[0-9a-f]{6}$/i.test(v)) fail(`${where} must be a colour #rrggbb`);
}

/** Throws ShareLinkError when `item` is not a valid scene item (stroke or the shared image). */
export function checkSceneItem(item, where = 'item') {
  if (!isPlainObject(item)) fail(`${where} is not an object`);
  if (item.type === 'stroke') {
    checkKeys(item, ['type', 'points', 'colour', 'size', 'tool', 'opacity'], where);
    const { points } = item;
    if (!Array.isArray(points) || points.length === 0 || points.length % 3 !== 0 || points.length > limits.pointsPerStroke) {
      fail(`${where}.points must be [x, y, pressure] triples`);
    }
    for (const p of points) if (typeof p !== 'number' || !Number.isFinite(p) || Math.abs(p) > 1e6) fail(`${where}.points has a bad number`);
    checkColour(item.colour, `${where}.colour`);
    checkNumber(item.size, `${where}.size`, 0, 1024);
    if (item.tool !== 'brush' && item.tool !== 'eraser') fail(`${where}.tool must be brush or eraser`);
    checkNumber(item.opacity, `${where}.opacity`, 0, 1);
  } else if (item.type === 'image') {
    // The shared image itself, placed on the canvas; a link carries no other images.
    checkKeys(item, ['type', 'x', 'y', 'width', 'height'], where);
    checkNumber(item.x, `${where}.x`, -1e6, 1e6);
    checkNumber(item.y, `${where}.y`, -1e6, 1e6);
    checkNumber(item.width, `${where}.width`, 0, 1e6);
    checkNumber(item.height, `${where}.height`, 0, 1e6);
  } else {
    fail(`${where}.type must be stroke or image`);
  }
}

function checkScene(scene, hasImage) {
  checkKeys(scene, ['width', 'height', 'layers'], 'the scene');
  checkInt(scene.width, 'scene.width', 1, limits.canvasSide);
  checkInt(scene.height, 'scene.height', 1, limits.canvasSide);
  if (!Array.isArray(scene.layers) || scene.layers.length > limits.layers) fail(`the scene must have at most ${limits.layers} layers`);
  scene.layers.forEach((layer, i) => {
    const where = `scene layer ${i}`;
    checkKeys(layer, ['name', 'visible', 'opacity', 'items'], where);
    checkString(layer.name, `${where} name`, 200);
    if (typeof layer.visible !== 'boolean') fail(`${where} visible must be true or false`);
    checkNumber(layer.opacity, `${where} opacity`, 0, 1);
    if (!Array.isArray(layer.items) || layer.items.length > limits.itemsPerLayer) fail(`${where} has too many items`);
    layer.items.forEach((item, j) => {
      checkSceneItem(item, `${where} item ${j}`);
      if (item.type === 'image' && !hasImage) fail(`${where} item ${j} places an image the link does not carry`);
    });
  });
}

/**
 * Validates a parsed document of the current version together with its image bytes
 * (a Uint8Array, empty for recipe-only links). Throws ShareLinkError('invalid') on the first
 * problem.
 */
export function validateShareDocument(doc, imageBytes) {
  checkKeys(doc, ['v', 'title', 'createdAt', 'recipe', 'image', 'scene'], 'the document');
  if (doc.v !== shareDocumentVersion) fail('wrong document version');
  if (doc.title !== undefined) checkString(doc.title, 'the title', 200);
  if (doc.createdAt !== undefined) checkInt(doc.createdAt, 'createdAt', 0, 8.64e15);
  if (doc.recipe !== undefined) checkRecipe(doc.recipe);
  if (doc.image !== undefined) {
    checkKeys(doc.image, ['mime', 'width', 'height'], 'the image');
    if (!Object.hasOwn(imageSignatures, doc.image.mime)) fail('the image must be WebP or PNG');
    checkInt(doc.image.width, 'image width', 1, limits.imageSide);
    checkInt(doc.image.height, 'image height', 1, limits.imageSide);
    if (imageBytes.length > limits.imageBytes) fail('the image is too large');
    if (!imageSignatures[doc.image.mime](imageBytes)) fail(`the image bytes are not ${doc.image.mime}`);
  } else if (imageBytes.length > 0) {
    fail('there are image bytes but no image description');
  }
  if (doc.image === undefined && doc.recipe === undefined) fail('it carries neither an image nor a recipe');
  if (doc.scene !== undefined) checkScene(doc.scene, doc.image !== undefined);
}

/** {json, imageBytes} -> bytes. Validates first, so Huabu never makes a link it would refuse. */
export function serializeShareDocument(doc, imageBytes = new Uint8Array(0)) {
  validateShareDocument(doc, imageBytes);
  const json = new TextEncoder().encode(JSON.stringify(doc));
  const out = new Uint8Array(4 + json.length + imageBytes.length);
  new DataView(out.buffer).setUint32(0, json.length);
  out.set(json, 4);
  out.set(imageBytes, 4 + json.length);
  return out;
}

/** bytes -> {doc, imageBytes}, migrated to the current version and validated. */
export function parseShareDocument(bytes) {
  if (bytes.length < 4) fail('it is too short');
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (jsonLength > limits.jsonBytes || jsonLength > bytes.length - 4) fail('its header is inconsistent');
  let doc;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + jsonLength)));
  } catch {
    fail('its description is not valid JSON');
  }
  if (!isPlainObject(doc) || !Number.isInteger(doc.v) || doc.v < 1) fail('it has no document version');
  if (doc.v > shareDocumentVersion) {
    throw new ShareLinkError('newer', 'This link was made by a newer version of Huabu; update Huabu to open it.');
  }
  while (doc.v < shareDocumentVersion) doc = migrations[doc.v](doc);
  const imageBytes = bytes.slice(4 + jsonLength);
  validateShareDocument(doc, imageBytes);
  return { doc, imageBytes };
}
