import { resolve } from 'node:path'

import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'electron-vite'

// main also builds the CLI and the privileged helper: three entries, shared chunks, each verb
// loaded lazily so a CLI start pulls in only what it needs.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('src-main/app/index.ts'),
          cli: resolve('src-main/cli/main.ts'),
          helper: resolve('src-main/helper/main.ts')
        }
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve('src-main/preload/index.ts') } }
    }
  },
  renderer: {
    root: resolve('src-renderer'),
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } }
    },
    plugins: [svelte({ configFile: resolve('svelte.config.mjs') })]
  }
})
