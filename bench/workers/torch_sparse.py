"""The sparse workload in PyTorch: nn.EmbeddingBag(buckets, 2, mode='sum', sparse=True) plus a bias,
zero weights, optim.Adagrad (which takes sparse gradients), trained in order over the same hashed spam
training split as bench/workers/nabla_sparse.ts, batch 1 (online) or 32. Prints a SparseResult.

Run by bench/sparse.ts as `/usr/bin/python3 torch_sparse.py '<job json>'`.
"""
import json
import resource
import sys
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


def peak_rss():
    """This process's own peak resident set, bytes: VmHWM starts again at exec, getrusage's maxrss keeps the spawning
    Node process's (bench/peak-rss.ts)."""
    try:
        with open('/proc/self/status') as status:
            for line in status:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main():
    job = json.loads(sys.argv[1])
    torch.set_num_threads(int(job.get('threads', 1)))
    raw = np.fromfile(job['dataFile'], dtype=np.int32)
    documents, total, buckets = (int(v) for v in raw[:3])
    starts = torch.from_numpy(raw[3:4 + documents].astype(np.int64))
    ids = torch.from_numpy(raw[4 + documents:4 + documents + total].astype(np.int64))
    y = torch.from_numpy(raw[4 + documents + total:4 + documents + total + documents].astype(np.int64))
    batch = job['batch']

    def trial():
        torch.manual_seed(0)
        bag = nn.EmbeddingBag(buckets, 2, mode='sum', sparse=True)
        nn.init.zeros_(bag.weight)
        bias = nn.Parameter(torch.zeros(2))
        opt = torch.optim.Adagrad([bag.weight, bias], lr=0.1)
        loss_sum = 0.0
        start = time.perf_counter()
        for i in range(0, documents, batch):
            end = min(i + batch, documents)
            lo, hi = starts[i].item(), starts[end].item()
            logits = bag(ids[lo:hi], starts[i:end] - lo) + bias
            loss = F.cross_entropy(logits, y[i:end])
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item() * (end - i)
        return time.perf_counter() - start, loss_sum / documents

    trials, loss = [], float('nan')
    for _ in range(job['trials']):
        seconds, loss = trial()
        trials.append(documents / seconds)
    print(json.dumps({
        'examplesPerSec': max(trials), 'trials': trials,
        'peakRss': peak_rss(), 'loss': loss,
        'version': f'PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s)',
    }))


if __name__ == '__main__':
    main()
