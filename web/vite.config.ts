/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Rust server (`vouch serve`, default 127.0.0.1:8080) owns these paths;
// the dev server forwards them so the SPA talks to it on the same origin.
const backend = process.env.VOUCH_DEV_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  // Absolute asset URLs: the server falls back to index.html for client routes
  // such as /rules/123, so relative paths would break there.
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/graphql': { target: backend, changeOrigin: true, ws: true },
      '/oauth': { target: backend, changeOrigin: true },
      '/webhooks': { target: backend, changeOrigin: true },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
  },
});
