// The codegen recipe of docs/storefront.md (tools/codegen.ts) applied to this app's own documents. One change:
// `documentMode: "string"`, so each operation is its query text with its types and the browser gets no
// graphql-js printer (the recipe's default, AST documents, needs `print` at run time). The lazily loaded pages'
// operations (src/lazy.tsx) are generated into a module of their own, src/gql/pages/: a bundler cannot split one
// module between chunks, so in the shared one they would all load with the first page.
import type { CodegenConfig } from "@graphql-codegen/cli";

const LAZY = ["src/graphql/account.graphql", "src/graphql/madeToMeasure.graphql"];

const output = {
  preset: "client" as const,
  presetConfig: { fragmentMasking: false },
  config: {
        documentMode: "string",
        strictScalars: true, // a scalar left out fails the build instead of becoming `any`
        scalars: { Decimal: "string", DateTime: "string", Date: "string", JSON: "unknown", Upload: "File" },
        enumsAsTypes: true,
        useTypeImports: true,
  },
};

const config: CodegenConfig = {
  schema: "../schema.graphql",
  ignoreNoDocuments: false,
  generates: {
    "./src/gql/": { ...output, documents: ["src/graphql/*.graphql", ...LAZY.map((path) => `!${path}`)] },
    // checkout.graphql again for the fragments (Cart, Problem) and CartCreate the pages use
    "./src/gql/pages/": { ...output, documents: [...LAZY, "src/graphql/checkout.graphql"] },
  },
};

export default config;
