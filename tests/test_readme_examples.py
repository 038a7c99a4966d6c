"""The README's curl examples work exactly as written: every `curl` command (and the batch loop)
in a ```sh block is run by bash against a real gunicorn, with only `localhost:8000` pointed at
the test server, in a directory holding the files the examples name (plan.txt, plan.pdf,
plans/*.txt). Each must answer 2xx; and a raw UTF-8 query, which the README tells readers to
encode, is shown to be refused by gunicorn itself, as the README says."""
from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess

import pytest

from api_helpers import REPO, seed_path, seed_text
from service.api.server import running_server
from source_fixtures import pdf_of_lines

SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def readme_commands() -> list[str]:
    """Each shell command of the README's ```sh blocks that talks to the service: a curl line
    (with its continuation lines), or a whole `for` loop that runs curl."""
    commands = []
    for block in SH_BLOCK.findall((REPO / "README.md").read_text(encoding="utf-8")):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("for ") and "curl" in block:
                end = next(j for j in range(i, len(lines)) if lines[j].strip() == "done")
                start = i - 1 if i and lines[i - 1].startswith("mkdir") else i  # its set-up
                commands.append("\n".join(lines[start:end + 1]))
                i = end + 1
                continue
            if line.startswith("curl"):
                command = [line]
                while command[-1].rstrip().endswith("\\"):
                    i += 1
                    command.append(lines[i])
                commands.append("\n".join(command))
            i += 1
    return commands


COMMANDS = readme_commands()


def test_the_readme_has_curl_examples_with_chinese_queries_encoded():
    assert len(COMMANDS) >= 10
    for command in COMMANDS:
        if "?" in command:
            query = command.split("?", 1)[1]
            assert query.isascii(), f"raw non-ASCII in a URL: {command}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("readme")
    with running_server(workdir, env={"PLAN_TARGETS_DATA_DIR": str(workdir / "data"),
                                      "PLAN_TARGETS_API_KEYS": ""}) as served:
        yield {"port": served.port, "workdir": workdir}


@pytest.fixture(scope="module")
def files(server):
    """The files the examples name, in the directory they run in."""
    cwd = server["workdir"] / "cwd"
    (cwd / "plans").mkdir(parents=True)
    shutil.copy(seed_path(), cwd / "plan.txt")
    shutil.copy(seed_path(), cwd / "plans" / "金凤区 2023.txt")  # a name that needs encoding
    lines = [line for line in seed_text().splitlines() if line.strip()][:40]
    (cwd / "plan.pdf").write_bytes(pdf_of_lines(lines))
    return cwd


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.splitlines()[-1 if c.startswith("mkdir") else 0][:60])
def test_a_readme_curl_example_works_as_written(server, files, command):
    port = server["port"]
    runnable = command.replace("localhost:8000", f"127.0.0.1:{port}")
    if runnable.startswith("curl"):
        # as written, plus: fail on an HTTP error, and print the status last
        runnable = runnable.replace("curl", "curl --fail-with-body -w '\\n%{http_code}'", 1)
    run = subprocess.run(["bash", "-c", "set -o pipefail\n" + runnable], cwd=files,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"{command}\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
    assert "failed:" not in run.stderr, run.stderr
    if command.startswith("curl") and "> " not in command:
        body, _, status = run.stdout.rpartition("\n")
        assert status.startswith("2"), (command, status, body[:500])
    if "for f in" in command:
        produced = json.loads((files / "results" / "金凤区 2023.json").read_text(encoding="utf-8"))
        assert produced["meta"]["source"] == "金凤区 2023.txt" and produced["targets"]


def test_a_raw_utf8_query_is_refused_by_gunicorn_itself(server):
    """What the README warns about: pasted unencoded, the request never reaches the service."""
    with socket.create_connection(("127.0.0.1", server["port"]), timeout=10) as sock:
        sock.sendall("GET /documents?issuer=惠济区教育局 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        answer = sock.recv(65536).decode("latin-1")
    status_line, _, rest = answer.partition("\r\n")
    assert status_line.split()[1] == "400", answer[:300]
    assert "text/html" in rest.lower() and "x-request-id" not in rest.lower()
