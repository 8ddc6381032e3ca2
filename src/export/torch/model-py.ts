/**
 * The text of model.py: the architecture as PyTorch modules (build_model), the preprocessing
 * inside forward, the class names, a safetensors reader and writer (json + struct + torch: no
 * other package), and load_model(weights_path) → the model with its weights, in eval mode.
 *
 * The model is `class Model(<the root's PyTorch class>)`, so its state-dict names are the root's
 * own (`0.weight`, `1.running_mean`, …); the standardization's mean and std are non-persistent
 * buffers (they follow .to(device) and stay out of state_dict()).
 */
import type { Preprocess } from '../../serialize/preprocess.js';
import { definitions, formatCall, type TorchCall } from './torch-modules.js';
import { pyInt, pyValue, type PyValue } from './python-literals.js';

function preprocessValue(p: Preprocess | null): PyValue {
  if (p === null) return null;
  const value: Record<string, PyValue> = { input_shape: p.inputShape, mean: p.mean, std: p.std };
  if (p.image) value.image = { channels: p.image.channels, height: p.image.height, width: p.image.width };
  if (p.characters) value.characters = { context: p.characters.context };
  return value;
}

function inputDescription(p: Preprocess | null, ids: boolean): string {
  if (p?.characters) return 'ids: int64 character ids [N, T], T <= CONTEXT (see encode) -> logits [N, T, len(VOCABULARY)]';
  if (ids) return `x: integer ids (torch.int64) ${p === null ? '[N, ...]' : `[N, ${p.inputShape.join(', ')}]`}, used as they are`;
  if (p === null) return 'x: the network\'s input (no preprocessing was given to the export)';
  const shape = `[N, ${p.inputShape.join(', ')}]`;
  return p.image ? `x: raw images ${shape}, pixels in [0, 1]` : `x: raw samples ${shape}`;
}

/**
 * A character language model's vocabulary (its classes: id k is the character CLASSES[k], id 0 '' stands
 * for any other character, as src/text/char-vocab.ts) and the encode/decode a PyTorch user needs.
 */
function vocabularySource(context: number): string {
  return `
# A character language model: CLASSES is its vocabulary (id k is the character VOCABULARY[k]; id 0, '',
# stands for every character outside it), and it reads at most CONTEXT characters at a time.
VOCABULARY = CLASSES
CONTEXT = ${pyInt(context)}


def encode(text):
    """text -> int64 ids [1, len(text)] (characters outside the vocabulary get id 0)."""
    ids = {c: i for i, c in enumerate(VOCABULARY) if c}
    return torch.tensor([[ids.get(c, 0) for c in text]], dtype=torch.int64)


def decode(ids):
    """Ids (a list or a tensor) -> text (id 0 decodes to nothing)."""
    return ''.join(VOCABULARY[i] for i in torch.as_tensor(ids).reshape(-1).tolist())
`;
}

