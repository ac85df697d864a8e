"""Orders over GraphQL (mirrors `core.orders`): the `Order` type and a customer's own orders (`types`), and
brand staff handling them (`management`)."""
