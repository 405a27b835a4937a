"""The Pulumi program: reads stack config and the plan, builds components."""
