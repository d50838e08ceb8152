"""Builds a tiny diffusers-layout ONNX model set with RANDOM weights: a test fixture, not a model.

The graphs have the input/output names, dtypes and rank patterns (symbolic dims named as the
exports use them) of the ONNX Runtime Web SD-Turbo demo and of diffusers/optimum ONNX exports:

  text_encoder/model.onnx  input_ids int32 [batch_size, 77]
                           -> last_hidden_state float32 [batch_size, 77, hidden],
                              pooler_output float32 [batch_size, hidden]
  unet/model.onnx          sample float32 [batch_size, num_channels, height, width],
                           timestep int64 [steps],
                           encoder_hidden_states float32 [batch_size, sequence_length, hidden]
                           -> out_sample float32 [batch_size, num_channels, height, width]
  vae_decoder/model.onnx   latent_sample float32 [batch_size, num_channels_latent, height_latent, width_latent]
                           -> sample float32 [batch_size, 3, 8 height_latent, 8 width_latent]

Only the sizes are small: hidden 32 (SD-Turbo: 1024), 4 latent channels, a x8 decoder (so 8x8
latents -> 64x64 pixels). The graphs are written in operators that both onnxruntime and the
native engine (OpenCV dnn 4.6, which pins the symbolic dims at load) run, so the same files
test the pipeline in the browser and in `huabu-cli generate --model-dir`. Plus tokenizer files (the learned test vocabulary of
tests/data/clip-bpe/), SD-Turbo's scheduler settings, and two variants the tests swap in:
a UNet with float16 inputs/outputs (as `--fp16` exports), one with float16 weights behind
float32 inputs/outputs, and one whose timestep is float32.

Run (1 thread, low priority, the machine is shared):
  nice -n 15 /usr/bin/python3 models/diffusers-tiny/make_tiny_diffusers.py
Writes tests/data/diffusers-tiny/ and tests/data/diffusers-tiny-variants/.
"""
import json
import os
import shutil
import sys

import onnx
import onnx.numpy_helper
import torch
from torch import nn

torch.set_num_threads(1)
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'models', 'tiny'))
import opencv_compat as C  # noqa: E402  (the export forms OpenCV dnn 4.6 imports)
OUT = os.path.join(ROOT, 'tests', 'data', 'diffusers-tiny')
VARIANTS = os.path.join(ROOT, 'tests', 'data', 'diffusers-tiny-variants')
VOCAB = os.path.join(ROOT, 'tests', 'data', 'clip-bpe')
HIDDEN = 32
TOKENS = 77
LATENT = 4
OPSET = 17


class TextEncoder(nn.Module):
    """Token + position embeddings, one MLP block, a final norm (CLIP's outline, much smaller).
    Written in operators the native engine (OpenCV dnn 4.6) imports, with the same helpers
    as huabu-tiny's export (models/tiny/opencv_compat.py): the token lookup as one-hot rows
    times the table (no Gather with run-time indices), LayerNorm as InstanceNormalization,
    GELU with a Mul. The sequence length is fixed at 77, as in the SD-Turbo demo's export."""

    def __init__(self, vocab):
        super().__init__()
        self.tokens = nn.Parameter(torch.randn(vocab, HIDDEN))
        self.positions = nn.Parameter(torch.randn(TOKENS, HIDDEN) * 0.02)
        self.one_hot = nn.ModuleList(C.one_hot_layers(vocab))
        self.norm1 = C.LayerNorm2d(nn.LayerNorm(HIDDEN))
        self.fc1, self.fc2 = nn.Linear(HIDDEN, 2 * HIDDEN), nn.Linear(2 * HIDDEN, HIDDEN)
        self.norm = C.LayerNorm2d(nn.LayerNorm(HIDDEN))

    def forward(self, input_ids):
        rows = C.one_hot(input_ids.float().reshape(-1, 1), self.one_hot) @ self.tokens  # [B*77, hidden]
        x = (rows.reshape(-1, TOKENS, HIDDEN) + self.positions).reshape(-1, HIDDEN)
        x = x + self.fc2(C.gelu_erf(self.fc1(self.norm1(x))))
        hidden = self.norm(x).reshape(-1, TOKENS, HIDDEN)
        # CLIP pools at the end-of-text token (the highest id); this stand-in takes the mean.
        return hidden, hidden.mean(dim=1)


