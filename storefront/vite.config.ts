// Built with relative asset URLs: Lini serves dist/ under /shop/<brand>/ for every brand and writes
// <base href="/shop/<brand>/"> into index.html, so one build serves them all (schema/shop.py).
import { defineConfig } from "vite";

export default defineConfig({
  base: "./",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { target: "es2022", assetsInlineLimit: 0 },
  server: { proxy: { "/graphql": "http://127.0.0.1:8000" } },
});
