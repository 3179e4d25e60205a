import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = 'http://localhost:8080';

// The web app lives in web/; the Fastify server serves web/dist in production.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      output: {
        // Long-lived vendor chunks: an app release does not invalidate the libraries' cache.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (
            /[\\/](recharts|d3-[a-z-]+|victory-vendor|@reduxjs|react-redux|redux|immer|reselect|decimal\.js-light|es-toolkit)[\\/]/.test(
              id,
            )
          )
            return 'charts';
          if (/[\\/]@mantine[\\/]charts[\\/]/.test(id)) return 'charts';
          if (
            /[\\/](@mantine|@floating-ui|react-remove-scroll|react-textarea-autosize|react-number-format|@tabler)/.test(
              id,
            )
          )
            return 'mantine';
          return 'vendor';
        },
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/api': api, '/healthz': api, '/readyz': api },
  },
});
