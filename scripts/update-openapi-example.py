#!/usr/bin/env python3
"""Rewrite the documented `POST /extract` 200 example in openapi.yaml with the service's real
answer to the documented JSON request (`?include_text=1`), so contract and engine stay equal.

    .venv/bin/python scripts/update-openapi-example.py          # rewrite openapi.yaml
    .venv/bin/python scripts/update-openapi-example.py --check  # exit 1 if it is out of date

Only the example block is replaced (found by the comment line above it); the rest of the file,
comments and layout included, is left as it is. `tests/test_openapi.py` fails while the
example differs from the real answer, and names this script.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CONTRACT = REPO / "openapi.yaml"
MARKER = "# A real response: POST /extract?include_text=1 with the JSON request example above."


class _Dumper(yaml.SafeDumper):
    """Block style; a text with line breaks double-quoted on one line (as written by hand)."""


def _str(dumper: yaml.SafeDumper, value: str):
    style = '"' if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def real_answer(contract: dict) -> dict:
    from service.api import create_app

    post = contract["paths"]["/extract"]["post"]
    request = post["requestBody"]["content"]["application/json"]["example"]
    client = create_app({"TESTING": True}).test_client()
    response = client.post("/extract?include_text=1", json=request)
    if response.status_code != 200:
        raise SystemExit(f"POST /extract answered {response.status_code}: {response.get_data(True)}")
    return response.get_json()


def with_example(text: str, answer: dict) -> str:
    """`text` with the block under MARKER's `example:` replaced by `answer`."""
    lines = text.splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if line.strip() == MARKER), None)
    if at is None or lines[at + 1].strip() != "example:":
        raise SystemExit(f"openapi.yaml: no `example:` under the line {MARKER!r}")
    indent = len(lines[at + 1]) - len(lines[at + 1].lstrip())
    end = at + 2
    while end < len(lines) and (not lines[end].strip()
                                or len(lines[end]) - len(lines[end].lstrip()) > indent):
        end += 1
    body = yaml.dump(answer, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=10**6)
    pad = " " * (indent + 2)
    block = "".join(pad + line + "\n" for line in body.splitlines())
    return "".join(lines[:at + 2]) + block + "".join(lines[end:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only report whether the example is the real answer (timing aside)")
    args = parser.parse_args(argv)
    text = CONTRACT.read_text(encoding="utf-8")
    contract = yaml.safe_load(text)
    answer = real_answer(contract)
    example = contract["paths"]["/extract"]["post"]["responses"]["200"]["content"][
        "application/json"]["example"]
    same = ({**example, "meta": {k: v for k, v in example["meta"].items() if k != "elapsed_ms"}}
            == {**answer, "meta": {k: v for k, v in answer["meta"].items() if k != "elapsed_ms"}})
    if args.check:
        print("openapi.yaml: the /extract example is " + ("the real answer" if same else "OUT OF DATE"))
        return 0 if same else 1
    if same:
        print("openapi.yaml: the /extract example is already the real answer; nothing to do")
        return 0
    updated = with_example(text, answer)
    check = yaml.safe_load(updated)["paths"]["/extract"]["post"]["responses"]["200"]["content"][
        "application/json"]["example"]
    if check != answer:  # the block written must read back as exactly the answer
        raise SystemExit("openapi.yaml: the rewritten example does not read back as the answer")
    CONTRACT.write_text(updated, encoding="utf-8")
    print(f"openapi.yaml: /extract example rewritten ({len(answer['targets'])} targets, "
          f"{len(answer['results'])} results)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
