"""Read knowledge files safely: regular files only, size caps, and no read that can block.

Staff edit the folder by hand, and a mistake must cost a French error, never a stuck or
exhausted bot: a named pipe (FIFO) would block a plain `open()` until someone writes to it, a
link to `/dev/zero` never ends, and a 50 MB file would take a minute and gigabytes to parse.
`read_text` opens without blocking, refuses anything that is not a regular file, and reads at
most `MAX_FILE_BYTES`; `folder_problem` refuses a base whose files add up to more than
`MAX_BASE_BYTES` before any of them is read.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path

MAX_FILE_BYTES = 2 * 1024 * 1024
"""2 Mio per file: the largest file of the real base is under 40 Kio, a synthetic base of 20,000
entries is written in files of about 600 Kio."""
MAX_BASE_BYTES = 16 * 1024 * 1024
"""16 Mio in all: the 20,000-entry benchmark base (12 Mio) loads in a few seconds; more would take
tens of seconds and gigabytes of memory to parse."""
MAX_FILES = 200
"""YAML files in the folder: staff keep a handful, the 20,000-entry benchmark writes 20."""

_KINDS = {
    stat.S_IFIFO: "un tube nommé (FIFO)",
    stat.S_IFCHR: "un périphérique",
    stat.S_IFBLK: "un périphérique",
    stat.S_IFSOCK: "une socket",
    stat.S_IFDIR: "un dossier",
}


class UnreadableFile(OSError):
    """A knowledge file that is not read; `strerror` says why in French."""

    def __init__(self, reason: str) -> None:
        super().__init__(errno.EINVAL, reason)


def megabytes(size: int) -> str:
    """'2 Mo', '50,3 Mo': sizes as staff read them."""
    value = size / (1024 * 1024)
    text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
    return f"{text.replace('.', ',')}\u00a0Mo"


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    kind = _KINDS.get(stat.S_IFMT(mode), "un fichier spécial")
    return (
        f"ce n'est pas un fichier ordinaire mais {kind} ; remplacez-le par un vrai fichier "
        "texte .yaml ou supprimez-le"
    )


def _too_big(size: int) -> str:
    return (
        f"le fichier fait {megabytes(size)}, plus que la limite de {megabytes(MAX_FILE_BYTES)} "
        "par fichier ; découpez-le en plusieurs fichiers"
    )


_OPEN_ERRORS = {
    errno.EACCES: "le bot n'a pas le droit de lire ce fichier ; vérifiez ses permissions",
    errno.EPERM: "le bot n'a pas le droit de lire ce fichier ; vérifiez ses permissions",
    errno.ENOENT: "fichier introuvable (supprimé pendant la lecture, ou lien cassé)",
    errno.ELOOP: "lien symbolique qui boucle sur lui-même",
}


def _open_error(path: Path, error: OSError) -> str:
    """Why `path` could not be opened, in French (a socket cannot be opened at all)."""
    try:
        reason = _not_regular(path.stat().st_mode)
    except OSError:
        reason = None
    if reason is None:
        reason = _OPEN_ERRORS.get(error.errno or 0) or f"erreur du système ({error.strerror})"
    return reason


def read_text(path: Path) -> str:
    """The UTF-8 text of a regular file of at most `MAX_FILE_BYTES`.

    Raises `UnreadableFile` (an OSError) for anything else, without ever blocking on a pipe or
    reading more than the cap; UnicodeDecodeError when the file is not UTF-8.
    """
    try:
        # O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise UnreadableFile(_open_error(path, error)) from None
    try:
        info = os.fstat(descriptor)
        reason = _not_regular(info.st_mode)
        if reason is not None:
            raise UnreadableFile(reason)
        if info.st_size > MAX_FILE_BYTES:
            raise UnreadableFile(_too_big(info.st_size))
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:  # the file may grow while it is read
            chunk = os.read(descriptor, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise UnreadableFile(_too_big(size))
    finally:
        os.close(descriptor)
    return b"".join(chunks).decode("utf-8")


def folder_problem(paths: Sequence[Path]) -> str | None:
    """Why the folder's files must not be read at all (too many, too big in all), or None."""
    if len(paths) > MAX_FILES:
        return (
            f"{len(paths)} fichiers .yaml, plus que la limite de {MAX_FILES} ; regroupez les "
            "entrées dans moins de fichiers"
        )
    total = 0
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue  # reported with its file when it is read
        if stat.S_ISREG(info.st_mode):
            total += info.st_size
    if total > MAX_BASE_BYTES:
        return (
            f"les fichiers .yaml font {megabytes(total)} en tout, plus que la limite de "
            f"{megabytes(MAX_BASE_BYTES)} pour la base ; retirez ce qui n'est pas une entrée"
        )
    return None
