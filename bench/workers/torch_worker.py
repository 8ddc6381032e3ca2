"""Trains one benchmark workload with PyTorch and prints a WorkerResult (see bench/protocol.ts).

Run by bench/run.ts as `/usr/bin/python3 torch_worker.py '<job json>'`; the job's variant is the
number of threads. The model mirrors bench/workers/nabla.ts layer for layer.
"""
import json
import resource
import sys
import time

import numpy as np
import torch
from torch import nn


def activation(name):
    return {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}[name]()


class CharGPT(nn.Module):
    """nabla's CharGPT (src/text/char-gpt.ts) from torch.nn: the same parameters under the same names in snake_case."""

    def __init__(self, w):
        super().__init__()
        width, context = w["width"], w["context"]
        self.token_embedding = nn.Embedding(w["vocab"], width)
        self.position_embedding = nn.Embedding(context, width)
        layer = nn.TransformerEncoderLayer(width, w["heads"], dim_feedforward=4 * width, dropout=w["dropout"], activation="gelu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, w["layers"], enable_nested_tensor=False)
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, w["vocab"])
        self.register_buffer("causal", torch.triu(torch.full((context, context), float("-inf")), 1), persistent=False)
        self.register_buffer("positions", torch.arange(context), persistent=False)

    def forward(self, ids):
        t = ids.shape[1]
        x = self.token_embedding(ids) + self.position_embedding(self.positions[:t])
        return self.head(self.norm(self.encoder(x, mask=self.causal[:t, :t])))


class CharLstm(nn.Module):
    """Embedding -> LSTM (batch first) -> Linear, nabla's CharRNN layer for layer."""

    def __init__(self, w):
        super().__init__()
        self.embedding = nn.Embedding(w["vocab"], w["width"])
        self.rnn = nn.LSTM(w["width"], w["hidden"], num_layers=w["layers"], batch_first=True)
        self.fc = nn.Linear(w["hidden"], w["vocab"])

    def forward(self, ids):
        return self.fc(self.rnn(self.embedding(ids))[0])


def model(w):
    if w["kind"] == "gpt":
        return CharGPT(w)
    if w["kind"] == "lstm":
        return CharLstm(w)
    if w["kind"] == "mlp":
        layers, inputs = [], 784
        names = w["activation"] if isinstance(w["activation"], list) else [w["activation"]] * len(w["hidden"])
        for h, name in zip(w["hidden"], names):
            layers.append(nn.Linear(inputs, h))
            if w.get("batchNorm", True):
                layers.append(nn.BatchNorm1d(h))
            layers.append(activation(name))
            inputs = h
        layers.append(nn.Linear(inputs, 10))
        return nn.Sequential(*layers)
    c1, c2 = w["channels"]
    return nn.Sequential(
        nn.Conv2d(1, c1, 3, padding=1), nn.BatchNorm2d(c1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, 3, padding=1), nn.BatchNorm2d(c2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c2 * 7 * 7, 10),
    )


def main():
    job = json.loads(sys.argv[1])
    w = job["workload"]
    threads = int(job["variant"])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = model(w)
    net.train()
    spec = w["optimizer"]
    if spec["name"] == "adam":
        opt = torch.optim.Adam(net.parameters(), lr=spec["lr"])
    elif spec["name"] == "adamw":
        opt = torch.optim.AdamW(net.parameters(), lr=spec["lr"])
    else:
        opt = torch.optim.SGD(net.parameters(), lr=spec["lr"], momentum=spec["momentum"])
    samples, batch = job["samples"], w["batch"]
    raw = np.fromfile(job["dataFile"], dtype=np.uint8)
    if w["kind"] in ("gpt", "lstm"):
        # samples sequences of T ids and their successors (bench/token-data.ts)
        ids = torch.from_numpy(raw.view(np.int32).astype(np.int64))
        t = w["context"] if w["kind"] == "gpt" else w["sequence"]
        x = ids[:-1].reshape(samples, t)
        y = ids[1:].reshape(samples, t)
    else:
        x = torch.from_numpy(raw[: samples * 784 * 4].view(np.float32).reshape(samples, 784))
        y = torch.from_numpy(raw[samples * 784 * 4:].view(np.int32).astype(np.int64))
    if w["kind"] == "cnn":
        x = x.reshape(samples, 1, 28, 28)
    batches = samples // batch
    loss_fn = nn.CrossEntropyLoss()
    state = {"i": 0, "loss": float("nan")}
    classes = w.get("vocab")

    def step():
        start = (state["i"] % batches) * batch
        state["i"] += 1
        opt.zero_grad()
        logits = net(x[start:start + batch])
        target = y[start:start + batch]
        if w["kind"] in ("gpt", "lstm"):
            # cross-entropy over every position
            logits, target = logits.reshape(-1, logits.shape[-1]), target.reshape(-1)
        loss = loss_fn(logits, target)
        loss.backward()
        opt.step()
        state["loss"] = loss.item()

    for _ in range(job["warmup"]):
        step()
    trials = []
    cpu_start = time.process_time()
    for _ in range(job["trials"]):
        start = time.perf_counter()
        for _ in range(job["steps"]):
            step()
        trials.append(job["steps"] * batch / (time.perf_counter() - start))
    cpu_ms_per_step = (time.process_time() - cpu_start) * 1000 / (job["trials"] * job["steps"])
    print(json.dumps({
        "samplesPerSec": max(trials),
        "trials": trials,
        "cpuMsPerStep": cpu_ms_per_step,
        "peakRss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "loss": state["loss"],
        "version": f"PyTorch {torch.__version__} ({threads} thread{'s' if threads > 1 else ''})",
    }))


if __name__ == "__main__":
    main()
