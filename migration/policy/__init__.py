"""Security guardrails over a resource graph: one rule set for offline checks and CrossGuard."""
