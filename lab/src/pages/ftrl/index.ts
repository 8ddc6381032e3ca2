/**
 * #/ftrl — FTRL where it was made for: a linear model over many sparse features (hashed words of
 * real e-mails, spam or not), where L1 should switch most features off. FTRL and Adagrad + the L1
 * subgradient train side by side with the same λ: FTRL's weights land on exactly 0, Adagrad's hover
 * around it. Charts: nonzero weights against test accuracy (this run, and across λ), the weights
 * near zero, the tokens with the largest weights either way.
 */
import './ftrl.css';
import type { Page } from '../page.js';
import { button, el, logScale, slider } from '../../ui/dom.js';
import { readNumber, writeHashState } from '../../ui/url-state.js';
import { decodeCorpus, SparseRace, type Corpus, type OptimizerKind, type RunSettings, type TokenWeight } from './sparse-logreg.js';
import { COLORS, NAMES, HIST_RANGE, nearZeroHistogram, tradeoffChart, type SweepPoint } from './charts.js';

const ROUTE = 'ftrl';
export const DEFAULT_L1 = 1e-3;
const EPOCHS = 15;
const BASE: Omit<RunSettings, 'l1' | 'seed'> = { batchSize: 30, ftrlLr: 0.1, adagradLr: 0.05 };
/** λ values of the trade-off curve, measured one after another once the page's own run is done. */
const SWEEP = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2];
/** Steps of both optimizers per animation frame: slow enough to watch the paths move. */
const STEPS_PER_FRAME = 2;
const SWEEP_SLICE_MS = 10;
const TOP_K = 12;

