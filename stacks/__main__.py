"""Pulumi runs this directory (Pulumi.yaml `main: stacks/`): absolute imports only."""

from forcelift.stacks.program import main

main()
