// The postMessage API between a host page (a web IM app) and Huabu in an iframe. Every
// message is {huabu: 1, kind, type, id?, payload}; kind 'command' (host -> Huabu), 'reply'
// (Huabu -> host, answering a command's id) or 'event' (Huabu -> host). Both sides validate
// every message with `checkEmbedMessage` and drop what does not match; docs/embedding.md
// lists the messages.

export const embedProtocolVersion = 1;

const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const text = (max) => (v) => typeof v === 'string' && v.length <= max;
const optional = (check) => (v) => v === undefined || check(v);
const int = (min, max) => (v) => Number.isInteger(v) && v >= min && v <= max;
const number = (min, max) => (v) => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const oneOf = (...values) => (v) => values.includes(v);
const bytes = (max) => (v) => v instanceof Uint8Array && v.length > 0 && v.length <= max;
const recipe = (v) => isPlainObject(v) && Object.keys(v).length <= 32;

// payload schemas: field -> check; a payload has exactly these fields (optional ones may be
// missing), nothing else.
const schemas = {
  command: {
    generate: { prompt: text(1000), seed: optional(int(0, 2 ** 32 - 1)), style: optional(text(100)) },
    'insert-image': { bytes: bytes(32 << 20), mime: oneOf('image/png', 'image/webp', 'image/jpeg'), name: optional(text(200)) },
    export: { mime: oneOf('image/png', 'image/webp') },
    'join-room': { roomId: text(64) },
    'set-user': { name: text(60) },
    upscale: { scale: oneOf(2, 4) },
    sketch: { style: optional(text(40)) },
    restyle: { style: text(40) },
    relay: { message: bytes(4 << 20) },
  },
  reply: {
    ok: { value: optional((v) => v === null || isPlainObject(v)) },
    error: { message: text(2000) },
  },
  event: {
    ready: { version: int(1, 1000) },
    'image-created': { assetId: text(64), mime: text(40), width: int(1, 16384), height: int(1, 16384), recipe: optional(recipe) },
    shared: { url: text(100_000) },
    progress: { id: text(64), fraction: number(0, 1) },
    error: { message: text(2000) },
    relay: { message: bytes(4 << 20) },
  },
};

export const commandTypes = Object.keys(schemas.command);
export const eventTypes = Object.keys(schemas.event);

/** Null if `data` is a valid message of `kind` ('command' | 'reply' | 'event'), else why not. */
export function embedMessageProblem(data, kind) {
  if (!isPlainObject(data)) return 'not an object';
  for (const key of Object.keys(data)) if (!['huabu', 'kind', 'type', 'id', 'payload'].includes(key)) return `unknown field ${key.slice(0, 40)}`;
  if (data.huabu !== embedProtocolVersion) return 'not a Huabu message of this version';
  if (data.kind !== kind) return `expected a ${kind}`;
  if (data.id !== undefined && !(typeof data.id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(data.id))) return 'bad id';
  if ((kind === 'command' || kind === 'reply') && data.id === undefined) return 'missing id';
  const schema = Object.hasOwn(schemas[kind], data.type) ? schemas[kind][data.type] : null;
  if (!schema) return `unknown ${kind} type`;
  if (!isPlainObject(data.payload)) return 'payload is not an object';
  for (const key of Object.keys(data.payload)) if (!Object.hasOwn(schema, key)) return `unknown payload field ${key.slice(0, 40)}`;
  for (const [key, check] of Object.entries(schema)) if (!check(data.payload[key])) return `bad payload field ${key}`;
  return null;
}

export function isEmbedMessage(data, kind) {
  return embedMessageProblem(data, kind) === null;
}

export function embedMessage(kind, type, payload, id) {
  const message = { huabu: embedProtocolVersion, kind, type, payload };
  if (id !== undefined) message.id = id;
  const problem = embedMessageProblem(message, kind);
  if (problem) throw new TypeError(`invalid Huabu ${kind} ${type}: ${problem}`);
  return message;
}

/**
 * An origin allowlist entry must be an exact origin ('https://im.example.com'); '*' or
 * anything with a path is refused, so a misconfiguration cannot open Huabu to every site.
 */
export function checkAllowedOrigin(origin) {
  let url;
  try {
    url = new URL(origin);
  } catch {
    throw new RangeError(`not an origin: ${origin}`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.origin !== origin) throw new RangeError(`not an exact origin: ${origin}`);
  return origin;
}
