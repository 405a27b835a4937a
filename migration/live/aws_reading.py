"""Shared pieces of reading an AWS account: tags, paging, parallel reads, and the reader base."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from forcelift.migration.live.aws_backend import AwsClients

STACK_TAG = "forcelift-stack"
MAX_WORKERS = 8
_LIVE_STATES = ["pending", "running", "stopping", "stopped"]


def _tags(
    items: Iterable[Mapping[str, Any]] | None, key: str = "Key", value: str = "Value"
) -> dict[str, str]:
    return {str(t[key]): str(t.get(value, "")) for t in items or [] if key in t}


def _with_tags(inputs: dict[str, Any], tags: Mapping[str, str]) -> dict[str, Any]:
    """Add `tags` only when there are some, as Pulumi's wire form has it."""
    if tags:
        inputs["tags"] = dict(sorted(tags.items()))
    return inputs


def _wanted(tags: Mapping[str, str], stack: str | None) -> bool:
    return stack is None or tags.get(STACK_TAG) == stack


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    out: list[Any] = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        out.extend(page.get(key) or [])
    return out


def _parallel(func: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    if len(items) <= 1:
        return [func(i) for i in items]
    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(items))) as pool:
        return list(pool.map(func, items))


class ReaderBase:
    """One region of one account; the read methods live in aws_read_compute / aws_read_data."""

    def __init__(self, clients: AwsClients, region: str, account: str, stack: str | None) -> None:
        self.clients = clients
        self.region = region
        self.account = account
        self.stack = stack

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{self.account}:{resource}"

    def ec2_filters(self, extra: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        filters = list(extra or [])
        if self.stack is not None:
            filters.append({"Name": f"tag:{STACK_TAG}", "Values": [self.stack]})
        return filters


def _pab_inputs(block: Mapping[str, Any]) -> dict[str, bool]:
    return {
        "blockPublicAcls": block.get("BlockPublicAcls") is True,
        "blockPublicPolicy": block.get("BlockPublicPolicy") is True,
        "ignorePublicAcls": block.get("IgnorePublicAcls") is True,
        "restrictPublicBuckets": block.get("RestrictPublicBuckets") is True,
    }
