// Rectangles in scene pixels ({x, y, width, height}): the selection, image items and their
// scale handles. Pure, unit-tested in Node.

/** The rectangle spanned by two corner points, in whole pixels, clipped to the scene. */
export function rectFromCorners(a, b, scene) {
  const left = Math.max(0, Math.floor(Math.min(a.x, b.x)));
  const top = Math.max(0, Math.floor(Math.min(a.y, b.y)));
  const right = Math.min(scene.width, Math.ceil(Math.max(a.x, b.x)));
  const bottom = Math.min(scene.height, Math.ceil(Math.max(a.y, b.y)));
  if (right <= left || bottom <= top) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

export function rectContains(rect, point) {
  return point.x >= rect.x && point.x <= rect.x + rect.width && point.y >= rect.y && point.y <= rect.y + rect.height;
}

/**
 * Which part of an image item a scene point is on: 'scale' on the bottom-right handle
 * (a square of `handle` scene pixels), 'move' inside, or null.
 */
export function hitImage(rect, point, handle) {
  const corner = { x: rect.x + rect.width, y: rect.y + rect.height };
  if (Math.abs(point.x - corner.x) <= handle && Math.abs(point.y - corner.y) <= handle) return 'scale';
  return rectContains(rect, point) ? 'move' : null;
}

/**
 * `rect` scaled from its top-left corner so that its bottom-right corner follows `point`,
 * keeping the aspect ratio (images are not stretched) and at least `minEdge` pixels.
 */
export function scaleToCorner(rect, point, minEdge = 4) {
  const factor = Math.max((point.x - rect.x) / rect.width, (point.y - rect.y) / rect.height);
  const least = minEdge / Math.min(rect.width, rect.height);
  const scale = Math.max(factor, least);
  return { ...rect, width: rect.width * scale, height: rect.height * scale };
}

/** The largest size of `image` that fits in `box` (never enlarged), centred in it. */
export function fitInside(image, box) {
  const scale = Math.min(1, box.width / image.width, box.height / image.height);
  const width = image.width * scale;
  const height = image.height * scale;
  return { x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width, height };
}
