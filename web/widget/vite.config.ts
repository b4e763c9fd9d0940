import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The chat widget's own bundle (docs/channels.md): one self-contained script, no React, served as /widget.js
// from web/dist beside the app (the app's build empties web/dist first, so this one runs after it).
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist', import.meta.url)),
    emptyOutDir: false,
    target: 'es2020',
    minify: true,
    lib: { entry: fileURLToPath(new URL('./src/widget.ts', import.meta.url)), formats: ['iife'], name: 'ReplybyWidget', fileName: () => 'widget.js' },
  },
});
