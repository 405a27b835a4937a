"""What the generated CI pipelines pin: the Python and Pulumi CLI versions and every
third-party action by the commit of a release (docs/ci-pipelines.md lists them)."""

from __future__ import annotations

PYTHON_VERSION = "3.11"
# The Pulumi CLI the pipelines install (the SDK version forcelift is tested with).
PULUMI_VERSION = "3.272.0"
# Third-party actions, pinned to the commit of a release (the tag is the comment).
ACTIONS = {
    "checkout": "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
    "setup_python": "actions/setup-python@0b93645e9fea7318ecaed2b359559ac225c90a2b # v5.3.0",
    "upload_artifact": "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2",
    "cache": "actions/cache@5a3ec84eff668545956fd18022155c47e93e2684 # v4.2.3",
    "download_artifact": (
        "actions/download-artifact@fa0a91b85d4f404e444e00e005971372dc801d16 # v4.1.8"
    ),
    "upload_sarif": (
        "github/codeql-action/upload-sarif@ff0a06e83cb2de871e5a09832bc6a81e7276941f # v3.28.18"
    ),
    "sticky_comment": (
        "marocchino/sticky-pull-request-comment@331f8f5b4215f0445d3c07b4967662a32a2d3e31 # v2.9.0"
    ),
    "pulumi": "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d # v7.0.0",
    "azure_login": "azure/login@a65d910e8af852a8061c627c456678983e180302 # v2.2.0",
    "aws_credentials": (
        "aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502 # v4.0.2"
    ),
}
