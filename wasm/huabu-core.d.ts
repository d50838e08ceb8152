// Types of the raw Embind module built from wasm/bindings.cpp.
// tests/node/wasm-exports.test.mjs checks that every export below exists in the real
// module (and that the module exports nothing undeclared), so keep both in step.
// Application code should use wasm/huabu-core.js, which throws HuabuError instead of
// returning {ok: false} results. Memory rules: docs/wasm-boundary.md.
// Raw functions never throw for bad values (they return {ok: false, code: 'invalid_argument'});
// only a call with a wrong number of arguments makes Embind throw a BindingError, which
// huabu-core.js maps to HuabuError('invalid_argument').

export type ErrorCode =
  | 'invalid_argument' | 'out_of_range' | 'unsupported' | 'corrupt_data'
  | 'resource_exhausted' | 'cancelled' | 'internal';

export type Result<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

/** RGBA8, straight alpha, rows packed (stride = width * 4). */
export interface RgbaImage { width: number; height: number; data: Uint8Array; }

/** channels: 1 = grey sketch [size, size]; 3 = RGB picture, planar [3, size, size] (huabu-style). */
export interface SketchInputOptions { size: number; margin: number; inkLevel: number; channels: 1 | 3; }
export interface SketchInput { values: Float32Array; frame: { x: number; y: number; side: number }; }

export type ResizeFilter = 'nearest' | 'bilinear' | 'bicubic' | 'area' | 'lanczos3';

export interface TensorOptions {
  layout: 'nchw' | 'nhwc';
  /** 3 (RGB, alpha dropped) or 4 (RGBA). */
  channels: number;
  /** value = (byte * scale - mean[c]) / std[c]; the inverse on the way back (clamped, rounded). */
  scale: number;
  mean: number[];
  std: number[];
}

export interface WebpEncodeOptions { quality: number; lossless: boolean; }
export interface WebpDecodeLimits { maxWidth: number; maxHeight: number; maxPixels: number; }
export interface WebpInfo { width: number; height: number; hasAlpha: boolean; hasAnimation: boolean; }

export interface Tile {
  /** Region of the input to feed the model, overlap included. */
  x: number; y: number; width: number; height: number;
}

/** Blends upscaled tiles into one image with linear feathering across overlaps. */
export interface TileStitcher {
  /** Adds the model output for `tile` (its size is tile size times scale). */
  add(tile: Tile, output: RgbaImage): Result<null>;
  /** The stitched output, width*scale by height*scale. */
  finish(): Result<RgbaImage>;
  delete(): void;
}

/** Word tokenizer of Huabu's own text encoders (same ids as models/data/vocab/tokenizer.mjs). */
export interface WordTokenizer {
  /** maxLen (1..4096) ids: the prompt's words, then 0 (pad); malformed/huge text -> invalid_argument. */
  encode(text: string, maxLen: number): Result<BigInt64Array>;
  /** The English words the prompt becomes (Chinese phrases mapped through zh). */
  toWords(text: string): Result<string[]>;
  delete(): void;
}

/** CLIP's byte-level BPE tokenizer for diffusers-layout models (docs/pipelines.md). */
export interface ClipTokenizer {
  /** maxLength ids (default 77): bos, the prompt's tokens (truncated), eos, then the pad id. */
  encode(text: string): Result<BigInt64Array>;
  /** The prompt's token ids without bos/eos, padding or truncation. */
  tokenize(text: string): Result<BigInt64Array>;
  delete(): void;
}
export interface ClipTokenizerOptions {
  /** 2..4096, default 77. */
  maxLength?: number;
  /** A vocabulary token; default '<|endoftext|>' (SD 1.x); SD 2.x / SD-Turbo pad with '!'. */
  padToken?: string;
}

/** A tensor exchanged with a model runner (ONNX Runtime: new ort.Tensor(dtype, data, shape)). */
export interface ModelTensor {
  dtype: 'float32' | 'int64';
  shape: number[];
  data: Float32Array | BigInt64Array;
}

/** huabu-tiny request; omitted fields take the core's defaults (docs/pipelines.md). */
export interface TextToImageRequest {
  prompt: string;
  /** 0..6 (huabu-tiny: noto, twemoji, openmoji, fluent-flat, fluent-3d, openmoji-outline, any). Default 6. */
  style?: number;
  /** u64 as a BigInt, a decimal string or a safe integer. Default 0. */
  seed?: bigint | string | number;
  /** 1..8 images. Default 1. */
  count?: number;
  /** 1..200. Default 12. */
  steps?: number;
  /** 0..30. Default 4. */
  guidance?: number;
  /** 0..1: guidance only on steps starting at t > this; later steps run the prompt alone (half the cost). Default 0 (every step). */
  guidanceAbove?: number;
  sampler?: 'euler' | 'heun';
  /** Time-grid shift, default 1 (uniform). */
  shift?: number;
  /** A preview action after every k-th step; 0 (default) = none. */
  previewEvery?: number;
  /** Image-to-image: CHW floats in [-1, 1] (3 x 32 x 32), shared by every image. */
  initImage?: Float32Array;
  /** (0, 1]: the last floor(steps * strength) steps are run. Needs initImage. */
  strength?: number;
  /** 32 x 32 values in [0, 1]: 1 = generate, 0 = keep initImage. */
  mask?: Float32Array;
}

