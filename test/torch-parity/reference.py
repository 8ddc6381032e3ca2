"""PyTorch's side of the parity catalogue (run-nabla.ts is nabla's).

Reads {"cases": [...]} (cases.ts, NaN/±inf/-0 as strings) on stdin and writes, per case id,
the named outputs computed in float64 from the same float32 inputs, each input's gradient of
sum(w * out) as grad<i>, and err32: how far torch's own float32 run is from its float64 one
(the test allows nabla a few times that, on top of its float32 tolerance).
Run through `npm run parity:update` (test/torch-parity/update.ts), with Debian's /usr/bin/python3.
"""
import json
import math
import operator
import re
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings('ignore')
torch.set_num_threads(1)

SPECIAL = {'nan': math.nan, 'inf': math.inf, '-inf': -math.inf, '-0': -0.0}


def decode(v):
    if isinstance(v, str) and v in SPECIAL:
        return SPECIAL[v]
    if isinstance(v, list):
        return [decode(x) for x in v]
    if isinstance(v, dict):
        return {k: decode(x) for k, x in v.items()}
    return v


def upstream_weight(i):
    return (((7 * i + 3) % 11) - 5.5) / 4


RENAMED = {'tMax': 'T_max'}


def snake(options):
    return {RENAMED.get(k, re.sub(r'([A-Z])', r'_\1', k).lower()): (tuple(v) if k == 'betas' else v) for k, v in options.items()}


def dims(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    return (axis,) if isinstance(axis, int) else tuple(axis)


def pair(v):
    return tuple(v) if isinstance(v, list) else v


def as_parameter(xs, i):
    """The module's parameter made from input i; the list entry is replaced so its gradient is read."""
    if i >= len(xs):
        return None
    xs[i] = nn.Parameter(xs[i].detach().clone())
    return xs[i]


BINARY = {
    'add': operator.add, 'sub': operator.sub, 'mul': operator.mul, 'div': operator.truediv, 'pow': operator.pow,
    'eq': operator.eq, 'gt': operator.gt, 'ge': operator.ge, 'lt': operator.lt, 'le': operator.le,
}


def binary(x, p, dtype):
    op = p['op']
    a = x[0]
    if 'scalar' not in p:
        b = x[1]
    elif op in ('maximum', 'minimum'):
        b = torch.tensor(p['scalar'], dtype=dtype)
    else:
        b = p['scalar']
    if p.get('scalarFirst'):
        a, b = b, a
    if op == 'maximum':
        return torch.maximum(a, b)
    if op == 'minimum':
        return torch.minimum(a, b)
    return BINARY[op](a, b)


UNARY = {
    'exp': torch.exp, 'log': torch.log, 'sqrt': torch.sqrt, 'abs': torch.abs, 'reciprocal': torch.reciprocal,
    'square': torch.square, 'neg': torch.neg, 'tanh': torch.tanh, 'sigmoid': torch.sigmoid, 'relu': torch.relu,
    'leakyRelu': lambda x, a: F.leaky_relu(x, 0.01 if a is None else a),
    'elu': lambda x, a: F.elu(x, 1.0 if a is None else a), 'gelu': F.gelu,
}


def accumulate(x, p, dtype):
    leaf = x[0].detach().clone().requires_grad_(True)
    (leaf * leaf).sum().backward()
    (leaf.exp() * torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=dtype)).sum().backward()
    return {'accumulated': leaf.grad}


def unary(x, p, dtype):
    f = UNARY[p['op']]
    return f(x[0], p.get('arg')) if p['op'] in ('leakyRelu', 'elu') else f(x[0])


def reduce(x, p, dtype):
    f = {'sum': torch.sum, 'mean': torch.mean, 'max': torch.amax, 'min': torch.amin}[p['op']]
    return f(x[0], dim=dims(p.get('axis'), x[0].dim()), keepdim=p.get('keepDims', False))


def var(x, p, dtype):
    d = dims(p.get('axis'), x[0].dim())
    correction = p['correction'] if 'correction' in p else (1 if p.get('unbiased', True) else 0)
    return torch.var(x[0], dim=d, correction=correction, keepdim=p.get('keepDims', False))


def arg(x, p, dtype):
    f = torch.argmax if p['op'] == 'argmax' else torch.argmin
    return f(x[0], dim=p.get('axis'), keepdim=p.get('keepDims', False))


