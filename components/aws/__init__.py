"""AWS landing zone and workload components (pulumi-aws), one component per module.

Import the module you need (e.g. `forcelift.components.aws.hub_network`); this package
imports nothing so that loading it stays cheap on paths that build no resources.
"""
