"""The PyTorch side of test/export-torch.test.ts, in one Python start-up.

    python3 torch_check.py JOB.json  ->  a JSON report on stdout

JOB: { "exports": [{ "name", "dir", "input", "output", "state"? }], "reverse": { "dir", "mlp", "cnn" } }

- exports: imports DIR/model.py, load_model(), runs it on the raw input file, writes the output;
  reports the state-dict names and dtypes (of the module and of the file), CLASSES, PREPROCESS,
  the training flag, model.py's imports and, for a character model, VOCABULARY, CONTEXT and
  encode/decode of VOCABULARY_PROBE; with "state", also writes the loaded module's
  state_dict() there (PyTorch's own writing, for loadTorchStateDict).
- reverse: builds the same MLP and CNN as nabla's buildMlp/buildCnn in plain PyTorch, trains each
  a few steps (so BatchNorm's statistics and num_batches_tracked move), writes the state dicts
  (F32, and the MLP's also in F64), a raw input and the eval outputs.
"""
import ast
import importlib.util
import json
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import st_io  # noqa: E402

torch.set_num_threads(1)


def flat(y):
    """A recurrent layer's (output, h) or (output, (h, c)) as one tensor, each part flattened, in that order."""
    if not isinstance(y, tuple):
        return y
    return torch.cat([flat(t).reshape(-1) for t in y])


# Text a character model's encode/decode is checked on: known characters, one outside any vocabulary.
VOCABULARY_PROBE = 'ab é😀\n?'


def check_export(job):
    path = os.path.join(job['dir'], 'model.py')
    spec = importlib.util.spec_from_file_location(f"exported_{job['name']}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.load_model(os.path.join(job['dir'], 'model.safetensors'))
    x = st_io.read(job['input'])['x']
    with torch.no_grad():
        y = flat(model(x))
    st_io.write({'y': y}, job['output'])
    if 'state' in job:
        st_io.write(model.state_dict(), job['state'])
    imports = set()
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.Import):
            imports.update(a.name.split('.')[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            imports.add(node.module.split('.')[0])
    stored = module.read_safetensors(os.path.join(job['dir'], 'model.safetensors'))
    return {
        'stateDict': [[k, str(v.dtype), list(v.shape)] for k, v in model.state_dict().items()],
        'file': [[k, str(v.dtype), list(v.shape)] for k, v in stored.items()],
        'classes': module.CLASSES,
        'preprocess': module.PREPROCESS,
        'training': model.training,
        'imports': sorted(imports),
        'repr': repr(model),
        'vocabulary': getattr(module, 'VOCABULARY', None),
        'context': getattr(module, 'CONTEXT', None),
        'encoded': module.encode(VOCABULARY_PROBE).tolist() if hasattr(module, 'encode') else None,
        'decoded': module.decode(module.encode(VOCABULARY_PROBE)) if hasattr(module, 'decode') else None,
    }


def mlp():
    return nn.Sequential(
        nn.Linear(784, 32), nn.BatchNorm1d(32), nn.ReLU(),
        nn.Linear(32, 16), nn.BatchNorm1d(16), nn.ReLU(),
        nn.Linear(16, 10),
    )


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(8 * 7 * 7, 10),
    )


def train_a_little(model, shape):
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    losses = []
    for _ in range(5):
        x = torch.rand([32, *shape])
        y = torch.randint(0, 10, [32])
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return model.eval(), losses


def reverse(job):
    torch.manual_seed(0)
    report = {}
    for name, build, shape in [('mlp', mlp, [784]), ('cnn', cnn, [1, 28, 28])]:
        model, losses = train_a_little(build(), shape)
        x = torch.rand([8, *shape])
        with torch.no_grad():
            y = model(x)
        st_io.write(model.state_dict(), os.path.join(job['dir'], f'{name}.safetensors'))
        st_io.write({'x': x, 'y': y}, os.path.join(job['dir'], f'{name}-io.safetensors'))
        report[name] = {'losses': losses, 'keys': list(model.state_dict().keys()),
                        'batchesTracked': [int(v) for k, v in model.state_dict().items() if k.endswith('num_batches_tracked')]}
        if name == 'mlp':
            double = model.double()
            with torch.no_grad():
                y64 = double(x.double())
            st_io.write(double.state_dict(), os.path.join(job['dir'], 'mlp-f64.safetensors'))
            st_io.write({'x': x, 'y': y64.float()}, os.path.join(job['dir'], 'mlp-f64-io.safetensors'))
    return report


def main():
    job = json.load(open(sys.argv[1]))
    report = {'torch': torch.__version__, 'exports': {}}
    for export in job.get('exports', []):
        report['exports'][export['name']] = check_export(export)
    if 'reverse' in job:
        report['reverse'] = reverse(job['reverse'])
    print(json.dumps(report))


if __name__ == '__main__':
    main()