class Unet(nn.Module):
    """Conditioned on the timestep (sinusoidal embedding) and the mean text state. The
    conditioning vector is spread over the latent's height and width by a nearest Resize to
    the sample's size before it is added: OpenCV 4.6 cannot broadcast a [B, C, 1, 1] Add."""

    def __init__(self, io_dtype=torch.float32, timestep_float=False):
        super().__init__()
        self.io_dtype = io_dtype
        self.timestep_float = timestep_float
        self.inp = nn.Conv2d(LATENT, 16, 3, padding=1)
        self.time = nn.Linear(16, 16)
        self.text = nn.Linear(HIDDEN, 16)
        self.mid = nn.Conv2d(16, 16, 3, padding=1)
        self.out = nn.Conv2d(16, LATENT, 3, padding=1)
        self.register_buffer('freqs', torch.exp(torch.arange(8, dtype=torch.float32) * (-9.21 / 8))[None])

    def forward(self, sample, timestep, encoder_hidden_states):
        if self.io_dtype != torch.float32:  # no Casts in the float32 graph (OpenCV 4.6 mis-plans a batch of 2 after them)
            sample = sample.float()
            encoder_hidden_states = encoder_hidden_states.float()
        angles = timestep.float().reshape(-1, 1) @ self.freqs
        t_emb = self.time(torch.cat([torch.sin(angles), torch.cos(angles)], dim=1))  # [steps, 16], broadcast
        c_emb = self.text(encoder_hidden_states.mean(dim=1))
        h = self.inp(sample)
        # [B, 16] first: OpenCV 4.6 sizes a broadcasting Add by its first input
        cond = torch.nn.functional.interpolate((c_emb + t_emb)[:, :, None, None], size=h.shape[-2:], mode='nearest')
        h = torch.nn.functional.silu(h + cond)
        h = torch.nn.functional.silu(self.mid(h))
        out = self.out(h)
        return out if self.io_dtype == torch.float32 else out.to(self.io_dtype)


class VaeDecoder(nn.Module):
    """x8 nearest upsampling in three steps with convolutions, 4 -> 3 channels."""

    def __init__(self):
        super().__init__()
        self.inp = nn.Conv2d(LATENT, 16, 3, padding=1)
        self.ups = nn.ModuleList([nn.Conv2d(16, 16, 3, padding=1) for _ in range(3)])
        self.out = nn.Conv2d(16, 3, 3, padding=1)

    def forward(self, latent_sample):
        h = self.inp(latent_sample)
        for conv in self.ups:
            h = torch.nn.functional.silu(conv(torch.nn.functional.interpolate(h, scale_factor=2.0, mode='nearest')))
        return self.out(h)


