// The envelope around a share document: compressed (deflate-raw), then encrypted with
// AES-GCM-256 under a fresh random key and a fresh 96-bit IV. The fragment is
//   share=<envelope version>.<key, base64url>.<IV + ciphertext, base64url>
// It lives after '#', which browsers never send to a server, so the key leaves the
// sender's browser only inside the link itself. The version is authenticated data: a link
// whose version was edited fails to decrypt rather than being read the wrong way.
// Too large for a link, the IV + ciphertext go to the server's upload store (content-
// addressed: tools/share-store.mjs) and the fragment names them by their SHA-256:
//   store=<envelope version>.<key, base64url>.<sha256 of IV + ciphertext, hex>
// The server holds only ciphertext; the key is still only in the link.

import { sha256Hex } from '../digest.js';
import { decodeBase64url, encodeBase64url } from './base64url.js';
import { ShareLinkError } from './share-error.js';

export const envelopeVersion = 1;
const ivBytes = 12;
const tagBytes = 16;
const fragmentPattern = /^#?share=([0-9]{1,3})\.([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]+)$/;
const storedPattern = /^#?store=([0-9]{1,3})\.([A-Za-z0-9_-]{43})\.([0-9a-f]{64})$/;
const storePath = '/store/';

function additionalData(version) {
  return new TextEncoder().encode(`huabu-share-${version}`);
}

async function transform(bytes, stream) {
  const response = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await response.arrayBuffer());
}

/** Inflates, refusing to produce more than `maxBytes` (a small link must not expand to GBs). */
async function inflateBounded(bytes, maxBytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ShareLinkError('invalid', 'This share link expands to more data than Huabu accepts.');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

async function seal(plain) {
  const compressed = await transform(plain, new CompressionStream('deflate-raw'));
  const rawKey = crypto.getRandomValues(new Uint8Array(32));
  const iv = crypto.getRandomValues(new Uint8Array(ivBytes));
  const key = await crypto.subtle.importKey('raw', rawKey, 'AES-GCM', false, ['encrypt']);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: additionalData(envelopeVersion) }, key, compressed));
  const sealed = new Uint8Array(ivBytes + ciphertext.length);
  sealed.set(iv);
  sealed.set(ciphertext, ivBytes);
  return { rawKey, sealed };
}

/** Plain bytes -> the fragment text (without '#'). */
export async function sealShareBytes(plain) {
  const { rawKey, sealed } = await seal(plain);
  return `share=${envelopeVersion}.${encodeBase64url(rawKey)}.${encodeBase64url(sealed)}`;
}

/**
 * Plain bytes -> a 'store=' fragment: the sealed bytes go to `upload(sealed, id)` (the server's
 * store, which keeps them under id = their SHA-256), the key stays in the fragment.
 */
export async function sealToStore(plain, upload) {
  const { rawKey, sealed } = await seal(plain);
  const id = await sha256Hex(sealed);
  await upload(sealed, id);
  return `store=${envelopeVersion}.${encodeBase64url(rawKey)}.${id}`;
}

/** PUT to this site's upload store (tools/share-store.mjs); rejects when there is none or it refuses. */
export async function uploadToStore(sealed, id, { fetch = globalThis.fetch, origin = globalThis.location.origin } = {}) {
  const response = await fetch(new URL(`${storePath}${id}`, origin), { method: 'PUT', body: sealed, headers: { 'Content-Type': 'application/octet-stream' } });
  if (!response.ok) throw new Error(`the server did not store the picture (HTTP ${response.status})`);
}

/** Whether a URL fragment looks like a share link at all (the app routes on this). */
export function isShareFragment(fragment) {
  return typeof fragment === 'string' && /^#?(share|store)=/.test(fragment);
}

function checkVersion(version) {
  if (version !== envelopeVersion) {
    throw new ShareLinkError(version > envelopeVersion ? 'newer' : 'malformed',
      version > envelopeVersion
        ? 'This link was made by a newer version of Huabu; update Huabu to open it.'
        : 'This share link is incomplete or damaged.');
  }
}

/**
 * The fragment text (with or without '#') -> plain bytes, or a ShareLinkError. A 'store='
 * link fetches its sealed bytes from this site's upload store (`fetch`) and checks their hash.
 */
export async function openShareBytes(fragment, { maxBytes, fetch = globalThis.fetch, origin = globalThis.location?.origin }) {
  const ok = typeof fragment === 'string' && fragment.length <= 64 << 20;
  const match = ok ? fragmentPattern.exec(fragment) : null;
  const stored = ok && !match ? storedPattern.exec(fragment) : null;
  if (!match && !stored) {
    throw new ShareLinkError('malformed', 'This share link is incomplete or damaged (it may have been cut off when copied).');
  }
  const [, versionText, keyText, payload] = match ?? stored;
  const version = Number(versionText);
  checkVersion(version);
  let rawKey;
  let sealed;
  try {
    rawKey = decodeBase64url(keyText);
    sealed = match ? decodeBase64url(payload) : null;
  } catch {
    throw new ShareLinkError('malformed', 'This share link is incomplete or damaged.');
  }
  if (stored) sealed = await fetchStored(payload, { fetch, origin, maxBytes });
  if (sealed.length < ivBytes + tagBytes) throw new ShareLinkError('malformed', 'This share link is incomplete or damaged.');
  let compressed;
  try {
    const key = await crypto.subtle.importKey('raw', rawKey, 'AES-GCM', false, ['decrypt']);
    compressed = new Uint8Array(await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: sealed.subarray(0, ivBytes), additionalData: additionalData(version) },
      key, sealed.subarray(ivBytes)));
  } catch (cause) {
    throw new ShareLinkError('undecryptable',
      'This share link could not be unlocked: it was changed or cut off after it was made.', { cause });
  }
  try {
    return await inflateBounded(compressed, maxBytes);
  } catch (err) {
    if (err instanceof ShareLinkError) throw err;
    throw new ShareLinkError('invalid', 'This share link is damaged: its contents do not unpack.', { cause: err });
  }
}

async function fetchStored(id, { fetch, origin, maxBytes }) {
  let response;
  try {
    response = await fetch(new URL(`${storePath}${id}`, origin));
  } catch (cause) {
    throw new ShareLinkError('unavailable', 'The stored picture could not be fetched: the Huabu server that holds it is not reachable.', { cause });
  }
  if (response.status === 404) {
    throw new ShareLinkError('unavailable', 'The stored picture is not on this server (it may have been removed, or the link was opened on another site).');
  }
  if (!response.ok) throw new ShareLinkError('unavailable', `The stored picture could not be fetched (HTTP ${response.status}).`);
  const sealed = new Uint8Array(await response.arrayBuffer());
  // Compressed data is never much larger than the limit it unpacks to.
  if (sealed.length > maxBytes + 1024) throw new ShareLinkError('invalid', 'The stored picture is larger than Huabu accepts.');
  if ((await sha256Hex(sealed)) !== id) {
    throw new ShareLinkError('undecryptable', 'The stored picture was changed on the server: its contents do not match the link.');
  }
  return sealed;
}
