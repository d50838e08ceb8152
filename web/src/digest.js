// Bytes as lowercase hex, and SHA-256 through WebCrypto (browsers, workers, Node >= 20):
// model checks, share-store keys, room asset ids and ids all spell bytes this way.

/** Lowercase hex of a byte array. */
export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of bytes (ArrayBuffer or typed array) as 64 hex characters. */
export async function sha256Hex(bytes) {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes)));
}
