"""Pulumi ComponentResources that turn plan decisions into cloud resources."""
