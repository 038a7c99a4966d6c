"""The warm office server: run as a script by a python that has LibreOffice's `uno` module
(Debian's /usr/bin/python3 with python3-uno); the service imports from it only
`remove_office_pipe` (this module needs nothing but the standard library to import).

It starts LibreOffice headless with a throw-away profile, connects to it through unoserver's
`UnoConverter` and answers XML-RPC on 127.0.0.1 with unoserver's `convert(inpath, indata,
outpath, convert_to, filtername, ...)` and an `info()` that echoes the token it was given (so its
parent knows it talks to its own server). unoserver's own `main()` sleeps a fixed 5 s before it
serves; this one serves as soon as LibreOffice accepts, which is what a restart after a hang
needs.

It is the leader of its own process group with LibreOffice in it: the service kills the whole
group on a timeout. It also kills its group itself when LibreOffice dies or when the process
that started it goes away, so no LibreOffice outlives the worker it served; in the second case
its directory (profile, scratch files) goes too, which a killed worker could not remove.
"""
import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
import xmlrpc.server
from pathlib import Path


def _end_group(code: int) -> None:
    try:
        os.killpg(0, signal.SIGKILL)
    finally:
        os._exit(code)


REMOVE_WHEN_GONE = "--remove-when-gone"


def remove_when_gone(group: int, directory: str) -> None:
    """Wait for a server's process group to be gone (10 s at most), then remove the directory
    the group was writing to. Run apart, in a session of its own (`REMOVE_WHEN_GONE GROUP DIR`
    on this script's command line): by an orphaned server, and by a worker that drops a hung
    one, so that the removal survives the worker too."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except (ProcessLookupError, PermissionError):
            break
        time.sleep(0.05)
    remove_office_pipe((Path(directory) / "profile").as_uri())
    for _ in range(3):
        shutil.rmtree(directory, ignore_errors=True)
        if not os.path.exists(directory):
            return
        time.sleep(0.1)


def remove_office_pipe(profile_url: str) -> None:
    """Remove the socket LibreOffice made for its profile's single instance, which a killed
    LibreOffice leaves behind: `/tmp/OSL_PIPE_<uid>_SingleOfficeIPC_<md5>`, where <md5> is the
    MD5 of the profile's URL in UTF-16LE, each byte in hex without zero padding (LibreOffice's
    desktop/source/app/officeipcthread.cxx). Always in /tmp (else /var/tmp), whatever TMPDIR says."""
    import hashlib
    import stat

    digest = hashlib.md5(profile_url.encode("utf-16-le")).digest()
    name = f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_{''.join(format(b, 'x') for b in digest)}"
    for folder in ("/tmp", "/var/tmp"):
        path = os.path.join(folder, name)
        try:
            if stat.S_ISSOCK(os.lstat(path).st_mode):
                os.unlink(path)
        except OSError:
            pass


def spawn_remover(python: str, group: int, directory: str) -> None:
    subprocess.Popen([python, __file__, REMOVE_WHEN_GONE, str(group), directory],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, cwd="/")


def _watch(soffice: subprocess.Popen, parent: int, directory: Path) -> None:
    while True:
        if os.getppid() != parent:  # the worker was killed: nobody else will remove the directory
            spawn_remover(sys.executable, os.getpgrp(), str(directory))
            _end_group(3)
        if soffice.poll() is not None:
            _end_group(3)  # the worker sees its server gone and removes the directory itself
        time.sleep(0.25)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--uno-port", type=int, required=True)
    parser.add_argument("--directory", required=True)
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--site", action="append", default=[])
    parser.add_argument("--token", required=True)
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--memory", type=int, default=0)
    parser.add_argument("--start-seconds", type=float, default=60.0)
    args = parser.parse_args()

    sys.path.extend(args.site)  # after the standard library: only unoserver is taken from there
    from unoserver.converter import UnoConverter

    if args.memory:
        resource.setrlimit(resource.RLIMIT_AS, (args.memory, args.memory))
    directory = Path(args.directory)
    work = directory / "work"
    work.mkdir(exist_ok=True)
    scratch = directory / "tmp"  # LibreOffice's own temporary files (lu*.tmp), removed with the directory
    scratch.mkdir(exist_ok=True)
    soffice = subprocess.Popen(
        [args.soffice, "--headless", "--invisible", "--nocrashreport", "--nodefault", "--nologo",
         "--nofirststartwizard", "--norestore", "--nolockcheck",
         f"-env:UserInstallation={(directory / 'profile').as_uri()}",
         f"--accept=socket,host=127.0.0.1,port={args.uno_port},tcpNoDelay=1;urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work,
        env={**os.environ, "TMPDIR": str(scratch), "TMP": str(scratch), "TEMP": str(scratch)})
    threading.Thread(target=_watch, args=(soffice, args.parent, directory), daemon=True).start()

    deadline = time.monotonic() + args.start_seconds
    while True:
        try:
            converter = UnoConverter(interface="127.0.0.1", port=str(args.uno_port), temp_dir=str(work))
            break
        except Exception:  # not accepting yet (com.sun.star.connection.NoConnectException)
            if time.monotonic() > deadline:
                _end_group(2)
            time.sleep(0.05)

    try:
        from importlib.metadata import version

        unoserver_version = version("unoserver")
    except Exception:
        unoserver_version = "unknown"

    def info():
        return {"token": args.token, "unoserver": unoserver_version, "libreoffice": converter.uno_info()}

    def convert(inpath=None, indata=None, outpath=None, convert_to=None, filtername=None,
                filter_options=(), update_index=True, infiltername=None, password=None):
        if indata is not None:
            indata = indata.data
        return converter.convert(inpath, indata, outpath, convert_to, filtername, list(filter_options),
                                 update_index, infiltername, password)

    server = xmlrpc.server.SimpleXMLRPCServer(("127.0.0.1", args.port), allow_none=True, logRequests=False)
    server.register_function(info)
    server.register_function(convert)
    server.serve_forever()


if __name__ == "__main__":
    if sys.argv[1:2] == [REMOVE_WHEN_GONE]:
        remove_when_gone(int(sys.argv[2]), sys.argv[3])
        sys.exit(0)
    try:
        main()
    except BaseException:
        import traceback

        traceback.print_exc()
        _end_group(1)
