"""Per-brand plugin configuration: which plugins a brand uses and its settings for each."""
