// The TypeScript codegen recipe of docs/storefront.md, as CI runs it (`make codegen`): graphql-codegen's client
// preset over the committed schema and the example documents, with Lini's scalars mapped as their
// descriptions and @specifiedBy say. In a storefront, point `schema` at Lini's schema.graphql (or its URL) and
// `documents` at the app's own files.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["../docs/examples/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "./generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        // a scalar left out here fails the build instead of becoming `any`
        strictScalars: true,
        scalars: {
          Decimal: "string", // digits in a string: parse with a decimal library, never Number()
          DateTime: "string", // ISO 8601 with its offset: new Date(value) reads it
          Date: "string", // YYYY-MM-DD
          JSON: "unknown",
          Upload: "File",
        },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
