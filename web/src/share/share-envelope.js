// The envelope around a share document: compressed (deflate-raw), then encrypted with
// AES-GCM-256 under a fresh random key and a fresh 96-bit IV. The fragment is
//   share=<envelope version>.<key, base64url>.<IV + ciphertext, base64url>
// It lives after '#', which browsers never send to a server, so the key leaves the
// sender's browser only inside the link itself. The version is authenticated data: a link
// whose version was edited fails to decrypt rather than being read the wrong way.

import { decodeBase64url, encodeBase64url } from './base64url.js';
import { ShareLinkError } from './share-error.js';

export const envelopeVersion = 1;
const ivBytes = 12;
const tagBytes = 16;
const fragmentPattern = /^#?share=([0-9]{1,3})\.([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]+)$/;

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

/** Plain bytes -> the fragment text (without '#'). */
export async function sealShareBytes(plain) {
  const compressed = await transform(plain, new CompressionStream('deflate-raw'));
  const rawKey = crypto.getRandomValues(new Uint8Array(32));
  const iv = crypto.getRandomValues(new Uint8Array(ivBytes));
  const key = await crypto.subtle.importKey('raw', rawKey, 'AES-GCM', false, ['encrypt']);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: additionalData(envelopeVersion) }, key, compressed));
  const sealed = new Uint8Array(ivBytes + ciphertext.length);
  sealed.set(iv);
  sealed.set(ciphertext, ivBytes);
  return `share=${envelopeVersion}.${encodeBase64url(rawKey)}.${encodeBase64url(sealed)}`;
}

/** Whether a URL fragment looks like a share link at all (the app routes on this). */
export function isShareFragment(fragment) {
  return typeof fragment === 'string' && /^#?share=/.test(fragment);
}

/** The fragment text (with or without '#') -> plain bytes, or a ShareLinkError. */
export async function openShareBytes(fragment, { maxBytes }) {
  const match = typeof fragment === 'string' && fragment.length <= 64 << 20 ? fragmentPattern.exec(fragment) : null;
  if (!match) {
    throw new ShareLinkError('malformed', 'This share link is incomplete or damaged (it may have been cut off when copied).');
  }
  const version = Number(match[1]);
  if (version !== envelopeVersion) {
    throw new ShareLinkError(version > envelopeVersion ? 'newer' : 'malformed',
      version > envelopeVersion
        ? 'This link was made by a newer version of Huabu; update Huabu to open it.'
        : 'This share link is incomplete or damaged.');
  }
  let rawKey;
  let sealed;
  try {
    rawKey = decodeBase64url(match[2]);
    sealed = decodeBase64url(match[3]);
  } catch {
    throw new ShareLinkError('malformed', 'This share link is incomplete or damaged.');
  }
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