def squeeze(x, p, dtype):
    t = x[0]
    axis = p.get('axis')
    if axis is None:
        return t.squeeze()
    axes = [axis] if isinstance(axis, int) else axis
    for a in sorted((a + t.dim() if a < 0 else a for a in axes), reverse=True):
        t = t.squeeze(a)
    return t


def slice_(x, p, dtype):
    index = tuple(e if isinstance(e, int) else slice(None) if e is None else slice(*e) for e in p['spec'])
    return x[0][index]


def batch_norm(x, p, dtype):
    xin, rm, rv, w, b = (x + [None] * 5)[:5]
    if p.get('noStats'):
        rm = rv = None
    if p.get('noAffine'):
        w = b = None
    out = F.batch_norm(xin, rm, rv, w, b, training=p.get('training', False), momentum=p.get('momentum', 0.1), eps=p.get('eps', 1e-5))
    return {'out': out} if rm is None else {'out': out, 'runningMean': rm, 'runningVar': rv}


def triangular(x, p, dtype):
    f = torch.triu if p['op'] == 'triu' else torch.tril
    return getattr(x[0], p['op'])(p.get('diagonal', 0)) if p.get('method') else f(x[0], p.get('diagonal', 0))


def masked_fill(x, p, dtype):
    return x[0].masked_fill(x[1] != 0, p['value']) if p.get('method') else torch.masked_fill(x[0], x[1] != 0, p['value'])


def pieces(parts, axis):
    return {'out': torch.cat([t * (i + 1) for i, t in enumerate(parts)], axis), 'sizes': [t.shape[axis] for t in parts]}


def split(x, p, dtype):
    size = p['split']
    parts = x[0].split(size, p['axis']) if p.get('method') else torch.split(x[0], size, p['axis'])
    return pieces(parts, p['axis'])


def chunk(x, p, dtype):
    parts = x[0].chunk(p['chunks'], p['axis']) if p.get('method') else torch.chunk(x[0], p['chunks'], p['axis'])
    return pieces(parts, p['axis'])


def cumsum(x, p, dtype):
    return x[0].cumsum(p['axis']) if p.get('method') else torch.cumsum(x[0], p['axis'])


def layer_norm(x, p, dtype):
    shape = p['normalizedShape']
    shape = [shape] if isinstance(shape, int) else shape
    w, b = (x[1:] + [None, None])[:2]
    return F.layer_norm(x[0], shape, w, b, p.get('eps', 1e-5))


def layer_norm_module(x, p, dtype):
    m = nn.LayerNorm(p['normalizedShape'], **snake(p['options'])).to(dtype)
    if m.elementwise_affine:
        m.weight = as_parameter(x, 1)
        m.bias = as_parameter(x, 2)
    return m(x[0])


def batch_norm_module(x, p, dtype):
    options = snake(p['options'])
    cls = nn.BatchNorm1d if p['kind'] == '1d' else nn.BatchNorm2d
    m = cls(x[2].shape[1], **options).to(dtype)
    if m.affine:
        m.weight = as_parameter(x, 3)
        m.bias = as_parameter(x, 4)
    m.train()
    m(x[0])
    m(x[1])
    if p['mode'] == 'eval':
        m.eval()
    result = {'out': m(x[2])}
    if m.running_mean is not None:
        result['runningMean'] = m.running_mean
        result['runningVar'] = m.running_var
    return result


def conv_net(x, p, dtype):
    conv, bn, fc = nn.Conv2d(2, 3, 3, padding=1), nn.BatchNorm2d(3), nn.Linear(27, 4)
    conv.weight, conv.bias = as_parameter(x, 1), as_parameter(x, 2)
    bn.weight, bn.bias = as_parameter(x, 3), as_parameter(x, 4)
    fc.weight, fc.bias = as_parameter(x, 5), as_parameter(x, 6)
    net = nn.Sequential(conv, bn, nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), fc).to(dtype)
    if p['mode'] == 'eval':
        net((x[0] * 2 + 1).detach())
        net.eval()
    return {'out': net(x[0]), 'runningMean': bn.running_mean, 'runningVar': bn.running_var}


def conv_options(p):
    return {k: pair(p[k]) for k in ('stride', 'padding', 'dilation') if k in p}


