// The Styles dialog: the core's classic image operations (docs/image-ops.md) offered on the
// selection or the whole picture. One radio entry per operation with a small preview made
// by the inference worker, sliders built from the operation's parameter ranges (a range input
// cannot hold a value outside them), Apply and Cancel. Besides the core's styles: colour
// transfer from a reference picture the person picks ("colortransfer"), and the picture's
// palette as swatches that set the brush colour.
//
// Apply puts the result on the active layer as an image over the region (insertImage), not
// replaceWith: replaceWith would flatten every layer into one and cannot cover a selection
// only. The strokes underneath stay, the result can be moved, hidden or deleted, and one
// undo removes it.

import { onLocaleChange, t } from '../i18n/i18n.js';
import { decodeImageFile } from './image-file.js';

const previewSide = 96;
const paletteColours = 8;

// Colour transfer is offered like a style; its one parameter is the core's strength (0..1)
// and it needs a reference picture, chosen in its settings.
const colorTransferOp = {
  name: 'colortransfer',
  summary: 'Match the colours of another picture',
  params: [{ name: 'strength', min: 0, max: 1, default: 1, integer: false, help: 'how far the colours move towards the reference (0..1)' }],
};

/**
 * @param {object} deps
 * @param {import('./scene-canvas.js').SceneCanvas} deps.canvas
 * @param {import('../workers/worker-client.js').InferenceClient} deps.inference
 * @param {HTMLButtonElement} deps.button opens the dialog
 * @param {HTMLDialogElement} deps.dialog
 * @param {(text: string, options?: {error?: boolean}) => void} deps.notify
 * @param {HTMLInputElement} deps.brushColour the toolbar's colour input (palette swatches set it)
 */
