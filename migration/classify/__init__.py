"""Classify workloads as SaaS / PaaS / IaaS / retain / retire, with reasons."""
