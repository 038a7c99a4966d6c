"""`plan-targets` command line: extract | serve | ingest | db."""
from __future__ import annotations

import argparse
import json
import os
import sys


def _cmd_extract(args: argparse.Namespace) -> int:
    from .extract import extract
    from .sources import UndecodableText, UnsupportedFileType, file_text

    if args.out:
        os.makedirs(args.out, exist_ok=True)
    elif len(args.files) > 1:
        print("plan-targets extract: several files need --out DIR", file=sys.stderr)
        return 2
    status = 0
    for path in args.files:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            text = file_text(path, data)
        except OSError as exc:
            print(f"{path}: cannot read: {exc.strerror}", file=sys.stderr)
            status = 1
            continue
        except (UndecodableText, UnsupportedFileType) as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            status = 1
            continue
        result = extract(text).to_dict()
        payload = json.dumps(result, ensure_ascii=False, indent=1)
        if args.out:
            stem = os.path.splitext(os.path.basename(path))[0]
            with open(os.path.join(args.out, stem + ".json"), "w", encoding="utf-8") as fh:
                fh.write(payload)
        else:
            sys.stdout.write(payload + "\n")
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plan-targets", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract targets from plan files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--out", metavar="DIR", help="write DIR/<stem>.json for each file")
    p.set_defaults(func=_cmd_extract)

    # The web and store commands live beside their code; each module adds its own sub-parser.
    from .api import server as api_server
    api_server.add_parser(sub)
    from .store import cli as store_cli
    store_cli.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