def export(module, args, path, inputs, outputs, dynamic_axes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.onnx.export(module.eval(), args, path, input_names=inputs, output_names=outputs,
                      dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)
    onnx.save(C.inline_constant_identities(onnx.load(path)), path)
    print(f'{os.path.relpath(path, ROOT)}: {os.path.getsize(path)} bytes')


def pin_text_dims(path):
    """The exporter names the text state's length and width after internal nodes; exports declare them (77, 1024 in SD-Turbo)."""
    model = onnx.load(path)
    for output in model.graph.output:
        dims = output.type.tensor_type.shape.dim
        dims[-1].dim_value = HIDDEN
        if len(dims) == 3:
            dims[1].dim_value = TOKENS
    onnx.checker.check_model(model)
    onnx.save(model, path)


def store_weights_as_float16(src, dst):
    """float16 initializers, each Cast back to float32 where it is used: IO and arithmetic stay
    float32, as in exports that keep float32 inputs/outputs around float16 weights."""
    model = onnx.load(src)
    graph = model.graph
    casts = []
    for init in graph.initializer:
        if init.data_type != onnx.TensorProto.FLOAT:
            continue
        values = onnx.numpy_helper.to_array(init).astype('float16')
        name = init.name
        init.CopyFrom(onnx.numpy_helper.from_array(values, name + '_f16'))
        casts.append(onnx.helper.make_node('Cast', [name + '_f16'], [name], to=onnx.TensorProto.FLOAT))
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    print(f'{os.path.relpath(dst, ROOT)}: {os.path.getsize(dst)} bytes')


def write_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(value, f, indent=2)
        f.write('\n')


def main():
    torch.manual_seed(20261124)
    with open(os.path.join(VOCAB, 'vocab.json'), encoding='utf-8') as f:
        vocab_size = len(json.load(f))
    ids = torch.zeros(1, TOKENS, dtype=torch.int32)
    latents = torch.randn(1, LATENT, 8, 8)
    states = torch.randn(1, TOKENS, HIDDEN)
    batch_seq = {0: 'batch_size', 1: 'sequence_length'}
    batch = {0: 'batch_size'}
    latent_axes = {0: 'batch_size', 1: 'num_channels', 2: 'height', 3: 'width'}
    unet_axes = {'sample': latent_axes, 'timestep': {0: 'steps'}, 'encoder_hidden_states': batch_seq,
                 'out_sample': latent_axes}
    unet_io = (['sample', 'timestep', 'encoder_hidden_states'], ['out_sample'])

    export(TextEncoder(vocab_size), (ids,), os.path.join(OUT, 'text_encoder', 'model.onnx'),
           ['input_ids'], ['last_hidden_state', 'pooler_output'],
           {'input_ids': batch, 'last_hidden_state': batch, 'pooler_output': batch})
    pin_text_dims(os.path.join(OUT, 'text_encoder', 'model.onnx'))
    unet = Unet()
    export(unet, (latents, torch.tensor([999], dtype=torch.int64), states), os.path.join(OUT, 'unet', 'model.onnx'),
           *unet_io, unet_axes)
    export(VaeDecoder(), (latents,), os.path.join(OUT, 'vae_decoder', 'model.onnx'), ['latent_sample'], ['sample'],
           {'latent_sample': {0: 'batch_size', 1: 'num_channels_latent', 2: 'height_latent', 3: 'width_latent'},
            'sample': {0: 'batch_size', 1: 'num_channels', 2: 'height', 3: 'width'}})

    # Variants with the same weights: float16 IO (as --fp16 exports) and a float32 timestep.
    half = Unet(io_dtype=torch.float16)
    half.load_state_dict(unet.state_dict())
    export(half, (latents.half(), torch.tensor([999], dtype=torch.int64), states.half()),
           os.path.join(VARIANTS, 'unet-float16-io.onnx'), *unet_io, unet_axes)
    float_t = Unet(timestep_float=True)
    float_t.load_state_dict(unet.state_dict())
    export(float_t, (latents, torch.tensor([999.0]), states), os.path.join(VARIANTS, 'unet-float-timestep.onnx'),
           *unet_io, unet_axes)

    os.makedirs(os.path.join(OUT, 'tokenizer'), exist_ok=True)
    store_weights_as_float16(os.path.join(OUT, 'unet', 'model.onnx'), os.path.join(VARIANTS, 'unet-float16-weights.onnx'))

    for name in ('vocab.json', 'merges.txt'):
        shutil.copyfile(os.path.join(VOCAB, name), os.path.join(OUT, 'tokenizer', name))
    write_json(os.path.join(OUT, 'tokenizer', 'special_tokens_map.json'),
               {'bos_token': '<|startoftext|>', 'eos_token': '<|endoftext|>', 'pad_token': '!', 'unk_token': '<|endoftext|>'})
    write_json(os.path.join(OUT, 'tokenizer', 'tokenizer_config.json'),
               {'model_max_length': TOKENS, 'pad_token': '!', 'tokenizer_class': 'CLIPTokenizer'})
    # SD-Turbo's scheduler settings.
    write_json(os.path.join(OUT, 'scheduler', 'scheduler_config.json'), {
        '_class_name': 'EulerDiscreteScheduler', 'beta_end': 0.012, 'beta_schedule': 'scaled_linear',
        'beta_start': 0.00085, 'interpolation_type': 'linear', 'num_train_timesteps': 1000,
        'prediction_type': 'epsilon', 'set_alpha_to_one': False, 'steps_offset': 1,
        'timestep_spacing': 'trailing', 'use_karras_sigmas': False})
    write_json(os.path.join(OUT, 'vae_decoder', 'config.json'),
               {'_class_name': 'AutoencoderKL', 'block_out_channels': [16, 16, 16, 16], 'latent_channels': LATENT,
                'scaling_factor': 0.18215, 'sample_size': 64})
    write_json(os.path.join(OUT, 'model_index.json'), {
        '_class_name': 'OnnxStableDiffusionPipeline', 'note': 'Huabu test fixture: random weights, not a model',
        'text_encoder': ['onnxruntime', 'OnnxRuntimeModel'], 'unet': ['onnxruntime', 'OnnxRuntimeModel'],
        'vae_decoder': ['onnxruntime', 'OnnxRuntimeModel'], 'tokenizer': ['transformers', 'CLIPTokenizer'],
        'scheduler': ['diffusers', 'EulerDiscreteScheduler']})


if __name__ == '__main__':
    main()
