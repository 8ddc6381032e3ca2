/** The build step's corpus (lab/build/spam-corpus.ts, served by the Vite plugin in lab/vite.config.ts). */
declare module 'virtual:spam-corpus' {
  import type { RawCorpus } from './sparse-logreg.js';
  const corpus: RawCorpus & { source: Record<string, number> };
  export default corpus;
}
