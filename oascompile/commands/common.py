"""Helpers shared by the subcommands: error reporting, atomic writes, input discovery."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

import click

from oascompile.errors import EXIT_CANNOT_RUN, EXIT_FINDINGS, InputError

DEFINITION_SUFFIXES = (".json", ".yaml", ".yml")


def report_input_error(err: InputError) -> None:
    """Print ``file:line:col: error: message`` to stderr."""
    click.echo(f"{err.located()}", err=True)


def exits_on_input_error(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a click callback: an uncaught InputError → message on stderr and exit 2.

    Any other unexpected exception is also turned into exit 2 with a one-line message (and the
    traceback only when OASCOMPILE_DEBUG is set), so bad input never shows a traceback.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as err:
            report_input_error(err)
            sys.exit(EXIT_CANNOT_RUN)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # the reader went away (`oascompile rules | head`): stop quietly, as Unix tools do
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_FINDINGS)
        except Exception as exc:  # last line of defence: never a traceback for the user
            if os.environ.get("OASCOMPILE_DEBUG"):
                raise
            click.echo(f"oascompile: internal error: {type(exc).__name__}: {exc} "
                       "(set OASCOMPILE_DEBUG=1 for a traceback, and please report it)", err=True)
            sys.exit(EXIT_CANNOT_RUN)

    return wrapper


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file in the same directory, fsync,
    then rename over the target.  On any error the target is left untouched.

    Raises InputError when the directory does not exist or is not writable.
    """
    # write through a symbolic link to the file it names, as a shell redirection would
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except FileNotFoundError:
        raise InputError("cannot write: the directory does not exist", str(target)) from None
    except PermissionError:
        raise InputError("cannot write: permission denied", str(target)) from None
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", str(target)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            try:
                os.chmod(tmp, target.stat().st_mode & 0o777)
            except OSError:
                pass
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise InputError(f"cannot write: {exc.strerror or exc}", str(target)) from None


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raise InputError now if ``path`` could not be written later (its directory is missing or
    not writable, or it is a directory), so a command fails before it does any work."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputError("cannot write: it is a directory", str(path))
    if not directory.is_dir():
        raise InputError("cannot write: the directory does not exist", str(path))
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InputError("cannot write: permission denied", str(path))


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True when paths ``a`` and ``b`` name the same file: the same inode when both exist
    (hard and symbolic links included), else the same resolved path."""
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


def iter_definition_files(paths: tuple[str, ...] | list[str]) -> Iterator[tuple[str, InputError | None]]:
    """Expand PATH arguments: files as given, directories searched recursively for
    ``*.json``, ``*.yaml``, ``*.yml`` (sorted; dot-directories and anything that is not a
    regular file, such as a FIFO that would block the read forever, are skipped).  A missing
    path yields an InputError."""
    for raw in paths:
        if raw == "-":
            yield raw, None
            continue
        p = Path(raw)
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in files:
                    if f.endswith(DEFINITION_SUFFIXES) and _regular_or_broken(
                            os.path.join(root, f)):
                        found.append(os.path.join(root, f))
            for f in sorted(found):
                yield f, None
        elif p.exists():
            yield raw, None
        else:
            yield raw, InputError("no such file or directory", raw)


def _regular_or_broken(path: str) -> bool:
    """True for a regular file, or a path whose status cannot be read (then reading it reports
    why); False for FIFOs, sockets and devices."""
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True
