/** An MNIST MLP in twenty lines: PyTorch's training loop, in TypeScript. Run: npx tsx examples/mnist-mlp.ts [trainingImages] */
import { data, manualSeed, nn, noGrad, optim, tensor } from '../src/index.js';

manualSeed(0);
const train = data.loadMnist({ split: 'train', limit: Number(process.argv[2] ?? 60000), normalize: true });
const test = data.loadMnist({ split: 'test', normalize: true });
const loader = new data.DataLoader(new data.TensorDataset(train.x, train.y), { batchSize: 128, shuffle: true });
const model = new nn.Sequential(new nn.Linear(784, 256), new nn.BatchNorm1d(256), new nn.ReLU(), new nn.Linear(256, 10));
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
const labels = tensor(Float32Array.from(test.y));

for (let epoch = 1; epoch <= 2; epoch++) {
  for (const { x, y } of loader) {
    const loss = nn.functional.crossEntropy(model.forward(x), y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
  }
  const accuracy = noGrad(() => model.eval().forward(test.x).argmax(1).eq(labels).mean().item());
  model.train();
  console.log(`epoch ${epoch}: test accuracy ${(accuracy * 100).toFixed(2)}%`);
}
