"""The real thing: `plan-targets serve` (gunicorn with its config file) on a free port, over HTTP."""
from __future__ import annotations

import json
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from api_helpers import check_exchange, check_problem, engine_json, seed_path, seed_text
from service.api.server import free_port, running_server, spawn_server, stop_server, wait_until_healthy
from service.extract import extract

MAX_BYTES = 200_000  # above every seed plan, small enough to test the limit cheaply


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`plan-targets serve --workers 2` as a user would start it; its log is kept for the tests."""
    workdir = tmp_path_factory.mktemp("serve")
    with running_server(workdir, env={"PLAN_TARGETS_MAX_BYTES": str(MAX_BYTES),
                                      "PLAN_TARGETS_DATA_DIR": str(workdir / "data")}) as served:
        yield {"url": served.url, "process": served.process, "log": served.log}


def without_meta(body):
    return {k: v for k, v in body.items() if k != "meta"}


def test_healthz_over_http(server):
    response = requests.get(server["url"] + "/healthz", headers={"X-Request-ID": "probe-1"}, timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["X-Request-ID"] == "probe-1"


def test_plain_text_post_like_curl_returns_the_engines_targets(server):
    """`curl --data-binary @plan.txt -H 'Content-Type: text/plain' .../extract`"""
    data = seed_path().read_bytes()
    url = server["url"] + "/extract"
    response = requests.post(url, data=data, headers={"Content-Type": "text/plain"}, timeout=60)
    assert response.status_code == 200
    body = response.json()
    expected = engine_json(extract(data.decode("utf-8")))
    assert expected["targets"]
    assert without_meta(body) == expected
    check_exchange(url, "post", 200, response.content, response.headers,
                   request_body=data, request_content_type="text/plain")


def test_json_and_upload_over_http_agree_with_plain_text(server):
    text = seed_text()
    url = server["url"] + "/extract"
    by_json = requests.post(url, json={"text": text}, timeout=60)
    by_upload = requests.post(url, files={"file": ("plan.txt", text.encode("gb18030"), "text/plain")}, timeout=60)
    assert by_json.status_code == by_upload.status_code == 200
    assert without_meta(by_json.json()) == without_meta(by_upload.json()) == engine_json(extract(text))
    assert by_upload.json()["meta"]["source"] == "plan.txt"


def test_body_over_the_limit_is_413_with_or_without_content_length(server):
    url = server["url"] + "/extract"
    big = b"a" * (MAX_BYTES + 1)
    sized = requests.post(url, data=big, headers={"Content-Type": "text/plain"}, timeout=30)

    def chunks():  # no Content-Length: Transfer-Encoding: chunked
        for start in range(0, len(big), 65536):
            yield big[start:start + 65536]

    chunked = requests.post(url, data=chunks(), headers={"Content-Type": "text/plain"}, timeout=30)
    for response in (sized, chunked):
        assert response.status_code == 413
        check_problem(413, response.json(), response.headers)
        check_exchange(url, "post", 413, response.content, response.headers, check_request=False)


def test_a_chunked_body_exactly_at_the_limit_is_accepted(server):
    """The limit is inclusive: reading one byte past it is how an over-long chunked body shows."""
    plan = seed_path().read_bytes()
    padded = plan + b" " * (MAX_BYTES - len(plan))
    assert len(padded) == MAX_BYTES
    response = requests.post(server["url"] + "/extract", data=iter([padded[:50_000], padded[50_000:]]),
                             headers={"Content-Type": "text/plain"}, timeout=60)
    assert response.status_code == 200
    assert response.json()["meta"]["chars"] == len(padded.decode("utf-8"))


def test_bad_requests_get_problems_and_the_workers_keep_serving(server):
    url = server["url"] + "/extract"
    cases = [
        (requests.post(url, data=b'{"text":', headers={"Content-Type": "application/json"}, timeout=10), 400),
        (requests.post(url, data=b"\xff\xfe\x80\x81", headers={"Content-Type": "text/plain"}, timeout=10), 422),
        (requests.post(url, files={"file": ("plan.pdf", b"%PDF")}, timeout=10), 415),
        (requests.get(url, timeout=10), 405),
        (requests.get(server["url"] + "/missing", timeout=10), 404),
    ]
    for response, status in cases:
        assert response.status_code == status
        check_problem(status, response.json(), response.headers)
    assert requests.get(server["url"] + "/healthz", timeout=10).status_code == 200
    assert server["process"].poll() is None


def test_concurrent_clients_all_get_the_same_answer(server):
    text = seed_text()
    expected = engine_json(extract(text))

    def post(_):
        return requests.post(server["url"] + "/extract", json={"text": text}, timeout=60)

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(post, range(12)))
    assert all(r.status_code == 200 for r in responses)
    assert all(without_meta(r.json()) == expected for r in responses)


def test_access_log_is_json_with_the_request_id(server):
    requests.get(server["url"] + "/healthz", headers={"X-Request-ID": "log-check-42"}, timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        records = []
        for line in server["log"].read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("{"):
                records.append(json.loads(line))  # every JSON-looking line must parse
        found = [r for r in records if r.get("request_id") == "log-check-42"]
        if found:
            break
        time.sleep(0.2)
    assert found, "no access log line carries the request id"
    record = found[0]
    assert record["method"] == "GET" and record["path"] == "/healthz" and record["status"] == 200
    assert record["duration_ms"] >= 0


def test_sigterm_stops_the_server_gracefully(tmp_path):
    port = free_port()
    process = spawn_server(port, workers=1, env={"PLAN_TARGETS_DATA_DIR": str(tmp_path)})
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process, deadline_s=60)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_recycled_workers_answer_every_request(tmp_path):
    """Workers are recycled after max_requests (forks of the preloaded master): across several
    recycles every request is answered, none is dropped or refused."""
    import subprocess
    import sys

    from service.api.server import GUNICORN_CONF, APP_FACTORY

    port = free_port()
    log_path = tmp_path / "server.log"
    argv = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF),
            "--bind", f"127.0.0.1:{port}", "--workers", "2", "--max-requests", "20",
            "--max-requests-jitter", "0", APP_FACTORY]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                   env={**__import__("os").environ,
                                        "PLAN_TARGETS_DATA_DIR": str(tmp_path / "data")})
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url, process, deadline_s=60)
        statuses = []
        with requests.Session() as session:
            for _ in range(150):
                statuses.append(session.get(base_url + "/healthz", timeout=30).status_code)
        extracted = requests.post(base_url + "/extract", data=seed_path().read_bytes(),
                                  headers={"Content-Type": "text/plain"}, timeout=60)
    finally:
        stop_server(process)
    assert statuses == [200] * 150
    assert extracted.status_code == 200 and extracted.json()["targets"]
    booted = log_path.read_text(errors="replace").count("Booting worker")
    assert booted >= 2 + 5, f"expected several recycles, saw {booted} worker boots"
