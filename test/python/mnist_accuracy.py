"""MNIST test accuracy of PyTorch exports (nabla export --format torch), as PyTorch computes it.

    python3 mnist_accuracy.py EXPORT_DIR...  ->  JSON on stdout: [{ "dir", "accuracy", "loss" }]

Each EXPORT_DIR's model.py is imported and load_model() run on the 10,000 raw test images (pixels
/255; the model standardizes them itself), with the IDX reading of examples/ddp/train_ddp.py.
"""
import importlib.util
import json
import os
import sys

import torch

torch.set_num_threads(1)
here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('train_ddp', os.path.join(here, '..', '..', 'examples', 'ddp', 'train_ddp.py'))
train_ddp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train_ddp)

report = []
for export_dir in sys.argv[1:]:
    module = train_ddp.import_model(export_dir)
    model = module.load_model(os.path.join(export_dir, 'model.safetensors'))
    images, labels = train_ddp.load_split(train_ddp.find_mnist(), 'test', module.PREPROCESS['input_shape'])
    loss, correct = train_ddp.evaluate(model, images, labels)
    report.append({'dir': export_dir, 'accuracy': correct / len(labels), 'loss': loss / len(labels)})
print(json.dumps(report))
