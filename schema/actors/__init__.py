"""The ecosystem's actors over GraphQL (mirrors `core.actors`): brands and their storefront, suppliers,
tailors and their certifications, customers' addresses."""
