"""Made-to-measure over GraphQL (mirrors `core.garments`): garment types and measurement profiles
(`garment_types`), fabrics, made-to-measure products and quotes (`products`, answering with the types in
`custom_garment`), and production (`production`)."""
