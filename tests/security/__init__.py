"""Security probes against the course started as ``make serve`` starts it."""
