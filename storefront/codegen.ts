// The codegen recipe of docs/storefront.md (tools/codegen.ts) applied to this app's own documents. One change:
// `documentMode: "string"`, so each operation is its query text with its types and the browser gets no
// graphql-js printer (the recipe's default, AST documents, needs `print` at run time).
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/graphql/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "./src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: "string",
        strictScalars: true, // a scalar left out fails the build instead of becoming `any`
        scalars: { Decimal: "string", DateTime: "string", Date: "string", JSON: "unknown", Upload: "File" },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