export type PipelineAction =
  | { kind: 'run'; model: string; inputs: Record<string, ModelTensor>; output: string; step: number; steps: number }
  | { kind: 'preview' | 'done'; step: number; steps: number; count: number; channels: number; width: number;
      height: number; /** count x channels x height x width, in [-1, 1] */ images: Float32Array };

/** Sans-IO generation: next() says what to run, provide() takes the outputs. */
export interface TextToImagePipeline {
  /** Errors: cancelled (after cancel()), invalid_argument (outputs awaited, or finished). */
  next(): Result<PipelineAction>;
  /** Outputs of the last 'run' action by name; checked (name, dtype, shape, finite values). */
  provide(outputs: Record<string, ModelTensor>): Result<null>;
  /** The next next() returns a 'cancelled' error. */
  cancel(): void;
  delete(): void;
}
/** One input/output of a graph as ONNX Runtime reports it; shape entries -1 when symbolic. */
export interface GraphPort { name: string; dtype: string; shape: number[]; }
export interface GraphSignature { inputs: GraphPort[]; outputs: GraphPort[]; }

/** A diffusers-layout model as the core needs it (docs/pipelines.md, "Diffusers-layout models"). */
export interface DiffusersModelDescription {
  graphs: { text_encoder: GraphSignature; unet: GraphSignature; vae_decoder: GraphSignature };
  /** scheduler/scheduler_config.json as parsed (diffusers' key names; absent/null keys take diffusers' defaults). */
  scheduler: Record<string, unknown>;
  /** vae_decoder/config.json as parsed (scaling_factor, block_out_channels), optional. */
  vae?: Record<string, unknown>;
}

/** What validation learnt: fixed sizes are -1 when the graphs leave them symbolic. */
export interface DiffusersModelInfo {
  hidden: number; latentChannels: number; latentHeight: number; latentWidth: number; tokens: number;
  unetBatch: number; vaeScale: number; scalingFactor: number;
  defaultSampler: 'euler' | 'euler-ancestral' | 'ddim' | 'lcm';
}

export interface DiffusersRequest {
  prompt: string;
  /** The unconditional branch when guidance > 1. Default ''. */
  negativePrompt?: string;
  seed?: bigint | string | number;
  /** 1..8 images, run one after another. Default 1. */
  count?: number;
  /** 1..200 per image. Default 4. */
  steps?: number;
  /** 0..30; <= 1 (default 0) = no classifier-free guidance, as SD-Turbo. */
  guidance?: number;
  /** Default: from the scheduler's _class_name. */
  sampler?: 'euler' | 'euler-ancestral' | 'ddim' | 'lcm';
  /** Pixels, a multiple of the VAE scale; default the UNet's fixed size or 512. */
  width?: number;
  height?: number;
}

/** A run input: the core's float32/int64 values and the dtype the graph declares (narrow to it). */
export type DiffusersTensor = ModelTensor & { graphDtype: string };

export type DiffusersAction =
  | { kind: 'run'; model: 'text_encoder' | 'unet' | 'vae_decoder'; inputs: Record<string, DiffusersTensor>; output: string;
      step: number; steps: number }
  | { kind: 'done'; step: number; steps: number; count: number; channels: 3; width: number; height: number;
      /** count x 3 x height x width, in [-1, 1] */ images: Float32Array };

/** Sans-IO diffusers-layout generation; outputs are provided as float32 (widen float16). */
export interface DiffusersTextToImagePipeline {
  next(): Result<DiffusersAction>;
  provide(outputs: Record<string, ModelTensor>): Result<null>;
  /** What this request runs: steps = UNet steps over all images. */
  info(): { sampler: string; width: number; height: number; count: number; steps: number };
  cancel(): void;
  delete(): void;
}
/** One parameter of a style operation (docs/image-ops.md lists them all). */
export interface StyleParam { name: string; min: number; max: number; default: number; integer: boolean; help: string; }
/** rowLocal: an output row depends only on nearby input rows, so stylize() can make a band. */
export interface StyleOp { name: string; summary: string; params: StyleParam[]; rowLocal: boolean; }
export type Dither = 'none' | 'ordered' | 'floyd-steinberg';

export interface HuabuCoreModule {
  version(): string;
  maxImagePixels(): number;

