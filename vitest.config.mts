import { resolve } from 'node:path'

import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src-main/**/*.spec.ts'],
          environment: 'node'
        }
      },
      {
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.ts', 'test/golden/**/*.test.ts'],
          environment: 'node'
        }
      },
      {
        plugins: [svelte({ configFile: resolve('svelte.config.mjs') }), svelteTesting()],
        test: {
          name: 'renderer',
          include: ['src-renderer/**/*.spec.ts'],
          environment: 'jsdom',
          setupFiles: ['./test/renderer-setup.ts']
        }
      },
      {
        // Real iproute2, nftables and dnsmasq inside network namespaces the tests create; root only.
        test: {
          name: 'netns',
          include: ['test/netns/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      },
      {
        // The app's elevation path: real pkexec and polkitd, the packaged helper, a throw-away user; root only.
        test: {
          name: 'pkexec',
          include: ['test/pkexec/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      },
      {
        // A real Linux guest under QEMU (TCG) on a guestnet network inside test namespaces; root only.
        test: {
          name: 'qemu',
          include: ['test/qemu/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000
        }
      }
    ]
  }
})