def conv2d_module(x, p, dtype):
    m = nn.Conv2d(x[0].shape[1], x[1].shape[0], pair(p['kernelSize']), bias=p['bias'], **conv_options(p)).to(dtype)
    m.weight = as_parameter(x, 1)
    if p['bias']:
        m.bias = as_parameter(x, 2)
    return m(x[0])


def pool_options(p):
    return {'kernel_size': pair(p['kernelSize']), 'stride': pair(p.get('stride')), 'padding': pair(p.get('padding', 0))}


def linear_module(x, p, dtype):
    m = nn.Linear(x[1].shape[1], x[1].shape[0]).to(dtype)
    m.weight = as_parameter(x, 1)
    m.bias = as_parameter(x, 2)
    return m(x[0])


def dropout_scale(x, p, dtype):
    y = F.dropout(torch.ones(1000, dtype=dtype), p['p'], True)
    kept = torch.unique(y[y != 0])
    assert kept.numel() == 1, kept
    return {'scale': kept}


def cross_entropy(x, p, dtype):
    return F.cross_entropy(x[0], torch.tensor(p['target'], dtype=torch.long), reduction=p.get('reduction', 'mean'), label_smoothing=p.get('labelSmoothing', 0.0))


GAIN_NAMES = {'leakyRelu': 'leaky_relu', 'convTranspose1d': 'conv_transpose1d', 'convTranspose2d': 'conv_transpose2d', 'convTranspose3d': 'conv_transpose3d'}


def calculate_gain(x, p, dtype):
    return nn.init.calculate_gain(GAIN_NAMES.get(p['nonlinearity'], p['nonlinearity']), p.get('param'))


def calculate_fans(x, p, dtype):
    fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(torch.empty(p['shape']))
    return {'fanIn': fan_in, 'fanOut': fan_out}


def stats(t, prefix=''):
    d = t.detach().double().flatten()
    key = (lambda n: prefix + n[0].upper() + n[1:]) if prefix else (lambda n: n)
    return {key('mean'): d.mean().item(), key('std'): d.std().item(), key('maxAbs'): d.abs().max().item()}


def init_stats(x, p, dtype):
    torch.manual_seed(1)
    t = torch.empty(p['shape'], dtype=dtype)
    kaiming = {'a': p.get('a', 0), 'mode': 'fan_out' if p.get('mode') == 'fanOut' else 'fan_in',
               'nonlinearity': GAIN_NAMES.get(p.get('nonlinearity', 'leakyRelu'), p.get('nonlinearity'))}
    init = p['init']
    if init == 'xavierUniform':
        nn.init.xavier_uniform_(t, p.get('gain', 1.0))
    elif init == 'xavierNormal':
        nn.init.xavier_normal_(t, p.get('gain', 1.0))
    elif init == 'kaimingUniform':
        nn.init.kaiming_uniform_(t, **kaiming)
    else:
        nn.init.kaiming_normal_(t, **kaiming)
    return stats(t)


def default_init(x, p, dtype):
    torch.manual_seed(1)
    m = nn.Linear(*p['args']) if p['layer'] == 'linear' else nn.Conv2d(*p['args'])
    return {**stats(m.weight), **stats(m.bias, 'bias')}


OPTIMIZERS = {'SGD': torch.optim.SGD, 'Adagrad': torch.optim.Adagrad, 'RMSprop': torch.optim.RMSprop,
              'Adam': torch.optim.Adam, 'AdamW': torch.optim.AdamW, 'Adadelta': torch.optim.Adadelta}


def optimizer_loss(p0, p1, c0, c1):
    return ((p0 - c0) ** 2).sum() + (p0 ** 4).sum() * 0.1 + ((p0 @ p1 - c1) ** 2).sum()


def run_optimizer(x, p, dtype):
    p0, p1, c0, c1 = (t.detach().clone() for t in x)
    p0.requires_grad_(True)
    p1.requires_grad_(True)
    if 'groups' in p:
        params = [{'params': [p0], **snake(p['groups'][0])}, {'params': [p1], **snake(p['groups'][1])}]
    else:
        params = [p0, p1]
    opt = OPTIMIZERS[p['name']](params, **snake(p['options']))
    scheduler = SCHEDULERS[p['scheduler']['name']](opt, **snake(p['scheduler']['options'])) if 'scheduler' in p else None
    result, losses = {}, []
    for step in range(1, p['steps'] + 1):
        opt.zero_grad()
        loss = optimizer_loss(p0, p1, c0, c1)
        losses.append(loss.item())
        loss.backward()
        opt.step()
        if scheduler:
            scheduler.step()
        result[f'p0 step {step}'] = p0.detach().clone()
        result[f'p1 step {step}'] = p1.detach().clone()
    result['losses'] = losses
    return result


