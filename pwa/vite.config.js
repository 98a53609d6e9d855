import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// The decoder's wasm must be the one of the zxing-wasm version that barcode-detector itself
// depends on (npm may nest it); resolve it from barcode-detector's own folder.
function packageRoot(file, name) {
  let dir = path.dirname(file);
  while (!(
    existsSync(path.join(dir, 'package.json')) &&
    JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).name === name
  )) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package root for ${name}`);
    dir = up;
  }
  return dir;
}
const bdDir = packageRoot(require.resolve('barcode-detector'), 'barcode-detector');
const zxingDir = packageRoot(
  createRequire(path.join(bdDir, 'package.json')).resolve('zxing-wasm/reader'),
  'zxing-wasm',
);
const zxingWasm = path.join(zxingDir, 'dist/reader/zxing_reader.wasm');

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  resolve: { alias: [{ find: /^rounds:zxing-reader-wasm/, replacement: zxingWasm }] },
  build: {
    target: 'es2020',
    assetsInlineLimit: 0,
    sourcemap: process.env.ROUNDS_SOURCEMAP === '1',
  },
  server: { proxy: { '/api': 'http://127.0.0.1:5000' } },
  test: {
    environment: 'node',
    setupFiles: ['./test/setup.js'],
    include: ['test/**/*.test.js'],
  },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.js',
      injectRegister: false, // src/lib/update.js registers it with workbox-window
      includeAssets: ['icons/apple-touch-icon.png', 'icons/icon.svg'],
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,webmanifest}'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
      manifest: {
        id: '/',
        name: 'Rounds',
        short_name: 'Rounds',
        description: 'Record ward rounds and home visits, online or not.',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#0b5d4b',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: '/icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
    }),
  ],
});
