// The drawing bot: reads each chat entry (commands.js), answers in the room document, and
// runs jobs: text-to-image generations (a card whose images land in the room's assets with
// their recipe), sketch-to-picture and upscales. Jobs never touch the canvas; their results arrive as messages
// the person may put on it, so an error or a cancel cannot lose anything the person made.

import { t } from '../i18n/i18n.js';
import {
  addAsset, addGenerationAsset, addMessage, findMessage, roomParts, setGenerationState,
} from '../room/room-doc.js';
import { parseCommand } from './commands.js';
import { randomSeed } from './draw-request.js';
import { loadTokenizer, promptWords } from './prompt-words.js';
import { pickModelSource } from './model-dialog.js';
import { pickStyle } from './style-picker.js';
import { restyleSets, styleFromWord } from './styles.js';

/** The browser's check: the model's own tokenizer; null (no check) if it cannot load. */
const checkWordsWithModelVocabulary = (prompt) => loadTokenizer().then((tokenizer) => promptWords(tokenizer, prompt), () => null);

export const botAuthor = { id: 'huabu-bot', name: 'Huabu' };
export const generationModel = 'huabu-tiny';
// A loaded diffusers-layout model's steps and guidance when none are typed: the pipeline's own
// defaults (DiffusersRequest, core/include/huabu/diffusers_pipeline.h), the way SD-Turbo runs.
const diffusersDefaults = { steps: 4, guidance: 0 };
const megabytes = (bytes) => (bytes / 1e6).toFixed(1);
const seconds = (ms) => (ms / 1000).toFixed(1);

// Upscales, sketches and style transfers report {stage: 'download'|'prepare'|'sketch'|'upscale', ...}.
function describeJobProgress(p, running = t('sketch.running')) {
  switch (p.stage) {
    case 'download':
      return { percent: p.total ? (100 * p.loaded) / p.total : 0, detail: t('gen.download', { loaded: megabytes(p.loaded), total: megabytes(p.total) }) };
    case 'prepare':
      return { percent: 100, detail: `${p.detail}…` };
    case 'sketch':
      return { percent: 100, detail: running };
    case 'upscale':
      return { percent: (100 * p.done) / p.total, detail: t('upscale.tile', { done: p.done, total: p.total }) };
    default:
      return { percent: 0, detail: t('gen.starting') };
  }
}

// One number for a generation's progress phases: the download up to 10%, sampling steps up to
// 90%, the x4 super-resolution the rest.
function generationFraction({ phase, done = 0, total = 0 }) {
  const part = total > 0 ? Math.min(1, done / total) : 0;
  if (phase === 'download') return 0.1 * part;
  if (phase === 'encode') return 0.1;
  if (phase === 'step') return 0.1 + 0.8 * part;
  if (phase === 'upscale') return 0.9 + 0.1 * part;
  return 0;
}

/** An ImageData as a WebP blob (quality 0.9), by the browser's encoder. */
async function rgbaToWebp(image) {
  const canvas = new OffscreenCanvas(image.width, image.height);
  canvas.getContext('2d').putImageData(image, 0, 0);
  return canvas.convertToBlob({ type: 'image/webp', quality: 0.9 });
}

// Previews arrive as encoded images ({bytes, mime}) or raw RGBA ({data, width, height}).
async function previewUrl(image) {
  if (image.bytes) return URL.createObjectURL(new Blob([image.bytes], { type: image.mime ?? 'image/webp' }));
  const canvas = new OffscreenCanvas(image.width, image.height);
  canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  return URL.createObjectURL(await canvas.convertToBlob());
}

/**
 * @param {object} deps
 * @param {import('yjs').Doc} deps.doc the open room
 * @param {{id: string, name: string}} deps.me the person in this browser
 * @param {import('../workers/worker-client.js').InferenceClient} deps.inference
 * @param {{snapshot: () => ImageData, replaceWith: (image: ImageData, o: object) => Promise<void>}} deps.canvas
 * @param {import('./asset-urls.js').AssetUrls} deps.assets
 * @param {(backend: object) => void} deps.onBackend
 * @param {(text: string) => void} deps.setComposerText puts a prompt up for editing (remix)
 * @param {(locale: string) => void} deps.switchLanguage /lang
 * @param {(prompt: string) => Promise<{known: string[], unknown: string[], drawable: boolean} | null>}
 *   [deps.checkWords] which words the model knows (prompt-words.js)
 * @param {(messageId: string, fraction: number) => void} [deps.onGenerationProgress] how far a
 *   generation card is, 0..1 (the embed API's progress event)
 * @param {(image: {bytes: Uint8Array, mime: string}) => Promise<boolean>} [deps.mayPost] whether a
 *   result may go into the room (the safety check in a room shared with others; main.js)
 */