def clip(x, p, dtype, norm):
    params = []
    for g in x:
        t = torch.zeros_like(g, requires_grad=True)
        t.grad = g.detach().clone()
        params.append(t)
    result = {}
    if norm:
        norm_type = math.inf if p['normType'] == 'inf' else p['normType']
        result['norm'] = torch.nn.utils.clip_grad_norm_(params, p['maxNorm'], norm_type, p.get('errorIfNonfinite', False))
    else:
        torch.nn.utils.clip_grad_value_(params, p['clipValue'])
    for i, t in enumerate(params):
        result[f'clipped{i}'] = t.grad
    return result


SCHEDULERS = {name: getattr(torch.optim.lr_scheduler, name) for name in
              ('StepLR', 'MultiStepLR', 'ExponentialLR', 'CosineAnnealingLR', 'LinearLR', 'ReduceLROnPlateau')}


def run_scheduler(x, p, dtype):
    group_lrs = p['lr'] if isinstance(p['lr'], list) else [p['lr']]
    opt = torch.optim.SGD([{'params': [torch.zeros(1, requires_grad=True)], 'lr': lr} for lr in group_lrs], lr=group_lrs[0])
    chain = [SCHEDULERS[s['name']](opt, **snake(s['options'])) for s in [p] + ([p['chain']] if 'chain' in p else [])]
    lrs = [g['lr'] for g in opt.param_groups]
    for epoch in range(p['epochs']):
        opt.step()
        for s in chain:
            if 'metrics' in p:
                s.step(p['metrics'][epoch])
            else:
                s.step()
        lrs += [g['lr'] for g in opt.param_groups]
    return {'lrs': lrs}


def recurrent(x, p, dtype):
    cls = {'RNN': nn.RNN, 'LSTM': nn.LSTM, 'GRU': nn.GRU}[p['mode']]
    m = cls(p['inputSize'], p['hiddenSize'], **snake(p['options'])).to(dtype)
    count = (2 if p['mode'] == 'LSTM' else 1) if p['states'] else 0
    for i, name in enumerate(m._flat_weights_names):
        setattr(m, name, as_parameter(x, 1 + count + i))
    states = x[1:1 + count]
    if p['mode'] == 'LSTM':
        output, (h, c) = m(x[0], tuple(states) if states else None)
        parts = [output, h, c]
    else:
        output, h = m(x[0], states[0] if states else None)
        parts = [output, h]
    result = {'output': output, 'hN': h, 'out': torch.cat([t.reshape(-1) for t in parts])}
    if p['mode'] == 'LSTM':
        result['cN'] = c
    return result


def sdpa(x, p, dtype):
    """torch 2.x's F.scaled_dot_product_attention, as its documentation's reference implementation (torch 1.13 has none)."""
    q, k, v = x[0], x[1], x[2]
    L, S = q.size(-2), k.size(-2)
    if p.get('isCausal') and (p.get('floatMask') or 'boolMask' in p):
        raise RuntimeError('Explicit attn_mask should not be set when is_causal=True')
    scale = p.get('scale') or 1 / math.sqrt(q.size(-1))
    bias = torch.zeros(L, S, dtype=dtype)
    if p.get('isCausal'):
        bias = bias.masked_fill(torch.ones(L, S, dtype=torch.bool).tril(0).logical_not(), -math.inf)
    if p.get('floatMask'):
        bias = bias + x[3]
    if 'boolMask' in p:
        bias = bias.masked_fill(torch.tensor(p['boolMask']).logical_not(), -math.inf)
    weights = torch.softmax(q @ k.transpose(-2, -1) * scale + bias, dim=-1)
    return weights @ v


