"""The catalog over GraphQL (mirrors `core.catalog`): the storefront's products (`products`), and their
management by brand staff (`management`, with `taxonomy`, `media` and the shared `management_types`)."""