export function createBot({
  doc, me, inference, canvas, assets, onBackend, setComposerText, switchLanguage, checkWords = checkWordsWithModelVocabulary,
  onGenerationProgress = () => {}, mayPost = async () => true,
}) {
  let view; // the ChatView, attached once it exists (it needs our actions first)
  const live = new Map(); // generation message id -> {controller, progress, previewUrls}
  const running = []; // cancel functions, newest last (Esc cancels the newest)
  let customModel = null; // a diffusers-layout model /draw uses instead of huabu-tiny: {modelId, name}

  const say = (text) => addMessage(doc, { kind: 'text', author: botAuthor, text });

  function track(cancel) {
    running.push(cancel);
    return () => running.splice(running.indexOf(cancel), 1);
  }

  // ---- text to image -----------------------------------------------------------------------

  // A new request from the chat: words the model does not know are named; a prompt with
  // nothing it knows gets an answer instead of a card of noise.
  async function requestDrawing(request, given) {
    // Only huabu-tiny has a closed vocabulary; a loaded model's CLIP tokenizer takes any text.
    const words = customModel ? null : await checkWords(request.prompt);
    if (words && !words.drawable) {
      say(t('draw.unknownWords', { prompt: request.prompt }));
      return;
    }
    if (words?.unknown.length) say(t('draw.someUnknown', { words: words.unknown.join(', ') }));
    await draw(request, given);
  }

  // `given`: the options the person typed; a loaded model takes its own defaults for the steps
  // and guidance not typed (huabu-tiny's 12 steps and guidance 4 would be wrong for SD-Turbo).
  // A reroll or variation (no `given`) repeats the recipe as it is.
  async function draw(request, given) {
    const model = customModel; // the model at the time of asking, even if another loads meanwhile
    const recipe = { ...request, seed: request.seed ?? randomSeed(), model: model?.name ?? generationModel };
    if (model) {
      recipe.style = 'any'; // huabu-tiny's emoji sets mean nothing to another model
      for (const key of ['steps', 'guidance']) if (given && !given.includes(key)) recipe[key] = diffusersDefaults[key];
    }
    const id = addMessage(doc, { kind: 'generation', author: { ...botAuthor, requester: me.id }, recipe, state: 'running' });
    const controller = new AbortController();
    const job = { controller, progress: null, previewUrls: [] };
    live.set(id, job);
    const untrack = track(() => controller.abort());
    view?.refresh(id);
    const started = performance.now();
    let previewsPending = Promise.resolve();
    try {
      const { prompt, style, seed, count, steps, guidance } = recipe;
      const options = {
        signal: controller.signal,
        onProgress: (p) => {
          job.progress = p;
          view?.updateLive(id);
          // Several downloads (the model, then the upscaler) each start from 0: never go back.
          job.fraction = Math.max(job.fraction ?? 0, generationFraction(p));
          onGenerationProgress(id, job.fraction);
          if (!p.preview?.images?.length) return;
          previewsPending = previewsPending.then(async () => {
            const urls = await Promise.all(p.preview.images.map(previewUrl));
            job.previewUrls.forEach((url) => URL.revokeObjectURL(url));
            job.previewUrls = urls;
            view?.updateLive(id);
          }).catch(() => {}); // a preview that cannot be shown is only a preview
        },
      };
      const result = model
        ? await inference.generateDiffusers(model.modelId, { prompt, seed, count, steps, guidance }, options)
        : await inference.generate({ prompt, style, seed, count, steps, guidance }, options);
      const finalRecipe = { ...recipe, ...(result.recipe ?? {}), ...(model ? { model: model.name } : {}) };
      let withheld = 0;
      for (const [index, image] of result.images.entries()) {
        if (!(await mayPost({ bytes: image.bytes, mime: image.mime ?? 'image/webp' }))) {
          withheld += 1;
          continue;
        }
        const assetId = await addAsset(doc, image.bytes, {
          mime: image.mime ?? 'image/webp', width: image.width, height: image.height, recipe: { ...finalRecipe, index },
        });
        addGenerationAsset(doc, id, assetId);
      }
      onBackendFrom(result);
      const done = t('gen.done', { seconds: seconds(performance.now() - started) });
      setGenerationState(doc, id, { state: 'done', recipe: finalRecipe, text: withheld ? `${done} ${t('safety.withheld', { n: withheld })}` : done });
    } catch (err) {
      if (err?.code === 'cancelled') setGenerationState(doc, id, { state: 'cancelled', text: t('gen.cancelled') });
      else setGenerationState(doc, id, { state: 'failed', text: t('gen.failed', { message: err?.message ?? String(err) }) });
    } finally {
      untrack();
      live.delete(id);
      await previewsPending;
      job.previewUrls.forEach((url) => URL.revokeObjectURL(url));
      view?.refresh(id);
    }
  }

  function onBackendFrom(result) {
    if (result?.backend) onBackend(result.backend);
  }

  // A request made again: the recipe without its seed (and without what the worker added).
  const requestFrom = ({ prompt, style, count, steps, guidance }) => ({ prompt, style, count, steps, guidance });

  // ---- your own model (diffusers layout) ----------------------------------------------------

  // "/model": the person picks a folder or a URL; the worker checks and loads it (one at a
  // time); /draw then uses it until "/model huabu". After a failed load /draw uses huabu-tiny.
  async function loadModel() {
    const source = await pickModelSource();
    if (!source) return;
    const name = source.files
      ? (source.files[0]?.webkitRelativePath?.split('/')[0] || 'model')
      : decodeURIComponent(new URL(source.baseUrl).pathname.split('/').filter(Boolean).pop() ?? 'model');
    const controller = new AbortController();
    const card = view.addProgressCard({ title: t('model.loading', { name }), onCancel: () => controller.abort() });
    const untrack = track(() => card.cancel());
    try {
      const loaded = await inference.loadDiffusersModel(source, {
        signal: controller.signal,
        onProgress: (p) => card.update(p.phase === 'download'
          ? { percent: p.total ? (100 * p.done) / p.total : 0, detail: t('model.fetching', { path: p.path || '…' }) }
          : { percent: 100, detail: t('model.preparing') }),
      });
      customModel = { modelId: loaded.modelId, name };
      const { width, height, sampler } = loaded.info ?? {};
      card.end(t('model.loaded', { name, size: width && height ? `${width}×${height}` : t('model.anySize'), sampler: sampler ?? '?' }));
    } catch (err) {
      if (err.code === 'cancelled') card.end(t('model.cancelled'));
      else {
        customModel = null; // the worker let go of the previous one before loading this one
        card.end(t('model.failed', { message: err.message, current: generationModel }), { error: true });
      }
    } finally {
      untrack();
    }
  }

  function useBuiltInModel() {
    customModel = null;
    say(t('model.builtIn', { name: generationModel }));
  }

  // ---- jobs on a picture: upscale, sketch to picture, restyle ---------------------------------

  // One shape for all three: a progress card with Cancel, the job, and its result posted as a
  // new image message with its recipe; the source (a chat image, the canvas) stays as it was.
  // `messages`: i18n keys {done, cancelled, failed}; `work(signal, card)` resolves with
  // {webp: Blob, width, height, recipe, doneParams?, backend?}. In a room shared with others
  // the result passes the safety check (mayPost) before it is posted.
  async function runCardJob({ title, messages, work, failure = () => null }) {
    const controller = new AbortController();
    const card = view.addProgressCard({ title, onCancel: () => controller.abort() });
    const untrack = track(() => card.cancel());
    try {
      const started = performance.now();
      const result = await work(controller.signal, card);
      if (result.backend) onBackend(result.backend);
      const bytes = new Uint8Array(await result.webp.arrayBuffer());
      if (!(await mayPost({ bytes, mime: 'image/webp' }))) {
        card.end(t('safety.notPosted'));
        return;
      }
      card.end(t(messages.done, { seconds: seconds(performance.now() - started), ...(result.doneParams ?? {}) }));
      const assetId = await addAsset(doc, bytes, {
        mime: 'image/webp', width: result.width, height: result.height, recipe: result.recipe,
      });
      addMessage(doc, { kind: 'image', author: botAuthor, assetId });
    } catch (err) {
      if (err.code === 'cancelled') card.end(t(messages.cancelled));
      else card.end(failure(err) ?? t(messages.failed, { message: err.message }), { error: true });
    } finally {
      untrack();
    }
  }

  const jobMessages = (prefix) => ({ done: `${prefix}.done`, cancelled: `${prefix}.cancelled`, failed: `${prefix}.failed` });

  // A worker result ({image, webp, backend, ...}) as runCardJob's result.
  const posted = (result, recipe) => {
    const { width, height } = result.image; // an ImageData's width and height do not spread
    return { webp: result.webp, width, height, backend: result.backend, recipe, doneParams: { backend: result.backend.label, width, height } };
  };

  function upscale(image, scale, source) {
    const what = t(source === 'canvas' || source === 'selection' ? `upscale.${source}` : 'upscale.image');
    return runCardJob({
      title: t('upscale.title', { what, scale }),
      messages: jobMessages('upscale'),
      work: async (signal, card) => {
        const result = await inference.upscale(image, { scale, signal, onProgress: (p) => card.update(describeJobProgress(p)) });
        return posted(result, { op: 'upscale', scale, source, model: result.modelId });
      },
    });
  }

  // The canvas (every visible layer over white paper; the selection if there is one) through
  // huabu-sketch; like every job, the result arrives as a message and the canvas stays as it was.
  function sketchCanvas(style) {
    const { image, source } = canvasSource();
    return runCardJob({
      title: t('sketch.title'),
      messages: jobMessages('sketch'),
      failure: (err) => (err.code === 'invalid_argument' && /empty sketch/.test(err.message) ? t('sketch.empty') : null),
      work: async (signal, card) => {
        const result = await inference.sketch(image, { style, signal, onProgress: (p) => card.update(describeJobProgress(p)) });
        return posted(result, { op: 'sketch', style: result.style, source, model: result.modelId });
      },
    });
  }

  // Restyle: a classic style (the core's style operations, `op`) or an emoji set's style by
  // huabu-style (`set`, e.g. 'fluent-3d') on a copy of a picture.
  async function styleOps() {
    try {
      return await inference.styleOps();
    } catch (err) {
      view.addLocalNotice(t('restyle.failed', { message: err.message }), { error: true });
      return null;
    }
  }

  function restyleImage(pixels, { op, set }, source) {
    const name = op ?? t(`restyle.set.${set}`);
    return runCardJob({
      title: t('restyle.running', { style: name }),
      messages: jobMessages('restyle'),
      work: async (signal, card) => {
        if (set) {
          const result = await inference.styleTransfer(pixels, {
            style: set, signal, onProgress: (p) => card.update(describeJobProgress(p, t('restyle.running', { style: name }))),
          });
          return posted(result, { op: 'restyle', style: set, source, model: result.modelId });
        }
        const result = await inference.stylize(pixels, op, {}, {
          signal, onProgress: (p) => card.update({ percent: 100 * p.done, detail: t('restyle.running', { style: op }) }),
        });
        return { webp: await rgbaToWebp(result), width: result.width, height: result.height, recipe: { op: 'restyle', style: op, source } };
      },
    });
  }

  /** Restyle under a chat image: the person picks the style. */
  async function restyle(assetId) {
    const ops = await styleOps();
    const chosen = ops && (await pickStyle(ops, restyleSets));
    if (chosen) await withPixels(assetId, (pixels) => restyleImage(pixels, chosen, assetId));
  }

  /** `/restyle [style]`: the canvas (or the selection); without a style the person picks one. */
  async function restyleCanvas(word) {
    const ops = await styleOps();
    if (!ops) return;
    let chosen = null;
    if (word) {
      const set = styleFromWord(word);
      if (ops.some((o) => o.name === word)) chosen = { op: word };
      else if (restyleSets.includes(set)) chosen = { set };
      else {
        say(t('restyle.unknown', { value: word, styles: [...ops.map((o) => o.name), ...restyleSets].join(', ') }));
        return;
      }
    }
    chosen ??= await pickStyle(ops, restyleSets);
    if (!chosen) return;
    const { image, source } = canvasSource();
    await restyleImage(image, chosen, source);
  }

  async function withPixels(assetId, fn) {
    let pixels;
    try {
      pixels = await assets.pixels(assetId);
    } catch (err) {
      view.addLocalNotice(t('image.unreadable', { message: err.message }), { error: true });
      return;
    }
    await fn(pixels);
  }

  // ---- what the chat's buttons do ------------------------------------------------------------

  const actions = {
    cancel: (id) => live.get(id)?.controller.abort(),
    reroll: (id) => {
      const recipe = findMessage(doc, id)?.get('recipe');
      if (recipe?.prompt) draw(requestFrom(recipe));
    },
    variations: (recipe) => draw(requestFrom(recipe)),
    remix: (recipe) => {
      const options = [];
      if (recipe.style && recipe.style !== 'any') options.push(`--style ${recipe.style}`);
      if (recipe.count) options.push(`--count ${recipe.count}`);
      if (recipe.steps) options.push(`--steps ${recipe.steps}`);
      if (recipe.guidance !== undefined) options.push(`--guidance ${recipe.guidance}`);
      setComposerText(`/draw ${recipe.prompt} ${options.join(' ')}`.trim());
      view.addLocalNotice(t('gen.remixHint'));
    },
    upscale: (assetId) => withPixels(assetId, (pixels) => upscale(pixels, 2, assetId)),
    restyle,
    // On the current layer, fitted into the selection (a region) or the picture; undoable.
    putOnCanvas: (assetId) => withPixels(assetId, async (pixels) => {
      const { assets: bytesById, assetInfo } = roomParts(doc);
      const info = assetInfo.get(assetId);
      await canvas.insertImage(pixels, { bytes: bytesById.get(assetId), mime: info.mime, recipe: info.recipe });
      view.addLocalNotice(t('image.putOnCanvasDone'));
    }),
    useAsCanvas: (assetId) => withPixels(assetId, async (pixels) => {
      const { assets: bytesById, assetInfo } = roomParts(doc);
      const info = assetInfo.get(assetId);
      await canvas.replaceWith(pixels, { bytes: bytesById.get(assetId), mime: info.mime, recipe: info.recipe });
      view.addLocalNotice(t('image.useAsCanvasDone', { width: pixels.width, height: pixels.height }));
    }),
  };

  /** Generations this browser started and did not finish (the page closed) are ended. */
  function endInterrupted() {
    for (const message of roomParts(doc).messages.toArray()) {
      if (message.get('kind') === 'generation' && message.get('state') === 'running'
        && message.get('author')?.requester === me.id && !live.has(message.get('id'))) {
        setGenerationState(doc, message.get('id'), { state: 'cancelled', text: t('gen.interrupted') });
      }
    }
  }

  return {
    actions,
    live,
    attach(chatView) {
      view = chatView;
      endInterrupted();
    },

    /** Handles one chat entry from the person. */
    handle(text) {
      addMessage(doc, { kind: 'text', author: me, text });
      const command = parseCommand(text);
      switch (command.kind) {
        case 'draw':
          return requestDrawing(command.request, command.given ?? []);
        case 'upscale':
          return upscaleCanvas(command.scale);
        case 'sketch':
          return sketchCanvas(command.style);
        case 'restyle':
          return restyleCanvas(command.op);
        case 'model':
          return command.builtIn ? useBuiltInModel() : loadModel();
        case 'help':
          return say(t('help.text'));
        case 'lang':
          if (command.locale) switchLanguage(command.locale);
          return say(t(command.locale ? 'lang.switched' : 'lang.current'));
        case 'invalid':
          return say(t(command.key, command.params));
        case 'unknown':
          return say(t(command.suggestion ? 'bot.unknownCommandSuggest' : 'bot.unknownCommand', command));
        case 'greeting':
          return say(t('bot.greeting'));
        default:
          return say(t('bot.notUnderstood', { text: text.trim().length > 60 ? `${text.trim().slice(0, 57)}…` : text.trim() }));
      }
    },
    upscaleCanvas,
    sketchCanvas,

    /** Cancels the newest running job (Esc); false when nothing runs. */
    cancelNewest() {
      const cancel = running.at(-1);
      cancel?.();
      return Boolean(cancel);
    },
  };

  // The selection when there is one (a region operation), else the whole picture.
  function canvasSource() {
    const selected = Boolean(canvas.getSelection?.());
    return { image: selected ? canvas.selectionImage() : canvas.snapshot(), source: selected ? 'selection' : 'canvas' };
  }

  function upscaleCanvas(scale) {
    const { image, source } = canvasSource();
    return upscale(image, scale, source);
  }
}