def mha(x, p, dtype):
    i = 0
    query = x[i]
    i += 1
    key = query
    if p['kind'] != 'self':
        key = x[i]
        i += 1
    value = key
    if p['kind'] == 'cross':
        value = x[i]
        i += 1
    bias = p.get('bias', True)
    m = nn.MultiheadAttention(query.shape[-1], p['heads'], bias=bias, batch_first=p.get('batchFirst', False)).to(dtype)
    m.in_proj_weight = as_parameter(x, i)
    i += 1
    if bias:
        m.in_proj_bias = as_parameter(x, i)
        i += 1
    m.out_proj.weight = as_parameter(x, i)
    i += 1
    if bias:
        m.out_proj.bias = as_parameter(x, i)
        i += 1
    masks = {}
    for name in ('attnMask', 'keyPaddingMask'):
        if p.get(name) == 'float':
            masks[name] = x[i]
            i += 1
        elif name in p:
            masks[name] = torch.tensor(p[name])
    attn_mask = masks.get('attnMask')
    if p.get('isCausal') and attn_mask is None:
        # torch 1.13 has no is_causal: the causal mask itself (what torch 2's is_causal stands for)
        L, S = query.shape[-2 if p.get('batchFirst') and query.dim() == 3 else 0], key.shape[-2 if p.get('batchFirst') and key.dim() == 3 else 0]
        attn_mask = torch.zeros(L, S, dtype=dtype).masked_fill(torch.ones(L, S, dtype=torch.bool).tril(0).logical_not(), -math.inf)
    out, weights = m(query, key, value, key_padding_mask=masks.get('keyPaddingMask'), need_weights=p.get('needWeights', False),
                     attn_mask=attn_mask, average_attn_weights=p.get('average', True))
    if p.get('output') == 'weights':
        return {'out': weights, 'output': out}
    return {'out': out, 'weights': weights} if weights is not None else out


def load_parameters(m, x, start):
    """Sets every parameter of m (named_parameters order, nabla's too) to x[start], x[start + 1], ...; returns the next index."""
    i = start
    for name, _ in list(m.named_parameters()):
        *path, leaf = name.split('.')
        owner = m
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, leaf, as_parameter(x, i))
        i += 1
    return i


def causal_mask(n, dtype):
    """What torch 2's is_causal stands for (torch 1.13 has no is_causal): -inf above the diagonal."""
    return torch.zeros(n, n, dtype=dtype).masked_fill(torch.ones(n, n, dtype=torch.bool).tril(0).logical_not(), -math.inf)


def layer_options(p):
    return dict(dim_feedforward=p['dimFeedforward'], dropout=0.0, activation=p.get('activation', 'relu'),
                batch_first=p.get('batchFirst', False), norm_first=p.get('normFirst', False), layer_norm_eps=p.get('layerNormEps', 1e-5))


def encoder_layer(x, p, dtype):
    src = x[0]
    layer = nn.TransformerEncoderLayer(src.shape[-1], p['nhead'], **layer_options(p)).to(dtype)
    i = load_parameters(layer, x, 1)
    seq = src.shape[1] if p.get('batchFirst') and src.dim() == 3 else src.shape[0]
    mask = x[i] if p.get('srcMask') == 'float' else torch.tensor(p['srcMask']) if 'srcMask' in p else causal_mask(seq, dtype) if p.get('isCausal') else None
    kpm = torch.tensor(p['srcKeyPaddingMask']) if 'srcKeyPaddingMask' in p else None
    return layer(src, src_mask=mask, src_key_padding_mask=kpm)


def encoder(x, p, dtype):
    src = x[0]
    d = src.shape[-1]
    m = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, p['nhead'], **layer_options(p)), p['layers'], norm=nn.LayerNorm(d),
                              enable_nested_tensor=False).to(dtype)
    load_parameters(m, x, 1)
    return m(src, mask=causal_mask(src.shape[1], dtype) if p.get('isCausal') else None)


class CharGPT(nn.Module):
    """nabla's CharGPT (src/text/char-gpt.ts) built from torch.nn, as bench/workers/torch_worker.py builds it."""

    def __init__(self, vocab, context, width, layers, heads, dropout):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, width)
        self.position_embedding = nn.Embedding(context, width)
        layer = nn.TransformerEncoderLayer(width, heads, dim_feedforward=4 * width, dropout=dropout, activation='gelu', batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab)

    def forward(self, ids):
        t = ids.shape[1]
        x = self.token_embedding(ids) + self.position_embedding(torch.arange(t))
        return self.head(self.norm(self.encoder(x, mask=causal_mask(t, x.dtype))))


def char_gpt(x, p, dtype):
    m = CharGPT(p['vocab'], p['context'], p['width'], p['layers'], p['heads'], 0.0).to(dtype)
    load_parameters(m, x, 1)
    return m(x[0].long())


