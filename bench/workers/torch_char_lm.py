"""The character GPT of `nabla train --dataset brown --model gpt`, trained in PyTorch for a time budget.

Run by bench/lm.ts as `/usr/bin/python3 torch_char_lm.py '<job json>'` with the job
{"trainFile", "testFile", "vocab", "seconds", "threads", "context", "width", "layers", "heads",
"batch", "lr", "seed"}: the same training and held-out text (UTF-8 files written by nabla's own data
set code) and the same model: token and learned position embeddings, a pre-norm nn.TransformerEncoder
(GELU, feed-forward 4·width, dropout 0, causal mask), a final LayerNorm and a Linear head. AdamW at a
constant lr, batch of random windows, gradient clipping at norm 1. Prints one JSON line: steps,
seconds, parameters and the held-out bits per character (non-overlapping windows of `context`
characters, each predicted with the full window).
"""
import json
import math
import resource
import sys
import time

import torch
from torch import nn


class CharGPT(nn.Module):
    def __init__(self, vocab, context, width, layers, heads):
        super().__init__()
        self.tok = nn.Embedding(vocab, width)
        self.pos = nn.Embedding(context, width)
        layer = nn.TransformerEncoderLayer(width, heads, dim_feedforward=4 * width, dropout=0.0,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab)
        self.register_buffer("mask", torch.triu(torch.full((context, context), float("-inf")), diagonal=1))

    def forward(self, ids):
        t = ids.shape[1]
        x = self.tok(ids) + self.pos(torch.arange(t))
        x = self.encoder(x, mask=self.mask[:t, :t])
        return self.head(self.norm(x))


def encode(path, index):
    # Characters outside the vocabulary are id 0, nabla's unknown character (the vocabulary's first entry).
    with open(path, encoding="utf-8") as f:
        return torch.tensor([index.get(c, 0) for c in f.read()], dtype=torch.long)


def bits_per_char(model, ids, context, batch):
    model.eval()
    windows = (len(ids) - 1) // context
    total, count = 0.0, 0
    with torch.no_grad():
        for w0 in range(0, windows, batch):
            starts = torch.arange(w0, min(windows, w0 + batch)) * context
            x = torch.stack([ids[s:s + context] for s in starts])
            y = torch.stack([ids[s + 1:s + context + 1] for s in starts])
            logits = model(x)
            total += nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum").item()
            count += y.numel()
    model.train()
    return total / count / math.log(2)


def main():
    job = json.loads(sys.argv[1])
    torch.set_num_threads(int(job["threads"]))
    torch.manual_seed(job["seed"])
    vocab = job["vocab"]
    index = {c: i for i, c in enumerate(vocab)}
    train = encode(job["trainFile"], index)
    test = encode(job["testFile"], index)
    context, batch = job["context"], job["batch"]
    model = CharGPT(len(vocab), context, job["width"], job["layers"], job["heads"])
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=job["lr"])
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(job["seed"])
    steps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < job["seconds"]:
        starts = torch.randint(0, len(train) - context - 1, (batch,), generator=gen)
        x = torch.stack([train[s:s + context] for s in starts])
        y = torch.stack([train[s + 1:s + context + 1] for s in starts])
        logits = model(x)
        loss = loss_fn(logits.reshape(-1, len(vocab)), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        steps += 1
    seconds = time.perf_counter() - start
    bpc = bits_per_char(model, test, context, 64)
    print(json.dumps({
        "steps": steps, "seconds": seconds, "stepsPerSec": steps / seconds, "parameters": params,
        "testBitsPerChar": bpc, "lastLoss": loss.item(),
        "peakRss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "version": f"PyTorch {torch.__version__}, {job['threads']} thread(s)",
    }))


if __name__ == "__main__":
    main()