/** `ids`: the model's first module is an Embedding/EmbeddingBag, so its input is integer ids, never standardized. */
export function modelPySource(root: TorchCall, preprocess: Preprocess | null, classes: string[] | null, ids = false): string {
  const build = formatCall({ ...root, cls: 'Model' }, '    ');
  const classDefinitions = definitions(root).map((d) => `\n\n${d}`).join('');
  const vocabulary = preprocess?.characters && classes !== null ? vocabularySource(preprocess.characters.context) : '';
  return `"""A nabla model for PyTorch: architecture, preprocessing and class names.

Written by nabla's exportTorch. The weights are in model.safetensors beside this file, under
PyTorch's state-dict names. Needs only torch and Python's standard library.

    from model import load_model
    model = load_model()        # or load_model('path/to/weights.safetensors')
    logits = model(x)           # ${inputDescription(preprocess, ids)}

The model standardizes its input itself, x -> (x - mean) / std with PREPROCESS's mean and std,
so it takes the same raw input as nabla's model file (a model whose first module is an Embedding
or EmbeddingBag takes int64 ids, which it uses as they are: INPUT_IDS). BatchNorm's num_batches_tracked is 0 in
the exported weights: nabla does not count batches (PyTorch reads the count only when momentum
is None).
"""
import json
import os
import struct
import sys

import torch
from torch import nn

# CLASSES[k] names output k (None: the export was given no class names).
CLASSES = ${pyValue(classes)}

# Raw input -> the network's input: (x - mean) / std, mean and std one value or one per entry of
# input_shape[0] (an image's channels, a table's features). None: the input is used as is.
PREPROCESS = ${pyValue(preprocessValue(preprocess))}

# True: the input is integer ids (torch.int64) for an Embedding/EmbeddingBag, never standardized.
INPUT_IDS = ${ids ? 'True' : 'False'}
${vocabulary}${classDefinitions}

class Model(${root.cls}):
    """The network, standardizing its raw input first (see PREPROCESS)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if PREPROCESS is not None and not INPUT_IDS:
            per_entry = [-1] + [1] * (len(PREPROCESS['input_shape']) - 1)
            mean = torch.tensor(PREPROCESS['mean'], dtype=torch.float32).reshape(per_entry)
            std = torch.tensor(PREPROCESS['std'], dtype=torch.float32).reshape(per_entry)
            self.register_buffer('input_mean', mean, persistent=False)
            self.register_buffer('input_std', std, persistent=False)

    def forward(self, x):
        if PREPROCESS is not None and not INPUT_IDS:
            x = (x - self.input_mean) / self.input_std
        return super().forward(x)


def build_model():
    """The architecture, with PyTorch's default initialization (load_model adds the weights)."""
    return ${build}


_DTYPES = {
    'F64': (torch.float64, 'd'), 'F32': (torch.float32, 'f'), 'F16': (torch.float16, 'e'),
    'BF16': (torch.bfloat16, None), 'I64': (torch.int64, 'q'), 'I32': (torch.int32, 'i'),
    'I16': (torch.int16, 'h'), 'I8': (torch.int8, 'b'), 'U8': (torch.uint8, 'B'), 'BOOL': (torch.bool, '?'),
}


def read_safetensors(path):
    """A safetensors file as {name: tensor}."""
    if sys.byteorder != 'little':
        raise RuntimeError('read_safetensors: safetensors data is little-endian; this reader needs a little-endian machine')
    with open(path, 'rb') as f:
        data = f.read()
    (header_size,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + header_size])
    start = 8 + header_size
    tensors = {}
    for name, entry in header.items():
        if name == '__metadata__':
            continue
        if entry['dtype'] not in _DTYPES:
            raise ValueError(f'{path}: tensor {name!r} has dtype {entry["dtype"]}, which this reader does not know')
        dtype = _DTYPES[entry['dtype']][0]
        begin, end = entry['data_offsets']
        raw = bytearray(data[start + begin:start + end])
        flat = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(entry['shape'])
    return tensors


def write_safetensors(tensors, path):
    """Writes {name: tensor} as a safetensors file (written beside, then renamed into place)."""
    header, chunks, offset = {'__metadata__': {'format': 'pt'}}, [], 0
    for name, t in tensors.items():
        code = next((c for dtype, c in _DTYPES.values() if dtype == t.dtype and c is not None), None)
        if code is None:
            raise ValueError(f'{path}: cannot write tensor {name!r} of dtype {t.dtype}')
        values = t.detach().cpu().contiguous().reshape(-1).tolist()
        chunk = struct.pack(f'<{len(values)}{code}', *values)
        dtype_name = next(k for k, (dtype, _) in _DTYPES.items() if dtype == t.dtype)
        header[name] = {'dtype': dtype_name, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(chunk)]}
        chunks.append(chunk)
        offset += len(chunk)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    tmp = f'{path}.{os.getpid()}.tmp'
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text)
        for chunk in chunks:
            f.write(chunk)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load_model(weights_path=None):
    """build_model() with the weights (default: model.safetensors beside this file), in eval mode."""
    if weights_path is None:
        weights_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'model.safetensors')
    model = build_model()
    model.load_state_dict(read_safetensors(weights_path))
    return model.eval()
`;
}
