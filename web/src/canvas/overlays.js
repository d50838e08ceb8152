// The boxes drawn over the picture (not into it): the rectangular selection and the frame
// of the image being moved or scaled, with its scale handle. They live in the stage, so
// they are positioned in scene pixels and follow pan and zoom.

/** @param {import('./scene-canvas.js').SceneCanvas} canvas */
export function attachOverlays(canvas, stage) {
  const selection = box('selection-box');
  const image = box('image-box');
  const handle = document.createElement('span');
  handle.className = 'image-box__handle';
  image.append(handle);
  stage.append(selection, image);

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
