/**
 * The character language models (src/text/char-gpt.ts, char-rnn.ts) as PyTorch classes that model.py
 * defines: torch.nn has no CharGPT or CharRNN, so the export writes their class (a few lines of torch.nn
 * modules under the same attribute names, in snake_case) and calls it with the model's options. Each takes
 * int64 ids [B, T] and returns logits [B, T, V], as nabla's forward.
 */
import type { Module } from '../../nn/module.js';
import type { CharGPT } from '../../text/char-gpt.js';
import type { CharRNN } from '../../text/char-rnn.js';
import { pyFloat, pyInt, pyString } from './python-literals.js';

export interface ModelClass {
  /** The class name model.py defines. */
  cls: string;
  /** Its Python source. */
  definition: string;
  args: (m: Module) => string[];
}

const CHAR_GPT_PY = `class CharGPT(nn.Module):
    """nabla's CharGPT: token + position embeddings, pre-norm Transformer layers (GELU) under a causal mask, LayerNorm, Linear."""

    def __init__(self, vocab_size, context, width, layers, heads, dropout=0.1):
        super().__init__()
        self.context = context
        self.token_embedding = nn.Embedding(vocab_size, width)
        self.position_embedding = nn.Embedding(context, width)
        layer = nn.TransformerEncoderLayer(width, heads, dim_feedforward=4 * width, dropout=dropout, activation='gelu',
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab_size)

    def forward(self, ids):
        """ids: int64 [B, T], T <= context -> logits [B, T, vocab_size] of each next character."""
        steps = ids.shape[1]
        if not 1 <= steps <= self.context:
            raise ValueError(f'CharGPT: expected ids [batch, length] with 1 <= length <= context {self.context}, got {list(ids.shape)}')
        positions = torch.arange(steps, device=ids.device)
        x = self.token_embedding(ids) + self.position_embedding(positions)
        causal = torch.triu(torch.full((steps, steps), float('-inf'), device=ids.device), diagonal=1)
        return self.head(self.norm(self.encoder(x, mask=causal)))
`;

const CHAR_RNN_PY = `class CharRNN(nn.Module):
    """nabla's CharRNN: Embedding, an LSTM/GRU/RNN (batch first), Linear to the vocabulary."""

    def __init__(self, vocab_size, cell, width, layers, dropout=0.0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, width)
        recurrent = {'lstm': nn.LSTM, 'gru': nn.GRU, 'rnn': nn.RNN}[cell]
        self.rnn = recurrent(width, width, num_layers=layers, batch_first=True, dropout=dropout)
        self.fc = nn.Linear(width, vocab_size)

    def forward_with_state(self, ids, state=None):
        """ids: int64 [B, T] -> (logits [B, T, vocab_size], the state after the last step: h, or (h, c) for an LSTM)."""
        out, state = self.rnn(self.embedding(ids), state)
        return self.fc(out), state

    def forward(self, ids):
        """ids: int64 [B, T] -> logits [B, T, vocab_size]; each sequence starts from a zero state."""
        return self.forward_with_state(ids)[0]
`;

/** The module types (module-spec.ts's names) exported as a class model.py defines. */
export const MODEL_CLASSES: Record<string, ModelClass> = {
  CharGPT: {
    cls: 'CharGPT',
    definition: CHAR_GPT_PY,
    args: (m) => {
      const g = m as CharGPT;
      return [pyInt(g.vocabSize), `context=${pyInt(g.context)}`, `width=${pyInt(g.width)}`, `layers=${pyInt(g.numLayers)}`, `heads=${pyInt(g.heads)}`, `dropout=${pyFloat(g.dropout)}`];
    },
  },
  CharRNN: {
    cls: 'CharRNN',
    definition: CHAR_RNN_PY,
    args: (m) => {
      const r = m as CharRNN;
      return [pyInt(r.vocabSize), `cell=${pyString(r.cell)}`, `width=${pyInt(r.width)}`, `layers=${pyInt(r.layers)}`, `dropout=${pyFloat(r.dropout)}`];
    },
  },
};
