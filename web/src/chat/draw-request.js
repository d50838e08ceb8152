// A drawing request in its normal form, and the checks every way of asking goes through
// (/draw options and plain language alike). Pure: no DOM, no worker; tested in Node.
//
// Normal form (what inference.generate receives):
//   {prompt, style, count, steps, guidance, seed?}   seed: decimal string of a uint64

import { defaultStyle, styleFromWord, styleNames } from './styles.js';

export const drawLimits = {
  count: { min: 1, max: 8, default: 4 },
  steps: { min: 1, max: 50, default: 12 }, // huabu-tiny's card: 12 Euler steps
  guidance: { min: 0, max: 20, default: 4 }, // CFG 4
  promptChars: 200,
};
// huabu-tiny draws 32 px and the pipeline super-resolves ×4: the only size it makes.
export const drawSize = 128;
const maxSeed = 2n ** 64n - 1n;

/** A random seed as a decimal string (64 bits from the platform's CSPRNG). */
export function randomSeed() {
  const [hi, lo] = crypto.getRandomValues(new Uint32Array(2));
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** `{ok: true, value}` or `{ok: false, key, params}` (an i18n message key). */
const ok = (value) => ({ ok: true, value });
const bad = (key, params = {}) => ({ ok: false, key, params });

function integerIn(text, { min, max }, name) {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) return bad('draw.badNumber', { name, value: text, min, max });
  return ok(Number(text));
}

// One option value -> its checked, normalised value. Names are the canonical option names.
const optionCheckers = {
  count: (v) => integerIn(v, drawLimits.count, 'count'),
  steps: (v) => integerIn(v, drawLimits.steps, 'steps'),
  guidance: (v) => {
    const { min, max } = drawLimits.guidance;
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || n < min || n > max) return bad('draw.badNumber', { name: 'guidance', value: v, min, max });
    return ok(n);
  },
  seed: (v) => {
    if (!/^\d{1,20}$/.test(v) || BigInt(v) > maxSeed) return bad('draw.badSeed', { value: v });
    return ok(BigInt(v).toString()); // "007" -> "7": one spelling per seed
  },
  style: (v) => {
    const style = styleFromWord(v);
    return style ? ok(style) : bad('draw.badStyle', { value: v, styles: styleNames.join(', ') });
  },
  size: (v) => {
    const match = /^(\d+)(?:\s*[x×]\s*(\d+))?$/i.exec(v);
    if (!match || Number(match[1]) !== drawSize || (match[2] && Number(match[2]) !== drawSize)) {
      return bad('draw.badSize', { value: v, size: drawSize });
    }
    return ok(drawSize);
  },
};

// Spellings people use -> canonical option name.
const optionAliases = {
  count: 'count', n: 'count', number: 'count', images: 'count', num: 'count',
  seed: 'seed',
  style: 'style', s: 'style',
  steps: 'steps', step: 'steps',
  guidance: 'guidance', cfg: 'guidance', scale: 'guidance',
  size: 'size', ar: 'size',
};

export const optionNames = Object.keys(optionCheckers);

/**
 * Checks one option given by name (any alias) and value.
 * @returns {{ok: true, name: string, value: any} | {ok: false, key: string, params: object}}
 */
export function checkOption(rawName, rawValue) {
  const name = optionAliases[rawName.toLowerCase()];
  if (!name) return bad('draw.unknownOption', { name: rawName, options: optionNames.map((n) => `--${n}`).join(' ') });
  if (rawValue === undefined || rawValue === '') return bad('draw.missingValue', { name });
  const checked = optionCheckers[name](rawValue);
  return checked.ok ? { ok: true, name, value: checked.value } : checked;
}

/** Checks a prompt: something to draw, not only punctuation, not a novel. */
export function checkPrompt(raw) {
  const prompt = raw.replace(/\s+/g, ' ').trim();
  if (!prompt) return bad('draw.noPrompt');
  if (!/[\p{L}\p{N}]/u.test(prompt)) return bad('draw.nonsense', { prompt });
  if (prompt.length > drawLimits.promptChars) return bad('draw.tooLong', { max: drawLimits.promptChars, length: prompt.length });
  return ok(prompt);
}

/**
 * The normal form of a request: checked prompt, defaults for what was not given.
 * @returns {{ok: true, value: object} | {ok: false, key: string, params: object}}
 */
export function normaliseRequest({ prompt, ...options }) {
  const checked = checkPrompt(prompt ?? '');
  if (!checked.ok) return checked;
  const request = {
    prompt: checked.value,
    style: options.style ?? defaultStyle,
    count: options.count ?? drawLimits.count.default,
    steps: options.steps ?? drawLimits.steps.default,
    guidance: options.guidance ?? drawLimits.guidance.default,
  };
  if (options.seed !== undefined) request.seed = options.seed;
  return ok(request);
}
