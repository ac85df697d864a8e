"""Made-to-measure: garment types and their measurements, customers' profiles, fabrics, product options,
quotes, and the production jobs that turn an order line into a garment."""
