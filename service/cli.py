"""`plan-targets` command line: extract | serve | ingest | db."""
from __future__ import annotations

import argparse
import json
import os
import sys


def _cmd_extract(args: argparse.Namespace) -> int:
    from .extract import extract
    from .sources import Limits, SourceError, convert, page_at, sha256

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
            converted = convert(data, filename=path, limits=Limits(seconds=30.0, most_seconds=600.0, office_seconds=60.0))
        except OSError as exc:
            print(f"{path}: cannot read: {exc.strerror}", file=sys.stderr)
            status = 1
            continue
        except SourceError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            status = 1
            continue
        text = converted.text
        result = extract(text).to_dict()
        if converted.media_type != "text/plain":
            # as POST /extract answers for a converted file: pages, the text, the file's facts
            if converted.page_starts:
                for entry in result.get("targets", []) + result.get("results", []):
                    entry["page"] = page_at(converted.page_starts, entry["span"]["start"])
            result["text"] = text
            result["source"] = {"filename": os.path.basename(path), "media_type": converted.media_type,
                                "pages": converted.pages, "sha256": sha256(data)}
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
