import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { sourceCondition } from '../../vitest.shared.js';

// 'wasm-unsafe-eval' lets the engine's compiled programs and Graphviz run as WebAssembly; it
// does not allow eval of JavaScript, which nothing here needs.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

/** Puts the policy into the built page only: Vite's dev server injects inline code. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'mg-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  // Relative asset paths: the built site works from any folder of any static server.
  base: './',
  // The workspace packages from their sources, as in the tests: the page never runs a stale build.
  resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
  plugins: [contentSecurityPolicy()],
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 1600 },
});
