// Re-encodes an image smaller with the browser's own WebP encoder, for links that must fit a
// size budget (share-link.js). Runs in the page (OffscreenCanvas), not the core: it is a
// last-resort shrink, and the browser's encoder is there already.

export async function reencodeImage(image, { scale, quality }) {
  const bitmap = await createImageBitmap(new Blob([image.bytes], { type: image.mime }));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const blob = await canvas.convertToBlob({ type: 'image/webp', quality });
  // A browser without a WebP encoder silently returns PNG; that would not shrink anything.
  if (blob.type !== 'image/webp') throw new Error('This browser cannot encode WebP, so the image cannot be made smaller.');
  return { bytes: new Uint8Array(await blob.arrayBuffer()), mime: 'image/webp', width, height };
}