def state_dict_names(x, p, dtype):
    layer = lambda: nn.TransformerEncoderLayer(8, 2, dim_feedforward=16)
    m = {
        'MultiheadAttention': lambda: nn.MultiheadAttention(8, 2),
        'MultiheadAttention no bias': lambda: nn.MultiheadAttention(8, 2, bias=False),
        'TransformerEncoderLayer': layer,
        'TransformerEncoder with norm': lambda: nn.TransformerEncoder(layer(), 2, norm=nn.LayerNorm(8), enable_nested_tensor=False),
        'CharGPT': lambda: CharGPT(11, 6, 8, 2, 2, 0.1),
    }[p['module']]()
    camel = lambda name: re.sub(r'_([a-z])', lambda g: g.group(1).upper(), name)
    return ' '.join(camel(k) for k in m.state_dict())


FNS = {
    'binary': binary,
    'unary': unary,
    'selfBinary': lambda x, p, d: binary([x[0], x[0]], p, d),
    'accumulate': accumulate,
    'clamp': lambda x, p, d: torch.clamp(x[0], min=p.get('min'), max=p.get('max')),
    'where': lambda x, p, d: torch.where(x[0] != 0, x[1], torch.tensor(p['other'], dtype=d) if 'other' in p else x[2]),
    'whereMethod': lambda x, p, d: x[1].where(x[0] != 0, x[2]),
    'softmax': lambda x, p, d: F.softmax(x[0], dim=p.get('axis', -1)),
    'logSoftmax': lambda x, p, d: F.log_softmax(x[0], dim=p.get('axis', -1)),
    'reduce': reduce,
    'var': var,
    'arg': arg,
    'matmul': lambda x, p, d: torch.matmul(x[0], x[1]),
    'linear': lambda x, p, d: F.linear(x[0], x[1], x[2] if len(x) > 2 else None),
    'reshape': lambda x, p, d: x[0].reshape(p['shape']),
    'transpose': lambda x, p, d: x[0].transpose(*p['dims']),
    'permute': lambda x, p, d: x[0].permute(p['dims']),
    'squeeze': squeeze,
    'unsqueeze': lambda x, p, d: x[0].unsqueeze(p['axis']),
    'flatten': lambda x, p, d: x[0].flatten(p.get('startDim', 0), p.get('endDim', -1)),
    'expand': lambda x, p, d: x[0].expand(*p['shape']),
    'slice': slice_,
    'narrow': lambda x, p, d: x[0].narrow(p['axis'], p['start'], p['length']),
    'indexSelect': lambda x, p, d: x[0].index_select(p['axis'], torch.tensor(p['indices'], dtype=torch.long)),
    'concat': lambda x, p, d: torch.cat(x, p['axis']),
    'stack': lambda x, p, d: torch.stack(x, p['axis']),
    'batchNorm': batch_norm,
    'batchNormModule': batch_norm_module,
    'layerNorm': layer_norm,
    'triangular': triangular,
    'maskedFill': masked_fill,
    'maskedFillSoftmax': lambda x, p, d: F.softmax(x[0].masked_fill(x[1] != 0, p['value']), -1),
    'split': split,
    'chunk': chunk,
    'cumsum': cumsum,
    'layerNormModule': layer_norm_module,
    'convNet': conv_net,
    'conv2d': lambda x, p, d: F.conv2d(x[0], x[1], x[2] if len(x) > 2 else None, **conv_options(p)),
    'conv2dModule': conv2d_module,
    'maxPool2d': lambda x, p, d: F.max_pool2d(x[0], **pool_options(p)),
    'avgPool2d': lambda x, p, d: F.avg_pool2d(x[0], **pool_options(p)),
    'poolModule': lambda x, p, d: (nn.MaxPool2d if p['kind'] == 'max' else nn.AvgPool2d)(**pool_options(p))(x[0]),
    'flattenModule': lambda x, p, d: nn.Flatten(p.get('startDim', 1), p.get('endDim', -1))(x[0]),
    'linearModule': linear_module,
    'dropout': lambda x, p, d: F.dropout(x[0], p['p'], p['training']),
    'dropoutModule': lambda x, p, d: nn.Dropout(p['p']).eval()(x[0]),
    'dropoutScale': dropout_scale,
    'crossEntropy': cross_entropy,
    'nllLoss': lambda x, p, d: F.nll_loss(x[0], torch.tensor(p['target'], dtype=torch.long), reduction=p['reduction']),
    'mseLoss': lambda x, p, d: F.mse_loss(x[0], x[1], reduction=p['reduction']),
    'l1Loss': lambda x, p, d: F.l1_loss(x[0], x[1], reduction=p['reduction']),
    'binaryCrossEntropy': lambda x, p, d: F.binary_cross_entropy(x[0], x[1], reduction=p['reduction']),
    'binaryCrossEntropyWithLogits': lambda x, p, d: F.binary_cross_entropy_with_logits(x[0], x[1], reduction=p['reduction']),
    'calculateGain': calculate_gain,
    'calculateFans': calculate_fans,
    'initStats': init_stats,
    'defaultInit': default_init,
    'optimizer': run_optimizer,
    'clipGradNorm': lambda x, p, d: clip(x, p, d, True),
    'clipGradValue': lambda x, p, d: clip(x, p, d, False),
    'scheduler': run_scheduler,
    'arange': lambda x, p, d: torch.arange(*p['args'], dtype=d),
    'linspace': lambda x, p, d: torch.linspace(*p['args'], dtype=d),
    'eye': lambda x, p, d: torch.eye(*p['args'], dtype=d),
    'print': lambda x, p, d: str(x[0]),
    'recurrent': recurrent,
    'sdpa': sdpa,
    'mha': mha,
    'encoderLayer': encoder_layer,
    'encoder': encoder,
    'charGpt': char_gpt,
    'stateDictNames': state_dict_names,
}

