// Built with relative asset URLs: Lini serves dist/ under /shop/<brand>/ for every brand and writes
// <base href="/shop/<brand>/"> into index.html, so one build serves them all (schema/shop.py).
import { defineConfig, type Plugin } from "vite";

// graphql-codegen writes every operation into one module as `new TypedDocumentString(…)`, which a bundler must
// keep (a constructor may have side effects): marked pure, each chunk carries only the operations it uses, so
// the lazily loaded pages' queries stay out of the first page's bundle.
function pureDocuments(): Plugin {
  return {
    name: "pure-graphql-documents",
    transform(code, id) {
      if (!/\/src\/gql\/(pages\/)?graphql\.ts$/.test(id)) return null;
      return { code: code.replaceAll("= new TypedDocumentString(", "= /* @__PURE__ */ new TypedDocumentString("), map: null };
    },
  };
}

export default defineConfig({
  base: "./",
  plugins: [pureDocuments()],
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { target: "es2022", assetsInlineLimit: 0 },
  server: { proxy: { "/graphql": "http://127.0.0.1:8000" } },
});
