# A stand-in for the `pulumi` CLI, for tests only. The test copies it onto PATH as `pulumi`
# with a shebang for the test's Python. It records every call (argv and working directory) to
# $PULUMI_STUB_LOG and answers just enough for the Automation API to reach the CLI boundary:
#   version          -> a current version string
#   stack select     -> "no stack named … found" (so the Automation API runs `stack init`)
#   stack init       -> success, or a login error when PULUMI_STUB_MODE=fail-init
#   preview/up/…     -> a clear error (exit 255); PULUMI_STUB_MODE=preview-ok makes `preview`
#                       stream a resource step and a summary over the --event-log gRPC address
# It never deploys anything.
import json
import os
import sys

VERSION = "v3.272.0"


def record(args):
    with open(os.environ["PULUMI_STUB_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps({"argv": args, "cwd": os.getcwd()}) + "\n")


def send_events(address, stack):
    import grpc
    from pulumi.runtime.proto import events_pb2, events_pb2_grpc

    urn = f"urn:pulumi:{stack}::exampleshire::aws:s3/bucket:Bucket::logs"
    events = [
        {
            "sequence": 1,
            "timestamp": 0,
            "resourcePreEvent": {
                "metadata": {
                    "op": "create",
                    "urn": urn,
                    "type": "aws:s3/bucket:Bucket",
                    "provider": "",
                }
            },
        },
        {
            "sequence": 2,
            "timestamp": 0,
            "summaryEvent": {
                "maybeCorrupt": False,
                "durationSeconds": 0,
                "resourceChanges": {"create": 2, "same": 1},
                "PolicyPacks": {},
            },
        },
    ]
    with grpc.insecure_channel(address) as channel:
        stub = events_pb2_grpc.EventsStub(channel)
        stub.StreamEvents(iter([events_pb2.EventRequest(event=json.dumps(e)) for e in events]))


def main():
    args = sys.argv[1:]
    record(args)
    mode = os.environ.get("PULUMI_STUB_MODE", "fail-ops")
    if args == ["version"]:
        print(VERSION)
        return 0
    rest = [a for a in args if a != "--non-interactive"]
    if rest[:2] == ["stack", "select"]:
        sys.stderr.write(f"error: no stack named '{rest[-1]}' found\n")
        return 255
    if rest[:2] == ["stack", "init"]:
        if mode == "fail-init":
            sys.stderr.write(
                "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI "
                "sessions\n"
            )
            return 255
        print(f"Created stack '{rest[2]}'")
        return 0
    if rest[:1] == ["preview"] and mode == "preview-ok":
        address = rest[rest.index("--event-log") + 1].removeprefix("tcp://")
        print("Previewing update (stub)")
        send_events(address, rest[rest.index("--stack") + 1])
        return 0
    print(f"{rest[0] if rest else 'pulumi'} (stub): starting")
    sys.stderr.write("error: pulumi stub: no backend here, nothing was deployed (test double)\n")
    return 255


if __name__ == "__main__":
    sys.exit(main())
