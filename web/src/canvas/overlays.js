// What is drawn over the picture (not into it): the rectangular selection, the frame of the
// image being moved or scaled with its scale handle, and the brush's outline under a mouse
// or pen. They live in the stage, so they are positioned in scene pixels and follow pan and
// zoom.

/** @param {import('./scene-canvas.js').SceneCanvas} canvas */
export function attachOverlays(canvas, stage, frame) {
  const selection = box('selection-box');
  const image = box('image-box');
  const handle = document.createElement('span');
  handle.className = 'image-box__handle';
  image.append(handle);
  const brush = box('brush-cursor');
  stage.append(selection, image, brush);

  // The brush's size at the pointer (fingers cover it anyway, so not for touch).
  const showBrush = (e) => {
    const painting = canvas.tool === 'brush' || canvas.tool === 'eraser';
    brush.hidden = !painting || e.pointerType === 'touch' || e.type === 'pointerleave';
    if (brush.hidden) return;
    const { x, y } = canvas.view.scenePoint(e);
    const size = canvas.brush.size;
    Object.assign(brush.style, { left: `${x - size / 2}px`, top: `${y - size / 2}px`, width: `${size}px`, height: `${size}px` });
  };
  for (const type of ['pointermove', 'pointerdown', 'pointerleave']) frame.addEventListener(type, showBrush);

  const place = (el, rect) => {
    el.hidden = !rect;
    if (!rect) return;
    Object.assign(el.style, { left: `${rect.x}px`, top: `${rect.y}px`, width: `${rect.width}px`, height: `${rect.height}px` });
  };
  const update = () => {
    place(selection, canvas.getSelection());
    place(image, canvas.selectedImage?.item);
  };
  for (const type of ['selectionchange', 'change', 'resize']) canvas.addEventListener(type, update);
  update();
}

function box(className) {
  const el = document.createElement('div');
  el.className = className;
  el.hidden = true;
  el.setAttribute('aria-hidden', 'true'); // described in words by the toolbar's status line
  return el;
}