# Cases whose result does not depend on the dtype (or only makes sense in float32): one run.
FLOAT32_ONLY = {'print', 'stateDictNames', 'initStats', 'defaultInit', 'dropoutScale', 'calculateGain', 'calculateFans', 'scheduler'}


def values(v):
    """A compared output: {'values', 'shape'} for a tensor or numbers, or a string."""
    if isinstance(v, str):
        return v
    if torch.is_tensor(v):
        t = v.detach()
        return {'values': [float(a) for a in t.double().flatten().tolist()], 'shape': list(t.shape)}
    if isinstance(v, (int, float)):
        return {'values': [float(v)]}
    return {'values': [float(a) for a in v]}


def run(case, dtype):
    xs = [torch.tensor(s['data'], dtype=dtype).reshape(s['shape']).requires_grad_(s['grad']) for s in case['inputs']]
    raw = FNS[case['fn']](xs, case['params'], dtype)
    named = raw if isinstance(raw, dict) else {'out': raw}
    result = {name: values(v) for name, v in named.items()}
    out = named.get('out')
    if torch.is_tensor(out) and out.requires_grad and any(s['grad'] for s in case['inputs']):
        w = torch.tensor([upstream_weight(i) for i in range(out.numel())], dtype=out.dtype).reshape(out.shape)
        out.backward(w)
        for i, s in enumerate(case['inputs']):
            if s['grad']:
                g = xs[i].grad
                result[f'grad{i}'] = values(g if g is not None else torch.zeros(s['shape']))
    return result


def max_error(a, b):
    worst = 0.0
    for x, y in zip(a, b):
        if math.isfinite(x) and math.isfinite(y):
            worst = max(worst, abs(x - y))
    return worst


def encode_number(v):
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    return float('%.10g' % v)


def encode(result):
    out = {}
    for name, v in result.items():
        if isinstance(v, str):
            out[name] = v
        else:
            out[name] = {**v, 'values': [encode_number(x) for x in v['values']]}
    return out


def reference(case):
    try:
        if case['fn'] in FLOAT32_ONLY:
            return {'outputs': encode(run(case, torch.float32)), 'err32': {}}
        r64 = run(case, torch.float64)
        r32 = run(case, torch.float32)
    except Exception as e:  # torch refuses the case: nabla must refuse it too
        return {'error': f'{type(e).__name__}: {e}'}
    err32 = {name: max_error(v['values'], r32[name]['values']) for name, v in r64.items() if not isinstance(v, str)}
    return {'outputs': encode(r64), 'err32': {k: encode_number(e) for k, e in err32.items() if e > 0}}


def main():
    cases = decode(json.load(sys.stdin)['cases'])
    results = {c['id']: reference(c) for c in cases}
    json.dump({'torch': torch.__version__, 'results': results}, sys.stdout, allow_nan=False)


if __name__ == '__main__':
    main()
