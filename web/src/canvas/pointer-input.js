// Pointer input on the canvas frame: one pointer uses the current tool (brush, eraser,
// select, move, hand); two touching fingers pinch to zoom and pan; the middle mouse button
// or a held Space pans with any tool. A finger's stroke becomes a pinch, without leaving a
// mark, when a second finger lands.

import { effectivePressure } from './brush.js';
import { hitImage, rectFromCorners, scaleToCorner } from './rect.js';
import { pinchView } from './view-transform.js';

const handleCssPixels = 14; // the scale handle's reach, whatever the zoom

// Keys typed here belong to the field (text, or a select's type-to-choose), not to shortcuts.
const isTyping = (target) => target.closest?.('textarea, select, input:not([type=range]):not([type=color]):not([type=file]):not([type=checkbox]):not([type=radio]), [contenteditable]');

/** @param {import('./scene-canvas.js').SceneCanvas} canvas */
export function attachPointerInput(canvas, frame) {
  const { view } = canvas;
  const pointers = new Map(); // pointerId -> frame point
  let gesture = null;
  let spaceHeld = false;
  let frameRequested = false;
  let pendingPlace = null;

  const nextFrame = () => {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(() => {
      frameRequested = false;
      if (pendingPlace) canvas.placeSelectedImage(pendingPlace, { merge: true });
      pendingPlace = null;
      canvas.showStroke();
    });
  };

  function startPinch() {
    if (gesture?.kind === 'stroke') canvas.cancelStroke();
    const ids = [...pointers.keys()].slice(0, 2);
    gesture = { kind: 'pinch', ids, from: ids.map((id) => pointers.get(id)), startView: view.view };
  }

  function imageUnder(point) {
    const handle = handleCssPixels / view.zoom;
    const selected = canvas.selectedImage;
    // The selected image's handle wins even where another image lies on top.
    if (selected && hitImage(selected.item, point, handle) === 'scale') return { ...selected, part: 'scale' };
    for (const { layerId, item } of canvas.imagesTopFirst()) {
      const part = hitImage(item, point, handle);
      if (part) return { layerId, item, part };
    }
    return null;
  }

  function start(e, point) {
    const scene = view.scenePoint(e);
    const tool = canvas.tool;
    if (e.button === 1 || spaceHeld || tool === 'hand') {
      gesture = { kind: 'pan', last: point };
    } else if (tool === 'brush' || tool === 'eraser') {
      canvas.beginStroke(scene, effectivePressure(e));
      gesture = { kind: 'stroke', id: e.pointerId };
    } else if (tool === 'select') {
      canvas.setSelection(null);
      gesture = { kind: 'select', from: scene };
    } else if (tool === 'move') {
      const hit = imageUnder(scene);
      if (hit) {
        canvas.selectImage({ layerId: hit.layerId, itemId: hit.item.id });
        const { x, y, width, height } = hit.item;
        gesture = { kind: 'image', part: hit.part, from: scene, rect: { x, y, width, height }, moved: false };
      } else {
        canvas.selectImage(null);
        gesture = { kind: 'pan', last: point };
      }
    }
  }

  frame.addEventListener('pointerdown', (e) => {
    if (!canvas.doc || (e.pointerType === 'mouse' && e.button !== 0 && e.button !== 1)) return;
    e.preventDefault();
    frame.focus({ preventScroll: true });
    frame.setPointerCapture(e.pointerId);
    const point = view.framePoint(e);
    pointers.set(e.pointerId, point);
    if (pointers.size === 2 && e.pointerType === 'touch') startPinch();
    else if (pointers.size === 1) start(e, point);
  });

  frame.addEventListener('pointermove', (e) => {
    if (!pointers.has(e.pointerId)) return;
    const point = view.framePoint(e);
    pointers.set(e.pointerId, point);
    if (!gesture) return;
    switch (gesture.kind) {
      case 'pinch':
        if (gesture.ids.includes(e.pointerId)) view.set(pinchView(gesture.startView, gesture.from, gesture.ids.map((id) => pointers.get(id))));
        break;
      case 'pan':
        view.panBy(point.x - gesture.last.x, point.y - gesture.last.y);
        gesture.last = point;
        break;
      case 'stroke':
        if (e.pointerId !== gesture.id) break;
        // Coalesced events keep fast strokes smooth: the browser batches samples per frame.
        for (const sample of e.getCoalescedEvents?.() ?? [e]) canvas.extendStroke(view.scenePoint(sample), effectivePressure(sample));
        nextFrame();
        break;
      case 'select':
        canvas.setSelection(rectFromCorners(gesture.from, view.scenePoint(e), { width: canvas.width, height: canvas.height }));
        break;
      case 'image': {
        const now = view.scenePoint(e);
        const { rect, from } = gesture;
        const moved = gesture.part === 'scale'
          ? scaleToCorner(rect, now)
          : { ...rect, x: Math.round(rect.x + now.x - from.x), y: Math.round(rect.y + now.y - from.y) };
        if (!gesture.moved) canvas.placeSelectedImage(moved); // the first change opens the undo step
        else pendingPlace = moved;
        gesture.moved = true;
        nextFrame();
        break;
      }
      default:
    }
  });

  const end = (e) => {
    if (!pointers.delete(e.pointerId) || !gesture) return;
    if (gesture.kind === 'stroke' && e.pointerId === gesture.id) {
      if (e.type === 'pointerup') canvas.endStroke();
      else canvas.cancelStroke();
      gesture = null;
    } else if (gesture.kind === 'image' && pendingPlace) {
      canvas.placeSelectedImage(pendingPlace, { merge: true });
      pendingPlace = null;
      gesture = null;
    } else if (gesture.kind !== 'pinch' || pointers.size < 2) {
      gesture = null; // a lifted pinch finger: the other one does not start drawing
    }
  };
  frame.addEventListener('pointerup', end);
  frame.addEventListener('pointercancel', end);

  document.addEventListener('keydown', (e) => {
    if (e.code === 'Space' && !isTyping(e.target) && !e.target.closest?.('button, [role=button], select')) {
      spaceHeld = true;
      if (e.target === frame || e.target === document.body) e.preventDefault(); // no page scroll
    }
  });
  document.addEventListener('keyup', (e) => { if (e.code === 'Space') spaceHeld = false; });
}

export { isTyping };