  resize(image: RgbaImage, width: number, height: number, filter: ResizeFilter): Result<RgbaImage>;
  crop(image: RgbaImage, x: number, y: number, width: number, height: number): Result<RgbaImage>;
  premultiply(image: RgbaImage): Result<RgbaImage>;
  unpremultiply(image: RgbaImage): Result<RgbaImage>;
  /** Source-over compositing of `src` onto `dst` at (x, y); returns the new destination. */
  compositeOver(dst: RgbaImage, src: RgbaImage, x: number, y: number): Result<RgbaImage>;

  imageToTensor(image: RgbaImage, options: TensorOptions): Result<Float32Array>;
  tensorToImage(data: Float32Array, width: number, height: number, options: TensorOptions): Result<RgbaImage>;

  /** Omitted options/fields default to {quality: 75, lossless: false}. */
  encodeWebp(image: RgbaImage, options?: Partial<WebpEncodeOptions>): Result<Uint8Array>;
  /** Omitted limits/fields default to the core's image limits (16384 x 16384, maxImagePixels()). */
  decodeWebp(bytes: Uint8Array, limits?: Partial<WebpDecodeLimits>): Result<RgbaImage>;
  webpInfo(bytes: Uint8Array): Result<WebpInfo>;

  /** Philox4x32-10 words: `count` uint32 from (seed, stream), counter starting at 0. */
  philoxU32(seedHi: number, seedLo: number, stream: number, count: number): Result<Uint32Array>;
  /** Standard normal floats, bit-identical native and wasm. */
  philoxNormal(seedHi: number, seedLo: number, stream: number, count: number): Result<Float32Array>;

  planTiles(width: number, height: number, tileSize: number, overlap: number): Result<Tile[]>;
  /** Output is (width*scale) x (height*scale); `overlap` is in input pixels, as given to planTiles. */
  createTileStitcher(width: number, height: number, scale: number, overlap: number): Result<TileStitcher>;

  /** words: vocab.json's words (index = id); zh: zh.json as parsed by JSON.parse. */
  createWordTokenizer(words: string[], zh: Record<string, string>): Result<WordTokenizer>;
  /** vocab.json and merges.txt as text or raw bytes; malformed files -> invalid_argument naming the file. */
  createClipTokenizer(vocabJson: string | Uint8Array, mergesTxt: string | Uint8Array,
                      options?: ClipTokenizerOptions): Result<ClipTokenizer>;
  /** The tokenizer is only read during the call (the pipeline keeps the ids). */
  createTextToImage(tokenizer: WordTokenizer, request: TextToImageRequest): Result<TextToImagePipeline>;
  /** Checks a diffusers-layout model's graph signatures and configs (names, dtypes, ranks). */
  validateDiffusersModel(model: DiffusersModelDescription): Result<DiffusersModelInfo>;
  /** The tokenizer is used during the call only (the pipeline keeps the ids). */
  createDiffusersTextToImage(tokenizer: ClipTokenizer, model: DiffusersModelDescription,
                             request: DiffusersRequest): Result<DiffusersTextToImagePipeline>;
  /**
   * A drawing on a canvas as huabu-sketch's input: cropped to the ink, squared with a margin,
   * centred, size x size grey values (paper +1, ink -1); `frame` is the canvas square shown.
   * Defaults {size: 128, margin: 0.06, inkLevel: 0.25}; an empty drawing is invalid_argument.
   */
  sketchInput(image: RgbaImage, options?: Partial<SketchInputOptions>): Result<SketchInput>;
  /** The stylize operations with their parameters, ranges and defaults, in menu order. */
  styleOps(): StyleOp[];
  /**
   * Runs a style ('lineart', 'ink', 'oil', ...) with `params` ({name: number}; omitted ones take
   * their defaults). `onProgress(fraction)` is called between strips; returning false cancels
   * (result code 'cancelled'). Same size as the input, alpha kept. With `rows` (rowLocal
   * operations only) just output rows [first, first + count) (count 0: to the end), byte-identical
   * to those rows of the whole result: band workers each make one (web/src/workers/stylize-bands.js).
   */
  stylize(image: RgbaImage, op: string, params: Record<string, number>,
          onProgress?: ((fraction: number) => boolean | void) | undefined,
          rows?: { first: number; count: number }): Result<RgbaImage>;
  /** Median-cut palette of up to `colors` (1..256) colours as r, g, b triples, most used first. */
  extractPalette(image: RgbaImage, colors: number): Result<Uint8Array>;
  /** Each pixel to the nearest colour of `palette` (r, g, b triples), optionally dithered. */
  quantize(image: RgbaImage, palette: Uint8Array, dither: Dither): Result<RgbaImage>;
  /** Reinhard colour transfer in Oklab towards `reference`; strength 0..1. */
  colorTransfer(image: RgbaImage, reference: RgbaImage, strength: number): Result<RgbaImage>;
}

declare const factory: (options?: { wasmBinary?: ArrayBuffer | Uint8Array; locateFile?: (path: string) => string }) => Promise<HuabuCoreModule>;
export default factory;
