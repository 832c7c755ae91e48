"""hashscreen: screen messages on the client against a keyed Bloom-filter blocklist.

Everything here is the Rust library through UniFFI (``hashscreen._native``): keys, blocklists
(open, verify, build, deltas), the ``Screener`` and its ``Verdict``, PDQ hashes, canonical text and
URL forms, keyed digests. Errors are ``HashscreenError`` subclasses, one per stable code
(``HashscreenError.Rollback``, ``HashscreenError.ImageLowQuality``, ...). ``hashscreen.tools``
builds a blocklist from a folder of images and a PDQ hash export.
"""

from ._native import *  # noqa: F401,F403
from ._native import (  # noqa: F401  (names used in the docs, re-exported explicitly)
    Blocklist,
    BlocklistBuilder,
    HashscreenError,
    Key,
    MessagePart,
    OpenOptions,
    Screener,
    SigningKey,
    Verdict,
    VerifyingKey,
)
