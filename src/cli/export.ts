/** `nabla export RUN_DIR --format onnx|torch`: the run's saved model as an ONNX file, or as PyTorch code and weights. */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import type { Command } from './command.js';
import { UsageError } from './command.js';
import { openRun } from './run-dir.js';
import { exportOnnx } from '../export/onnx/export-onnx.js';
import { saveTorchExport } from '../export/torch/save.js';
import { writeFileAtomic } from '../train/atomic-write.js';
import { MODEL_FILE } from '../train/run-folder.js';

const FORMATS = ['onnx', 'torch'] as const;

const HELP = `Usage: nabla export RUN_DIR --format onnx|torch [--out PATH]

Writes the model a run saved (RUN_DIR/${MODEL_FILE}) in another runtime's format. Both take
the raw input a user has (pixels in [0, 1]: [N, 784] for the MLP, [N, 1, 28, 28] for the
CNN; feature values for tabular and 2-D models): the run's standardization is inside.
A character language model (gpt, lstm, gru, rnn, bigram) takes int64 character ids [N, T],
T <= the run's context, and gives logits [N, T, V]; its vocabulary is the class names.

  --format onnx   an ONNX model (opset 17) for ONNX Runtime and others: input 'input' with a
                  dynamic batch dimension, output 'logits', class names and preprocessing in
                  its metadata. --out FILE (default RUN_DIR/model.onnx)
  --format torch  a folder with model.py (torch and the standard library only: build_model(),
                  load_model(weights_path)) and model.safetensors under PyTorch's names
                  (0.weight, 1.running_mean, …). --out DIR (default RUN_DIR/torch).
                  A character model's model.py also has VOCABULARY, CONTEXT, encode(text)
                  and decode(ids).

Files are written whole or not at all: a failure leaves what was there before.

Options:
  --format NAME   ${FORMATS.join(' | ')} (default onnx)
  --out PATH      where to write
  -h, --help      this help`;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: true, options: { format: { type: 'string' }, out: { type: 'string' } } });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

function run(argv: string[]): number {
  const { values: v, positionals } = parse(argv);
  if (positionals.length > 1) throw new UsageError(`expected one run folder, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = v.format ?? 'onnx';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${format}'`);
  const runDir = openRun('export', positionals[0]);
  const info = { preprocess: runDir.preprocess ?? undefined, classes: runDir.classes ?? undefined };
  if (format === 'onnx') {
    const out = resolve(v.out ?? join(runDir.dir, 'model.onnx'));
    const bytes = exportOnnx(runDir.model, info);
    writeFileAtomic(out, [bytes]);
    const shapes = runDir.preprocess?.characters
      ? `input int64 character ids [N, T], T ≤ ${runDir.preprocess.characters.context}, output logits [N, T, ${runDir.classes?.length ?? '?'}]; the vocabulary is the classes metadata`
      : `input [N, ${runDir.preprocess?.inputShape.join(', ')}] raw, output logits [N, ${runDir.classes?.length ?? '?'}]`;
    console.log(`wrote ${out} (ONNX opset 17, ${(bytes.length / 1024).toFixed(0)} KiB): ${shapes}`);
  } else {
    const out = resolve(v.out ?? join(runDir.dir, 'torch'));
    saveTorchExport(out, runDir.model, info);
    console.log(`wrote ${join(out, 'model.py')} and ${join(out, 'model.safetensors')} (PyTorch names): in Python, sys.path.insert(0, '${out}'); from model import load_model; model = load_model('${join(out, 'model.safetensors')}')`);
  }
  return 0;
}

export const exportCommand: Command = { name: 'export', summary: "write a run's saved model as ONNX or as PyTorch code and weights", help: HELP, run };
