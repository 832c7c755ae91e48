"""Trust-and-safety helpers: build a blocklist from a folder of images and a PDQ hash export.

Command line (installed as ``hashscreen-build-list``, or ``python -m hashscreen.tools``)::

    hashscreen-build-list --key deploy.key --images known/ --pdq-hashes export.csv \\
        --label known-images --sign publisher.key -o list.hsbl

From Python::

    from hashscreen import Key
    from hashscreen.tools import build_blocklist
    key = Key.from_hex(open("deploy.key").read())
    report = build_blocklist(key, images=["known/"], pdq_hashes=["export.csv"], label="known-images")
    open("list.hsbl", "wb").write(report.blocklist)

The PDQ export format is the one ``hashscreen build --pdq-hashes`` reads: one 64-hex-digit hash
per line, optionally followed by ``,quality`` and further columns (ignored), as in the
ThreatExchange reference tool's ``hash,quality,path`` output. ``#`` starts a comment line; blank
lines are skipped. Hashes whose quality column is below 50 (``min_match_quality()``) and images
too plain to hash reliably are skipped and counted, not listed. Every other problem (a bad hash,
a corrupt image, a bad label) raises ``BuildError`` naming the file and line, with the
``HashscreenError`` as its cause: a list is built whole or not at all.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ._native import (
    Blocklist,
    BlocklistBuilder,
    HashscreenError,
    Key,
    OpenOptions,
    SigningKey,
    min_match_quality,
)

PathLike = Union[str, "os.PathLike[str]"]


class BuildError(Exception):
    """A file that could not be listed: ``where`` names the file (and line), ``__cause__`` is the
    ``HashscreenError`` (for example ``HashscreenError.ImageDecode``)."""

    def __init__(self, where: str, cause: Exception):
        super().__init__(f"{where}: {cause}")
        self.where = where


@dataclass
class BuildReport:
    """What ``build_blocklist`` did: the list's bytes and what was listed or skipped."""

    blocklist: bytes
    images_listed: int = 0
    hashes_listed: int = 0
    skipped_low_quality: List[str] = field(default_factory=list)


def parse_pdq_export(lines: Iterable[str], source: str = "<pdq export>") -> Iterator[Tuple[int, str, Optional[int]]]:
    """Yields ``(line_number, hash_hex, quality_or_None)`` for each hash line of an export.

    Raises ``ValueError`` naming ``source`` and the line for a quality that is not 0-100. The
    hash itself is checked when it is listed (``HashscreenError.InvalidImageHashHex``).
    """
    for n, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split(",")]
        quality = None
        if len(cols) > 1 and cols[1]:
            try:
                quality = int(cols[1])
            except ValueError:
                raise ValueError(f"{source}:{n}: quality is not a number 0-100") from None
            if not 0 <= quality <= 100:
                raise ValueError(f"{source}:{n}: quality is not a number 0-100")
        yield n, cols[0], quality


def _image_files(folder: PathLike) -> List[str]:
    out = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if not name.startswith("."):
                out.append(os.path.join(root, name))
    return out


def build_blocklist(
    key: Key,
    images: Sequence[PathLike] = (),
    pdq_hashes: Sequence[PathLike] = (),
    label: str = "known-images",
    signer: Optional[SigningKey] = None,
    base: Optional[Blocklist] = None,
    false_positive_rate: Optional[float] = None,
) -> BuildReport:
    """Builds a list of the images in ``images`` (folders, recursively: PDQ and exact bytes) and
    the hashes in the ``pdq_hashes`` export files, under ``label``.

    With ``base``, the list extends it (same list id, next sequence), so that
    ``make_delta(base, new)`` ships only the additions. With ``signer``, the list is signed.
    """
    builder = BlocklistBuilder.from_base(key, base) if base is not None else BlocklistBuilder(key)
    if false_positive_rate is not None:
        builder.set_false_positive_rate(false_positive_rate)
    report = BuildReport(blocklist=b"")
    for folder in images:
        for path in _image_files(folder):
            with open(path, "rb") as f:
                data = f.read()
            try:
                builder.add_image(label, data)
            except HashscreenError.ImageLowQuality:
                report.skipped_low_quality.append(path)
                continue
            except HashscreenError as e:
                raise BuildError(path, e) from e
            report.images_listed += 1
    minimum = min_match_quality()
    for export in pdq_hashes:
        with open(export, encoding="utf-8") as f:
            for n, hash_hex, quality in parse_pdq_export(f, str(export)):
                if quality is not None and quality < minimum:
                    report.skipped_low_quality.append(f"{export}:{n}")
                    continue
                try:
                    builder.add_pdq_hash(label, hash_hex)
                except HashscreenError as e:
                    raise BuildError(f"{export}:{n}", e) from e
                report.hashes_listed += 1
    report.blocklist = bytes(builder.build_signed(signer) if signer is not None else builder.build())
    return report


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``hashscreen-build-list``: the command-line form of ``build_blocklist``."""
    p = argparse.ArgumentParser(
        prog="hashscreen-build-list",
        description="Build a hashscreen blocklist from folders of images and PDQ hash exports.",
    )
    p.add_argument("--key", required=True, help="deployment key file (64 hex digits)")
    p.add_argument("--images", action="append", default=[], help="folder of images (repeatable)")
    p.add_argument("--pdq-hashes", action="append", default=[], help="PDQ export file (repeatable)")
    p.add_argument("--label", default="known-images", help="section label shown in verdicts")
    p.add_argument("--sign", help="publisher signing key file: sign the list")
    p.add_argument("--base", help="extend this list (next sequence; for deltas)")
    p.add_argument("--fpr", type=float, help="false-positive rate per probe (default 1e-6)")
    p.add_argument("-o", "--out", required=True, help="output blocklist file")
    args = p.parse_args(argv)

    key = Key.from_hex(_read_text(args.key))
    signer = SigningKey.from_hex(_read_text(args.sign).strip()) if args.sign else None
    base = None
    if args.base:
        with open(args.base, "rb") as f:
            base = Blocklist.open(f.read(), OpenOptions(key_id=key.id()))
    try:
        report = build_blocklist(
            key, args.images, args.pdq_hashes, args.label, signer, base, args.fpr
        )
    except (BuildError, HashscreenError, ValueError, OSError) as e:
        print(f"hashscreen-build-list: {e}", file=sys.stderr)
        return 1
    with open(args.out, "wb") as f:
        f.write(report.blocklist)
    print(
        f"listed {report.images_listed} images and {report.hashes_listed} hashes; "
        f"skipped {len(report.skipped_low_quality)} of PDQ quality below {min_match_quality()}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
