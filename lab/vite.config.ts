import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The lab runs nabla itself in the page: `nabla` resolves to the library's TypeScript sources.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
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
