"""Migration planning: waves, sizing, address plan, cost and carbon."""
