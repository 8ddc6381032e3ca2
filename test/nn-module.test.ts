import { describe, expect, it } from 'vitest';
import { manualSeed, nn, randn, tensor, Tensor, zeros, ones } from '../src/index.js';

/** A module with a parameter, a buffer and a child, to exercise registration. */
class Block extends nn.Module {
  scale: Tensor;
  count: Tensor;
  inner: nn.Linear;

  constructor() {
    super();
    this.inner = this.registerModule('inner', new nn.Linear(3, 2));
    this.scale = this.registerParameter('scale', ones([2]));
    this.count = this.registerBuffer('count', zeros([1]));
  }

  forward(x: Tensor): Tensor {
    return this.inner.forward(x).mul(this.scale);
  }
}

function model(): nn.Sequential {
  return new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new Block(), new nn.Dropout(0.2));
}

describe('Module', () => {
  it('names parameters, buffers and modules with dotted paths', () => {
    manualSeed(1);
    const m = model();
    expect(m.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.scale', '2.inner.weight', '2.inner.bias']);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['2.count']);
    expect(m.parameters().map((p) => p.shape)).toEqual([[3, 4], [3], [2], [2, 3], [2]]);
    expect(m.parameters().every((p) => p.requiresGrad)).toBe(true);
    expect(m.children().map((c) => c.typeName)).toEqual(['Linear', 'ReLU', 'Block', 'Dropout']);
    expect(m.namedModules().map(([n]) => n)).toEqual(['', '0', '1', '2', '2.inner', '3']);
    expect(m.modules().length).toBe(6);
    expect(Object.keys(m.stateDict())).toEqual(['0.weight', '0.bias', '2.scale', '2.count', '2.inner.weight', '2.inner.bias']);
  });

  it('sees reassigned properties and counts a shared parameter once', () => {
    const a = new nn.Linear(2, 2);
    const b = new nn.Linear(2, 2);
    b.weight = a.weight;
    const m = new nn.Sequential(a, b);
    expect(m.parameters().length).toBe(3);
    expect(m.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.bias']);
  });

  it('disabled bias is absent from parameters and stateDict', () => {
    const l = new nn.Linear(3, 2, { bias: false });
    expect(l.bias).toBeNull();
    expect(Object.keys(l.stateDict())).toEqual(['weight']);
  });

  it('train/eval propagate to every descendant', () => {
    const m = model();
    expect(m.modules().every((x) => x.training)).toBe(true);
    expect(m.eval()).toBe(m);
    expect(m.modules().every((x) => !x.training)).toBe(true);
    m.train();
    expect(m.modules().every((x) => x.training)).toBe(true);
    m.train(false);
    expect((m.at(2) as Block).inner.training).toBe(false);
    expect(() => m.train('yes' as unknown as boolean)).toThrow('Sequential.train: mode must be a boolean, got string');
  });

  it('zeroGrad clears every gradient', () => {
    manualSeed(2);
    const m = model();
    m.forward(randn([5, 4])).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('stateDict shares storage; loadStateDict copies in place and round-trips', () => {
    manualSeed(3);
    const src = model();
    (src.at(2) as Block).count.data[0] = 7;
    manualSeed(4);
    const dst = model();
    const before = dst.parameters();
    const x = randn([2, 4]);
    const result = dst.loadStateDict(src.stateDict());
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    // same tensor objects (optimizers keep their references), now holding src's values
    expect(dst.parameters()).toEqual(before);
    dst.parameters().forEach((p, i) => expect(p).toBe(before[i]));
    for (const [k, v] of Object.entries(src.stateDict())) expect(Array.from(dst.stateDict()[k].data)).toEqual(Array.from(v.data));
    expect((dst.at(2) as Block).count.data[0]).toBe(7);
    src.eval();
    dst.eval();
    expect(Array.from(dst.forward(x).data)).toEqual(Array.from(src.forward(x).data));
    // stateDict values share storage with the module
    const sd = dst.stateDict();
    sd['0.bias'].data[0] = 42;
    expect((dst.at(0) as nn.Linear).bias!.data[0]).toBe(42);
  });

  it('loadStateDict: strict errors name the keys and shapes, and modify nothing', () => {
    manualSeed(5);
    const m = model();
    const snapshot = Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, Array.from(v.data)]));
    const unchanged = () => {
      for (const [k, v] of Object.entries(m.stateDict())) expect(Array.from(v.data)).toEqual(snapshot[k]);
    };
    const good = Object.fromEntries(Object.entries(model().stateDict()).map(([k, v]) => [k, v.add(1)]));

    const { ['2.count']: _dropped, ...missing } = good;
    expect(() => m.loadStateDict(missing)).toThrow("loadStateDict: Sequential: missing keys '2.count'");
    unchanged();
    expect(() => m.loadStateDict({ ...good, 'extra.weight': zeros([1]) })).toThrow("loadStateDict: Sequential: unexpected keys 'extra.weight'");
    unchanged();
    expect(() => m.loadStateDict({ ...good, '0.weight': zeros([4, 3]) })).toThrow(
      "loadStateDict: Sequential: '0.weight' has shape [4,3] in the state dict but [3,4] in the module",
    );
    unchanged();
    // a shape mismatch is an error even when not strict
    expect(() => m.loadStateDict({ '0.bias': zeros([5]) }, { strict: false })).toThrow("'0.bias' has shape [5] in the state dict but [3] in the module");
    unchanged();
    // non-strict loads what matches and reports the rest
    const r = m.loadStateDict({ '0.bias': tensor([1, 2, 3]), 'other': zeros([1]) }, { strict: false });
    expect(r.unexpectedKeys).toEqual(['other']);
    expect(r.missingKeys).toContain('0.weight');
    expect(Array.from((m.at(0) as nn.Linear).bias!.data)).toEqual([1, 2, 3]);
  });

  it('registration errors', () => {
    class Bad extends nn.Module {
      constructor(kind: 'dot' | 'twice' | 'notTensor') {
        super();
        if (kind === 'dot') this.registerParameter('a.b', zeros([1]));
        if (kind === 'twice') {
          this.registerParameter('w', zeros([1]));
          this.registerBuffer('w', zeros([1]));
        }
        if (kind === 'notTensor') this.registerParameter('w', [1] as unknown as Tensor);
      }

      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(() => new Bad('dot')).toThrow(`Bad.registerParameter: name must be a non-empty string without '.', got "a.b"`);
    expect(() => new Bad('twice')).toThrow("Bad.registerBuffer: 'w' is already registered as another kind");
    expect(() => new Bad('notTensor')).toThrow("Bad.registerParameter: 'w' must be a Tensor or null");
  });

  it('requiresGrad_ freezes parameters; the summary counts total and trainable', () => {
    const m = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10, { bias: false }), new nn.Softmax(1));
    expect(m.toString()).toBe([
      'Sequential(',
      '  (0): Linear(inFeatures=784, outFeatures=128, bias=true)',
      '  (1): ReLU()',
      '  (2): Linear(inFeatures=128, outFeatures=10, bias=false)',
      '  (3): Softmax(axis=1)',
      ')',
      'Total parameters: 101,760 (trainable: 101,760)',
    ].join('\n'));
    (m.at(0) as nn.Linear).requiresGrad_(false);
    expect(m.toString().split('\n').at(-1)).toBe('Total parameters: 101,760 (trainable: 1,280)');
    const nested = new nn.Sequential(new nn.Sequential(new nn.Flatten(), new nn.LeakyReLU(0.2)), new nn.ELU(0.5), new nn.Dropout(0.1));
    expect(nested.toString()).toBe([
      'Sequential(',
      '  (0): Sequential(',
      '    (0): Flatten(startDim=1, endDim=-1)',
      '    (1): LeakyReLU(negativeSlope=0.2)',
      '  )',
      '  (1): ELU(alpha=0.5)',
      '  (2): Dropout(p=0.1)',
      ')',
      'Total parameters: 0 (trainable: 0)',
    ].join('\n'));
  });

  it('apply visits every module, children first', () => {
    const m = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.Tanh()));
    const seen: string[] = [];
    m.apply((x) => seen.push(x.typeName));
    expect(seen).toEqual(['Linear', 'Tanh', 'Sequential', 'Sequential']);
  });
});
