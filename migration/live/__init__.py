"""Edges that talk to a live cloud account: the Pulumi state backend and post-deploy checks."""
