"""safetensors with only json, struct and torch (the tests' own codec, independent of model.py's)."""
import json
import struct

import torch

_CODES = {torch.float32: ('F32', 'f'), torch.float64: ('F64', 'd'), torch.int64: ('I64', 'q'), torch.int32: ('I32', 'i')}
_DTYPES = {name: (dtype, code) for dtype, (name, code) in _CODES.items()}


def write(tensors, path):
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        dtype, code = _CODES[t.dtype]
        values = t.detach().contiguous().reshape(-1).tolist()
        chunk = struct.pack(f'<{len(values)}{code}', *values)
        header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(chunk)]}
        chunks.append(chunk)
        offset += len(chunk)
    text = json.dumps(header).encode()
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(chunks))


def read(path):
    with open(path, 'rb') as f:
        data = f.read()
    (size,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + size])
    out = {}
    for name, entry in header.items():
        if name == '__metadata__':
            continue
        dtype, code = _DTYPES[entry['dtype']]
        begin, end = entry['data_offsets']
        count = (end - begin) // struct.calcsize(code)
        values = struct.unpack(f'<{count}{code}', data[8 + size + begin:8 + size + end])
        out[name] = torch.tensor(values, dtype=dtype).reshape(entry['shape'])
    return out