const fmtL1 = (v: number) => (v === 0 ? '0' : Number(v.toPrecision(2)).toExponential().replace(/\.?0*e/, 'e').replace('e-', 'e−'));
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function mount(root: HTMLElement, params: URLSearchParams): () => void {
  let l1 = readNumber(params, 'l1', DEFAULT_L1, 0, 1);
  const seed = Math.round(readNumber(params, 'seed', 1, 0, 2 ** 31 - 1));
  let alive = true;
  let frame = 0;
  let playing = true;
  let corpus: Corpus | null = null;
  let race: SparseRace | null = null;
  const sweep: Record<OptimizerKind, SweepPoint[]> = { ftrl: [], adagrad: [] };
  let sweepRace: SparseRace | null = null;

  const page = el('div', { class: 'ftrl', 'data-state': 'loading' });
  const intro = el('section', { class: 'intro' },
    el('h1', {}, 'FTRL: exact zeros from L1'),
    el('p', {}, 'FTRL (Follow The Regularized Leader, McMahan et al.) was made for models like ad-click prediction: a logistic regression over millions of sparse features, most of which should end up switched off, so the model is small to store and fast to serve. Here it classifies real e-mails from the SpamAssassin corpus as spam or not: every lowercased word of the mail, headers included, is hashed into one of a few thousand buckets, and a bucket\'s feature is 1 if one of its words occurs. One weight per bucket, plus a bias.'),
    el('p', {}, 'Both optimizers minimize the same thing: the mean log-loss plus λ·‖w‖₁. ',
      el('strong', {}, 'FTRL'), ' keeps, per coordinate, the sum z of its gradients (corrected by the proximal term) and solves for the weight in closed form: w = 0 whenever |z| ≤ (the L1 of all rounds so far), otherwise a shrunken step. A weight whose gradients do not add up to more than the L1 term sits at ',
      el('em', {}, 'exactly'), ' zero. ',
      el('strong', {}, 'Adagrad'), ' gets the L1 term as a subgradient, λ·sign(w), added to each gradient: a small weight is pushed towards 0, steps past it, is pushed back, and oscillates around 0 without ever resting on it. Move λ and compare how many weights each keeps for the same accuracy.'),
  );

  const stepText = el('span', { class: 'mono' }, '—');
  const l1Slider = slider({
    label: 'L1 strength λ', min: 0, max: 100, step: 1, value: Math.max(l1, 1e-5), scale: logScale(1e-5, 0.1),
    format: fmtL1, onInput: (v) => restart(Number(v.toPrecision(2))),
  });
  const playButton = button('Pause', () => setPlaying(!playing), { class: 'primary' });
  const resetButton = button('Reset', () => restart(l1));
  const summary = el('table', { class: 'ftrl-summary' });
  const controls = el('aside', { class: 'card ftrl-controls' },
    el('h2', {}, 'Settings'),
    l1Slider.root,
    el('p', { class: 'muted ftrl-hint' }, `Logistic regression on hashed words, mini-batches of ${BASE.batchSize}, ${EPOCHS} epochs; FTRL lr ${BASE.ftrlLr}, Adagrad lr ${BASE.adagradLr}. Every change restarts both runs from w = 0.`),
    el('div', { class: 'row' }, playButton, resetButton),
    el('h3', {}, 'Status'),
    el('div', { class: 'status' }, 'epoch ', stepText),
    summary,
  );

  const tradeoff = el('div', { class: 'ftrl-chart' });
  const sweepNote = el('p', { class: 'muted ftrl-hint ftrl-sweep-note' });
  const legend = el('div', { class: 'legend' },
    ...(['ftrl', 'adagrad'] as const).map((k) => el('span', {}, el('span', { class: 'swatch', style: `background:${COLORS[k]}` }), NAMES[k])),
    el('span', { class: 'muted' }, 'solid: this run, epoch by epoch · dashed: the end of runs at other λ'));
  const tradeoffCard = el('section', { class: 'card' }, el('h2', {}, 'Nonzero weights against test accuracy'), legend, tradeoff, sweepNote);
  const hists = { ftrl: el('div', { class: 'ftrl-hist' }), adagrad: el('div', { class: 'ftrl-hist' }) };
  const histCard = el('section', { class: 'card' },
    el('h2', {}, 'The weights near zero'),
    el('p', { class: 'muted ftrl-hint' }, `Weights within ±${HIST_RANGE} of 0 (square-root count scale); the dark bar in the middle counts the weights that are exactly 0.`),
    el('div', { class: 'ftrl-two' },
      ...(['ftrl', 'adagrad'] as const).map((k) => el('figure', { class: 'ftrl-figure' }, el('figcaption', {}, el('span', { class: 'swatch', style: `background:${COLORS[k]}` }), NAMES[k]), hists[k]))));
  const tokenLists = el('div', { class: 'ftrl-two' });
  const tokensCard = el('section', { class: 'card ftrl-tokens' },
    el('h2', {}, 'What the model reads'),
    el('p', { class: 'muted ftrl-hint' }, 'FTRL\'s buckets with the largest weights either way, each shown by its most frequent word in these mails (“+k” when k more words share the bucket).'),
    tokenLists);
  page.append(intro, el('div', { class: 'layout ftrl-layout' }, controls, el('div', { class: 'ftrl-main' }, tradeoffCard, histCard, tokensCard)));
  root.append(page);

  function setPlaying(on: boolean): void {
    playing = on && !!race && !race.done;
    playButton.textContent = playing ? 'Pause' : race?.done ? 'Finished' : 'Play';
    playButton.disabled = !!race?.done;
    cancelAnimationFrame(frame);
    if (playing || (race?.done && sweepPending())) frame = requestAnimationFrame(tick);
  }

  function restart(value: number): void {
    l1 = value;
    l1Slider.set(Math.max(l1, 1e-5));
    writeHashState(ROUTE, { l1, seed });
    if (!corpus) return;
    race = new SparseRace(corpus, { ...BASE, l1, seed }, EPOCHS);
    render();
    setPlaying(true);
  }

  function sweepPending(): boolean {
    return sweep.ftrl.length < SWEEP.length;
  }

  /** Runs the next slice of the λ sweep (only while the page's own run is finished). */
  function sweepSlice(): void {
    if (!corpus || !sweepPending()) return;
    const start = performance.now();
    while (performance.now() - start < SWEEP_SLICE_MS) {
      sweepRace ??= new SparseRace(corpus, { ...BASE, l1: SWEEP[sweep.ftrl.length], seed }, EPOCHS);
      sweepRace.advance();
      if (sweepRace.done) {
        for (const k of ['ftrl', 'adagrad'] as const) {
          const last = sweepRace[k].history[sweepRace[k].history.length - 1];
          sweep[k].push({ l1: sweepRace.settings.l1, nonzero: last.nonzero, accuracy: last.testAccuracy });
        }
        sweepRace = null;
        render();
        if (!sweepPending()) break;
      }
    }
  }

  function tick(): void {
    if (!alive || !race) return;
    if (playing && !race.done) {
      for (let i = 0; i < STEPS_PER_FRAME && !race.done; i++) race.advance();
      render();
      if (race.done) setPlaying(false);
    } else if (race.done) {
      sweepSlice();
    }
    if ((playing && !race.done) || (race.done && sweepPending())) frame = requestAnimationFrame(tick);
  }

  function tokenList(title: string, items: TokenWeight[], cls: string): HTMLElement {
    return el('div', { class: `ftrl-token-list ${cls}` },
      el('h3', {}, title),
      el('ol', {}, ...items.map((t) => el('li', { 'data-bucket': t.bucket },
        el('span', { class: 'mono ftrl-token' }, t.token || `bucket ${t.bucket}`, t.collisions > 1 ? el('span', { class: 'muted' }, ` +${t.collisions - 1}`) : ''),
        el('span', { class: 'mono ftrl-weight' }, (t.weight > 0 ? '+' : '') + t.weight.toFixed(3))))));
  }

  function render(): void {
    if (!race || !corpus) return;
    const f = race.ftrl.history[race.ftrl.history.length - 1];
    const a = race.adagrad.history[race.adagrad.history.length - 1];
    const fc = race.ftrl.counts();
    const ac = race.adagrad.counts();
    const buckets = corpus.buckets;
    Object.assign(page.dataset, {
      state: race.done ? 'done' : 'training',
      step: String(race.step),
      l1: String(l1),
      nonzeroFtrl: String(fc.nonzero),
      nonzeroAdagrad: String(ac.nonzero),
      zerosFtrl: String(buckets - fc.nonzero),
      zerosAdagrad: String(buckets - ac.nonzero),
      nearZeroAdagrad: String(ac.nearZero),
      accFtrl: String(f.testAccuracy),
      accAdagrad: String(a.testAccuracy),
      sweepDone: String(sweep.ftrl.length),
    });
    stepText.textContent = `${race.epoch.toFixed(1)} / ${EPOCHS}`;
    const row = (k: OptimizerKind, s: typeof f, c: typeof fc) => el('tr', { 'data-kind': k },
      el('th', {}, el('span', { class: 'swatch', style: `background:${COLORS[k]}` }), k === 'ftrl' ? 'FTRL' : 'Adagrad'),
      el('td', { class: 'mono' }, String(c.nonzero)),
      el('td', { class: 'mono' }, String(buckets - c.nonzero)),
      el('td', { class: 'mono' }, String(c.nearZero)),
      el('td', { class: 'mono' }, s.step > 0 ? pct(s.testAccuracy) : '—'));
    summary.replaceChildren(
      el('caption', {}, `Weights of ${buckets} buckets, after the last full epoch`),
      el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, 'nonzero'), el('th', {}, '= 0'), el('th', { title: `0 < |w| < 0.001` }, '≈ 0'), el('th', {}, 'test acc.'))),
      el('tbody', {}, row('ftrl', f, fc), row('adagrad', a, ac)));
    tradeoff.innerHTML = tradeoffChart({ buckets, paths: { ftrl: race.ftrl.history, adagrad: race.adagrad.history }, sweep, l1 });
    sweepNote.textContent = sweep.ftrl.length === SWEEP.length
      ? `Dashed: ${SWEEP.length} more runs of ${EPOCHS} epochs each, λ from ${fmtL1(SWEEP[0])} to ${fmtL1(SWEEP[SWEEP.length - 1])} (labels on FTRL's points). Adagrad keeps every weight nonzero at every λ; its accuracy falls as λ grows all the same.`
      : race.done ? `Measuring the trade-off across λ: ${sweep.ftrl.length} of ${SWEEP.length} runs…` : 'The trade-off across λ is measured when this run has finished.';
    hists.ftrl.innerHTML = nearZeroHistogram(race.ftrl.weights(), COLORS.ftrl, 'FTRL');
    hists.adagrad.innerHTML = nearZeroHistogram(race.adagrad.weights(), COLORS.adagrad, 'Adagrad');
    const top = race.topTokens('ftrl', TOP_K);
    tokenLists.replaceChildren(tokenList('→ spam (largest positive weights)', top.spam, 'ftrl-spam'), tokenList('→ ham (largest negative weights)', top.ham, 'ftrl-ham'));
  }

  tradeoff.innerHTML = '<p class="muted">Hashing the mails…</p>';
  import('virtual:spam-corpus').then(
    (m) => {
      if (!alive) return;
      corpus = decodeCorpus(m.default);
      restart(l1);
    },
    (e: unknown) => {
      tradeoff.textContent = `Could not load the corpus: ${String(e)}`;
      page.dataset.state = 'error';
    },
  );

  return () => {
    alive = false;
    playing = false;
    cancelAnimationFrame(frame);
  };
}

export const ftrlPage: Page = { route: ROUTE, title: 'FTRL', mount };
