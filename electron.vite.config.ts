import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { CONTENT_SECURITY_POLICY_META } from './src/shared/csp'

/** The page's Content-Security-Policy as a <meta>, from its one home (src/shared/csp.ts). */
const cspMeta = (): Plugin => ({
  name: 'ferry-csp-meta',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META },
      injectTo: 'head-prepend',
    },
  ],
})

// One config for the three sides. The main build has three entries: the Electron entry, the `ferry`
// CLI (which also runs `ferry serve`) and the worker process, so one build serves the desktop app and
// plain Node alike. Dependencies stay external there (node_modules is shipped), but the sandboxed
// preload cannot `require` anything except electron, so it bundles what it imports.
export default defineConfig({
  main: {
    build: {
      // music-metadata is ESM-only: bundled, so the CommonJS main bundle need not require() it. zod is
      // bundled for start-up time: required from node_modules it is 235 modules and ≈ 50 ms before a
      // command can begin; in the engine's chunk it costs ≈ 15 ms (`FERRY_TRACE_STARTUP=1 ferry …`).
      externalizeDeps: { exclude: ['music-metadata', 'zod'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/cli/index.ts'),
          worker: resolve(__dirname, 'src/main/engine/workers/worker-entry.ts'),
          'scan-worker': resolve(__dirname, 'src/main/engine/sync/scan-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } },
    plugins: [cspMeta(), react()],
  },
})
