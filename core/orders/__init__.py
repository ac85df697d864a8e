"""Orders: snapshots of what was bought, their status machines, shipments, refunds and history."""
