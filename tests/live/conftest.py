"""A real AWS API emulator (moto in server mode) on 127.0.0.1 for the boto3 code.

One moto server per test session, started as a subprocess on a free loopback port and stopped
at the end. Each test gets its own fresh AWS account inside it (STS AssumeRole into a new
account id): accounts are isolated in moto, so tests need no reset and cannot see each other's
buckets, trails or account settings.
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

_ACCOUNTS = itertools.count(1)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError("moto_server did not answer in time")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """http://127.0.0.1:PORT of a moto server that lives for the whole session."""
    port = _free_port()
    binary = Path(sys.executable).with_name("moto_server")
    command = [str(binary)] if binary.exists() else [sys.executable, "-m", "moto.server"]
    # Without the default AMI catalogue each new account's EC2 starts ~10x faster; moto still
    # accepts any image id in RunInstances.
    env = {**os.environ, "MOTO_EC2_LOAD_DEFAULT_AMIS": "false"}
    process = subprocess.Popen(
        [*command, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        threading.Thread(target=_warm_up, args=(url,), daemon=True).start()
        yield url
    finally:
        process.kill()  # state is in memory only; SIGTERM makes moto wait for its threads
        process.wait(timeout=10)


def _warm_up(url: str) -> None:
    """First use of a moto service imports its models (EC2 alone takes seconds): do it early,
    in the server's own process, while the first tests run."""
    import boto3

    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="eu-west-2"
    )
    calls = [
        ("ec2", "describe_vpcs"),
        ("rds", "describe_db_instances"),
        ("cloudtrail", "describe_trails"),
        ("logs", "describe_log_groups"),
        ("resourcegroupstaggingapi", "get_resources"),
        ("iam", "list_users"),
    ]
    for service, call in calls:
        try:
            getattr(session.client(service, endpoint_url=url), call)()
        except Exception:  # warming up is best effort
            return


_FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-2",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "NO_PROXY": "127.0.0.1,localhost",
}
_DROP_ENV = (
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
)


@pytest.fixture
def fake_aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials only: nothing can reach a real account or instance metadata."""
    for name in _DROP_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in _FAKE_ENV.items():
        monkeypatch.setenv(name, value)


@dataclass
class Account:
    """A fresh emulated account whose credentials are in the environment."""

    id: str
    endpoint: str
    session: Any

    def client(self, service: str, region: str = "eu-west-2") -> Any:
        from forcelift.migration.live.aws_clients import AwsClients

        # The same factory as the code under test (it also fixes S3 Control's host prefix).
        return AwsClients(region, self.endpoint, self.session).client(service)

    def other_account(self) -> Account:
        return _assume(self.endpoint, _next_account_id())


def _next_account_id() -> str:
    return f"{200000000000 + next(_ACCOUNTS)}"


def _assume(endpoint: str, account_id: str) -> Account:
    import boto3

    sts = boto3.client(
        "sts",
        region_name="eu-west-2",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/forcelift-test", RoleSessionName="forcelift-test"
    )["Credentials"]
    session = boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="eu-west-2",
    )
    return Account(account_id, endpoint, session)


@pytest.fixture
def aws(moto_endpoint: str, fake_aws_env: None, monkeypatch: pytest.MonkeyPatch) -> Account:
    """A new account; the CLI under test picks its credentials up from the environment."""
    account = _assume(moto_endpoint, _next_account_id())
    creds = account.session.get_credentials()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", creds.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", creds.secret_key)
    monkeypatch.setenv("AWS_SESSION_TOKEN", creds.token)
    monkeypatch.delenv("AWS_SECURITY_TOKEN", raising=False)
    return account
