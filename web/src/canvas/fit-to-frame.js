// Sizes the canvas element to fill its frame at the image's aspect ratio, so small images are
// drawn on comfortably and large ones fit the screen. Pointer mapping in drawing-canvas.js
// reads the displayed size, so any display size works.

/** Keeps `canvas` fitted inside `frame`; returns a function to call when the image size changes. */
export function fitCanvasToFrame(canvas, frame) {
  const refit = () => {
    const style = getComputedStyle(frame);
    const availableWidth = frame.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const availableHeight = frame.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    const scale = Math.min(availableWidth / canvas.width, availableHeight / canvas.height);
    if (!(scale > 0)) return;
    canvas.style.width = `${Math.floor(canvas.width * scale)}px`;
    canvas.style.height = `${Math.floor(canvas.height * scale)}px`;
    // Enlarged pixels stay crisp: the user sees the image's real pixels.
    canvas.classList.toggle('drawing-canvas--zoomed', scale > 1);
  };
  new ResizeObserver(refit).observe(frame);
  refit();
  return refit;
}
