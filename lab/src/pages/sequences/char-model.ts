/**
 * One small character model of the #/sequences page: Embedding → a recurrent layer (plain RNN with
 * tanh, LSTM or GRU) → Linear to the next character's logits, trained with Adam on random windows
 * of the page's text. Besides the step it answers the page's two questions about a fixed probe
 * window: what the hidden state does at each character, and how much gradient from the loss at
 * the window's last character reaches the input at each earlier time step.
 */
import { manualSeed, nn, noGrad, optim, Tensor, tensor } from 'nabla';

const { crossEntropy } = nn.functional;

export type CellKind = 'rnn' | 'lstm' | 'gru';

export interface ModelSettings {
  cell: CellKind;
  hidden: number;
  /** Characters per training window (and of the probe window). */
  window: number;
  batch: number;
  lr: number;
  seed: number;
}

export interface Probe {
  /** The probe window's characters. */
  chars: string[];
  /** Hidden state h_t, [window][hidden]. */
  hidden: Float32Array[];
  /** ‖∂loss_T / ∂x_t‖ for each t: the gradient of the last character's loss reaching input t. */
  gradNorms: number[];
}

type Recurrent = nn.RNN | nn.LSTM | nn.GRU;

const EMBED = 16;

/** The vocabulary of `text` (sorted characters) and the text as ids. */
export function encodeText(text: string): { vocab: string[]; ids: Int32Array } {
  const vocab = [...new Set(text)].sort();
  const index = new Map(vocab.map((c, i) => [c, i]));
  return { vocab, ids: Int32Array.from(text, (c) => index.get(c) ?? 0) };
}

/** A small xorshift generator for the windows and samples (the library's RNG seeds the weights). */
function xorshift(seed: number): () => number {
  let s = (seed >>> 0) || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export class CharModel {
  readonly embedding: nn.Embedding;
  readonly cell: Recurrent;
  readonly head: nn.Linear;
  readonly optimizer: optim.Adam;
  step = 0;
  /** Mean cross-entropy of each step, in bits per character. */
  readonly losses: number[] = [];
  private readonly random: () => number;

  constructor(readonly settings: ModelSettings, readonly vocab: string[], readonly ids: Int32Array) {
    if (ids.length < settings.window + 2) throw new Error(`CharModel: the text has ${ids.length} characters, a window needs ${settings.window + 2}`);
    manualSeed(settings.seed);
    this.random = xorshift(settings.seed + 1);
    const { cell, hidden } = settings;
    this.embedding = new nn.Embedding(vocab.length, EMBED);
    this.cell = cell === 'lstm' ? new nn.LSTM(EMBED, hidden, { batchFirst: true })
      : cell === 'gru' ? new nn.GRU(EMBED, hidden, { batchFirst: true })
      : new nn.RNN(EMBED, hidden, { batchFirst: true });
    // The LSTM's forget gate starts open (bias 1, Gers et al. 2000; Jozefowicz et al. 2015), as is usual:
    // with PyTorch's default it starts half shut and the cell forgets as fast as a plain RNN at first.
    if (this.cell instanceof nn.LSTM) this.cell.allWeights[0][3].data.fill(1, hidden, 2 * hidden);  // biasHhL0, gates i, f, g, o
    this.head = new nn.Linear(hidden, vocab.length);
    this.optimizer = new optim.Adam([...this.embedding.parameters(), ...this.cell.parameters(), ...this.head.parameters()], { lr: settings.lr });
  }

  /** The recurrent layer's output [B, T, H] for inputs x [B, T, EMBED]. */
  private recur(x: Tensor): Tensor {
    return this.cell instanceof nn.LSTM ? this.cell.forward(x)[0] : this.cell.forward(x)[0];
  }

  /** One Adam step on `batch` random windows; returns the loss in bits per character. */
  trainStep(): number {
    const { window: T, batch: B } = this.settings;
    const input = new Int32Array(B * T);
    const target = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      const start = Math.floor(this.random() * (this.ids.length - T - 1));
      input.set(this.ids.subarray(start, start + T), b * T);
      target.set(this.ids.subarray(start + 1, start + T + 1), b * T);
    }
    const x = this.embedding.forward(tensor(Array.from(input)).reshape([B, T]));
    const logits = this.head.forward(this.recur(x)).reshape([B * T, this.vocab.length]);
    const loss = crossEntropy(logits, target);
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    this.step++;
    const bits = loss.item() / Math.LN2;
    this.losses.push(bits);
    return bits;
  }

  /**
   * The probe: the window of `T` characters from `start`. The embedded inputs become a leaf of their own,
   * so after backward from the loss at the last character alone its gradient holds ∂loss_T/∂x_t for every t.
   */
  probe(start: number): Probe {
    const T = this.settings.window;
    const ids = this.ids.subarray(start, start + T);
    const embedded = noGrad(() => this.embedding.forward(tensor(Array.from(ids)).reshape([1, T])));
    const x = new Tensor(embedded.data.slice(), embedded.shape, true);
    const out = this.recur(x);
    const H = this.settings.hidden;
    const last = this.head.forward(out.reshape([T, H]).narrow(0, T - 1, 1));
    crossEntropy(last, [this.ids[start + T]]).backward();
    this.optimizer.zeroGrad();
    const g = x.grad!.data;
    const gradNorms = Array.from({ length: T }, (_, t) => {
      let s = 0;
      for (let j = 0; j < EMBED; j++) s += g[t * EMBED + j] ** 2;
      return Math.sqrt(s);
    });
    const h = out.data;
    return {
      chars: Array.from(ids, (i) => this.vocab[i]),
      hidden: Array.from({ length: T }, (_, t) => h.slice(t * H, (t + 1) * H)),
      gradNorms,
    };
  }

  /** `length` characters sampled after `prompt` (temperature 0.8), from the model's running state. */
  sample(prompt: string, length: number): string {
    const index = new Map(this.vocab.map((c, i) => [c, i]));
    const ids = Array.from(prompt, (c) => index.get(c) ?? 0);
    let text = '';
    noGrad(() => {
      for (let n = 0; n < length; n++) {
        const ctx = ids.slice(-this.settings.window);
        const x = this.embedding.forward(tensor(ctx).reshape([1, ctx.length]));
        const out = this.recur(x);
        const logits = this.head.forward(out.reshape([ctx.length, this.settings.hidden]).narrow(0, ctx.length - 1, 1)).data;
        let max = -Infinity;
        for (const v of logits) max = Math.max(max, v);
        const p = Array.from(logits, (v) => Math.exp((v - max) / 0.8));
        let r = this.random() * p.reduce((a, b) => a + b, 0);
        let next = p.length - 1;
        for (let i = 0; i < p.length; i++) {
          r -= p[i];
          if (r <= 0) { next = i; break; }
        }
        ids.push(next);
        text += this.vocab[next];
      }
    });
    return text;
  }
}
