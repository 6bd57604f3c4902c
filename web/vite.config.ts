// Builds the dashboard into DASHBOARD_OUT_DIR (CMake passes ${CMAKE_BINARY_DIR}/dashboard) or
// web/dist. Everything is bundled (Leaflet, uPlot, the world-atlas map): no CDN, works offline.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: process.env.DASHBOARD_OUT_DIR || 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: {
    // `npm run dev` proxies the API to a local node (DEPIN_NODE, default 127.0.0.1:8080).
    proxy: { '/v1': process.env.DEPIN_NODE || 'http://127.0.0.1:8080' },
  },
});
