/** Sequential: its children in order, each exported under its own path (nested Sequentials too). */
import { Sequential } from '../../../nn/sequential.js';
import { registerOnnxExporter } from '../registry.js';

registerOnnxExporter(Sequential, (m, x, ctx) => {
  let value = x;
  for (const [name, child] of m.namedChildren()) value = ctx.exportChild(name, child, value);
  return value;
});
