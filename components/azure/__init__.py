"""Azure landing zone and workload components (pulumi-azure-native)."""
