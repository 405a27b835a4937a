"""AWS landing zone and workload components (pulumi-aws)."""