export function setUpStylesPanel({ canvas, inference, button, dialog, notify, brushColour }) {
  const byRole = (role) => dialog.querySelector(`[data-role="${role}"]`);
  const list = byRole('ops');
  const sliders = byRole('params');
  const scope = byRole('scope');
  const status = byRole('status');
  const progress = byRole('progress');
  const apply = byRole('apply');
  const swatches = byRole('palette');
  let reference = null; // {name, image: ImageData} for colour transfer, kept while the page is open
  let opsPromise; // the worker's list, asked for once
  let ops = [];
  let chosen = null; // the chosen op's name
  const values = {}; // op name -> {param: number}, kept while the page is open
  let source = null; // ImageData the dialog works on, taken when it opens
  let region = null; // where the result goes, in scene pixels
  let previews = new AbortController(); // aborted when the dialog closes or the source changes
  let applying = null; // AbortController of a running Apply
  const previewCache = new Map(); // op name -> ImageData of the current source
  const previewRuns = new Map(); // op name -> AbortController of its newest preview
  let previewTimer = 0;

  // Keys typed in the dialog are its own: no tool shortcuts, no panning behind it.
  dialog.addEventListener('keydown', (e) => e.stopPropagation());
  dialog.addEventListener('close', () => {
    previews.abort();
    applying?.abort();
    previewCache.clear(); // the picture or selection may differ next time
  });
  byRole('cancel').addEventListener('click', () => dialog.close());
  apply.addEventListener('click', () => applyChosen());
  button.addEventListener('click', () => open());
  onLocaleChange(() => { if (dialog.open) { renderList(); renderSliders(); describeScope(); } });

  async function open() {
    region = canvas.getSelection() ?? { x: 0, y: 0, width: canvas.width, height: canvas.height };
    source = canvas.selectionImage();
    previews = new AbortController();
    status.textContent = '';
    progress.hidden = true;
    apply.disabled = false;
    describeScope();
    dialog.showModal();
    try {
      opsPromise ??= inference.styleOps();
      ops = [...await opsPromise, colorTransferOp];
    } catch (err) {
      opsPromise = undefined;
      status.textContent = t('canvas.stylesFailed', { message: err.message });
      apply.disabled = true;
      return;
    }
    chosen ??= ops[0]?.name;
    for (const op of ops) values[op.name] ??= Object.fromEntries(op.params.map((p) => [p.name, p.default]));
    renderList();
    renderSliders();
    for (const op of ops) renderPreview(op.name);
    renderPalette();
  }

  async function renderPalette() {
    const { signal } = previews;
    swatches.replaceChildren();
    try {
      const colours = await inference.palette(source, paletteColours, { signal });
      if (signal.aborted) return;
      swatches.replaceChildren(...colours.map(([r, g, b]) => {
        const hex = `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
        const swatch = Object.assign(document.createElement('button'), { type: 'button', className: 'palette-swatch' });
        swatch.style.background = hex;
        swatch.dataset.colour = hex;
        swatch.setAttribute('aria-label', t('canvas.paletteUse', { colour: hex }));
        swatch.title = hex;
        swatch.addEventListener('click', () => {
          brushColour.value = hex;
          brushColour.dispatchEvent(new Event('input', { bubbles: true }));
          notify(t('canvas.paletteUsed', { colour: hex }));
        });
        return swatch;
      }));
    } catch (err) {
      if (err.code !== 'cancelled' && !signal.aborted) status.textContent = t('canvas.stylesFailed', { message: err.message });
    }
  }

  /** Operation `name` on the dialog's source (options.previewSide: on a shrunk copy); null for colour transfer before a reference is chosen. */
  function runOp(name, params, options) {
    if (name !== colorTransferOp.name) return inference.stylize(source, name, params, options);
    if (!reference) return Promise.resolve(null);
    return inference.colorTransfer(source, reference.image, params.strength, options);
  }

  function describeScope() {
    const selected = canvas.getSelection();
    scope.textContent = selected
      ? t('canvas.stylesScopeSelection', { width: region.width, height: region.height })
      : t('canvas.stylesScopePicture', { width: region.width, height: region.height });
  }

  function summary(op) {
    const key = `canvas.styleSummary.${op.name}`;
    const translated = t(key);
    return translated === key ? op.summary : translated;
  }

  function renderList() {
    list.replaceChildren(...ops.map((op) => {
      const radio = Object.assign(document.createElement('input'), { type: 'radio', name: 'style-op', value: op.name, checked: op.name === chosen });
      radio.addEventListener('change', () => { chosen = op.name; renderSliders(); });
      const thumb = Object.assign(document.createElement('canvas'), { className: 'style-thumb', width: previewSide, height: previewSide });
      thumb.dataset.op = op.name;
      thumb.setAttribute('role', 'img');
      thumb.setAttribute('aria-label', t('canvas.stylesPreview', { name: op.name }));
      const name = Object.assign(document.createElement('span'), { className: 'style-name', textContent: op.name, id: `style-name-${op.name}` });
      const text = Object.assign(document.createElement('span'), { className: 'style-summary', textContent: summary(op), id: `style-summary-${op.name}` });
      radio.setAttribute('aria-labelledby', name.id); // the name alone, the summary as its description
      radio.setAttribute('aria-describedby', text.id);
      const label = Object.assign(document.createElement('label'), { className: 'style-op' });
      label.append(radio, thumb, name, text);
      return label;
    }));
    // A re-render (language switch) keeps the previews already drawn.
    for (const op of ops) if (previewCache.has(op.name)) drawThumb(op.name, previewCache.get(op.name));
  }

  function renderSliders() {
    const op = ops.find((o) => o.name === chosen);
    if (!op) return;
    sliders.replaceChildren(...op.params.map((param) => {
      const id = `style-param-${param.name}`;
      const input = Object.assign(document.createElement('input'), {
        type: 'range', id, min: String(param.min), max: String(param.max),
        // Fractional parameters: 'any' lets the default sit exactly; arrow keys move 1 %.
        step: param.integer ? '1' : 'any', value: String(values[op.name][param.name]), title: param.help,
      });
      const output = Object.assign(document.createElement('output'), { htmlFor: id });
      const show = () => {
        output.value = formatValue(Number(input.value));
        input.setAttribute('aria-valuetext', output.value);
      };
      show();
      input.addEventListener('input', () => {
        values[op.name][param.name] = Number(input.value); // the browser clamps it to min..max
        show();
        schedulePreview(op.name);
      });
      const label = Object.assign(document.createElement('label'), { htmlFor: id, textContent: param.name });
      const range = Object.assign(document.createElement('span'), { className: 'style-range', textContent: `${formatValue(param.min)}–${formatValue(param.max)}` });
      const row = Object.assign(document.createElement('div'), { className: 'style-param' });
      row.append(label, input, output, range);
      return row;
    }));
    if (op === colorTransferOp) sliders.append(referencePicker());
  }

  function referencePicker() {
    const input = Object.assign(document.createElement('input'), { type: 'file', accept: 'image/*', id: 'style-reference' });
    const label = Object.assign(document.createElement('label'), { htmlFor: input.id, textContent: t('canvas.referencePick') });
    const chosenName = Object.assign(document.createElement('span'), {
      className: 'style-reference-name',
      textContent: reference ? reference.name : t('canvas.referenceNone'),
    });
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      if (!file) return;
      try {
        reference = { name: file.name, image: await decodeImageFile(file) };
        chosenName.textContent = file.name;
        status.textContent = '';
        renderPreview(colorTransferOp.name);
      } catch (err) {
        status.textContent = err.message;
      }
    });
    const row = Object.assign(document.createElement('div'), { className: 'style-param style-reference' });
    row.append(label, input, chosenName);
    return row;
  }

  function schedulePreview(name) {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => renderPreview(name), 120);
  }

  async function renderPreview(name) {
    previewRuns.get(name)?.abort(); // a newer slider value makes the running preview moot
    const run = new AbortController();
    previewRuns.set(name, run);
    const signal = AbortSignal.any([run.signal, previews.signal]);
    try {
      // Colour transfer without a reference yet: the picture as it is.
      const image = await runOp(name, { ...values[name] }, { signal, previewSide }) ?? shrunkSource();
      if (signal.aborted) return;
      previewCache.set(name, image);
      drawThumb(name, image);
    } catch (err) {
      if (err.code !== 'cancelled' && !signal.aborted) status.textContent = t('canvas.stylesFailed', { message: err.message });
    }
  }

  function shrunkSource() {
    const scale = Math.min(1, previewSide / Math.max(source.width, source.height));
    const width = Math.max(1, Math.round(source.width * scale));
    const height = Math.max(1, Math.round(source.height * scale));
    const ctx = new OffscreenCanvas(width, height).getContext('2d');
    const full = new OffscreenCanvas(source.width, source.height);
    full.getContext('2d').putImageData(source, 0, 0);
    ctx.drawImage(full, 0, 0, width, height);
    return ctx.getImageData(0, 0, width, height);
  }

  function drawThumb(name, image) {
    const thumb = list.querySelector(`canvas[data-op="${name}"]`);
    if (!thumb) return;
    thumb.width = image.width;
    thumb.height = image.height;
    thumb.getContext('2d').putImageData(image, 0, 0);
    thumb.dataset.ready = 'true';
  }

  async function applyChosen() {
    const name = chosen;
    const params = { ...values[name] };
    if (name === colorTransferOp.name && !reference) {
      status.textContent = t('canvas.referenceNeeded');
      return;
    }
    applying = new AbortController();
    const { signal } = applying;
    apply.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    status.textContent = t('canvas.stylesApplying', { name });
    try {
      const image = await runOp(name, params, { signal, onProgress: ({ done }) => { progress.value = done; } });
      if (signal.aborted) return;
      await canvas.insertImage(image, { rect: region, recipe: styleRecipe(name, params) });
      dialog.close();
      notify(t('canvas.stylesApplied', { name }));
    } catch (err) {
      if (err.code === 'cancelled' || signal.aborted) return;
      status.textContent = t('canvas.stylesFailed', { message: err.message });
    } finally {
      applying = null;
      apply.disabled = false;
      progress.hidden = true;
    }
  }
}

// Flat, short values: recipes travel in share links, which take only plain fields.
function styleRecipe(name, params) {
  return { styleOp: name, styleParams: JSON.stringify(params) };
}

/** Up to 3 significant digits, without trailing zeros. */
function formatValue(value) {
  return String(Number(value.toPrecision(3)));
}
