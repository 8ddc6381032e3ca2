/**
 * Trains one workload with TensorFlow.js in Node on the job's backend ('cpu' or 'wasm') and
 * prints a WorkerResult. The wasm backend's .wasm files load from node_modules (nothing is
 * downloaded). The model mirrors bench/workers/nabla.ts (NHWC for the CNN, tfjs's layout).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { readDataFile } from '../data-file.js';
import { readTokenFile } from '../token-data.js';
import { batchStart, timeTrials, type WorkerJob, type WorkerResult } from '../protocol.js';
import { hiddenActivations, usesBatchNorm, type Workload } from '../workloads.js';

function model(w: Workload): tf.Sequential {
  if (w.kind === 'gpt') throw new Error('bench: TensorFlow.js has no attention layer; the gpt workload does not run on it');
  // Keras' BatchNormalization momentum is the running average's keep rate: 1 − PyTorch's 0.1.
  const bn = () => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
  const net = tf.sequential();
  if (w.kind === 'lstm') {
    // tfjs's LSTM defaults to a hard sigmoid on its gates: the logistic one, as PyTorch's and nabla's.
    net.add(tf.layers.embedding({ inputDim: w.vocab, outputDim: w.width, inputLength: w.sequence }));
    for (let l = 0; l < w.layers; l++) net.add(tf.layers.lstm({ units: w.hidden, returnSequences: true, recurrentActivation: 'sigmoid' }));
    net.add(tf.layers.dense({ units: w.vocab }));
    return net;
  }
  if (w.kind === 'mlp') {
    const activations = hiddenActivations(w);
    const input = () => (net.layers.length === 0 ? { inputShape: [784] } : {});
    w.hidden.forEach((units, i) => {
      net.add(tf.layers.dense({ units, ...input() }));
      if (usesBatchNorm(w)) net.add(bn());
      net.add(tf.layers.activation({ activation: activations[i] }));
    });
    net.add(tf.layers.dense({ units: 10, ...input() }));
    return net;
  }
  const [c1, c2] = w.channels;
  net.add(tf.layers.conv2d({ filters: c1, kernelSize: 3, padding: 'same', inputShape: [28, 28, 1] }));
  net.add(bn());
  net.add(tf.layers.activation({ activation: 'relu' }));
  net.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  net.add(tf.layers.conv2d({ filters: c2, kernelSize: 3, padding: 'same' }));
  net.add(bn());
  net.add(tf.layers.activation({ activation: 'relu' }));
  net.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  net.add(tf.layers.flatten());
  net.add(tf.layers.dense({ units: 10 }));
  return net;
}

/** The step's batch: an MNIST slice (NHWC for the CNN), or (lstm) characters. */
function batches(job: WorkerJob): (i: number) => { x: Float32Array; xShape: number[]; y: Int32Array } {
  const w = job.workload;
  if (w.kind === 'lstm') {
    const T = w.sequence;
    const { x, y } = readTokenFile(job.dataFile, job.samples, T);
    return (i) => {
      const start = batchStart(i, w.batch, job.samples) * T;
      return { x: x.subarray(start, start + w.batch * T), xShape: [w.batch, T], y: y.subarray(start, start + w.batch * T) };
    };
  }
  const { x, y } = readDataFile(job.dataFile, job.samples);
  const xShape = w.kind === 'mlp' ? [w.batch, 784] : [w.batch, 28, 28, 1];
  return (i) => {
    const start = batchStart(i, w.batch, job.samples);
    return { x: x.subarray(start * 784, (start + w.batch) * 784), xShape, y: y.subarray(start, start + w.batch) };
  };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as WorkerJob;
  if (job.variant === 'wasm') {
    const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(`${join(wasmDir, '/')}`);
  }
  if (!(await tf.setBackend(job.variant))) throw new Error(`bench: tfjs backend '${job.variant}' failed to initialize`);
  const w = job.workload;
  const net = model(w);
  const spec = w.optimizer;
  if (spec.name === 'adamw') throw new Error('bench: TensorFlow.js has no AdamW');
  const opt = spec.name === 'adam' ? tf.train.adam(spec.lr) : spec.momentum ? tf.train.momentum(spec.lr, spec.momentum) : tf.train.sgd(spec.lr);
  const batchAt = batches(job);
  const classes = w.kind === 'lstm' ? w.vocab : 10;

  const { trials, cpuMsPerStep, loss } = timeTrials(job, (i) => {
    const { x, xShape, y } = batchAt(i);
    const cost = tf.tidy(() => {
      const xb = tf.tensor(x, xShape);
      const yb = tf.oneHot(tf.tensor1d(y, 'int32'), classes);
      return opt.minimize(() => {
        const out = net.apply(xb, { training: true }) as tf.Tensor;
        const logits = w.kind === 'lstm' ? out.reshape([-1, classes]) : out;
        return tf.losses.softmaxCrossEntropy(yb, logits) as tf.Scalar;
      }, true)!;
    });
    const value = cost.dataSync()[0];
    cost.dispose();
    return value;
  });

  const result: WorkerResult = {
    samplesPerSec: Math.max(...trials),
    trials,
    cpuMsPerStep,
    peakRss: process.resourceUsage().maxRSS * 1024,
    loss,
    version: `TensorFlow.js ${tf.version.tfjs} (${job.variant} backend), Node ${process.versions.node}`,
  };
  console.log(JSON.stringify(result));
}

await main();
