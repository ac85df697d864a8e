"""Accounts and tokens over GraphQL (mirrors `core.auth`): registering, signing in, `me`, passwords."""
