"""Run by scripts/test-bindings.sh in a fresh venv where only the built wheel was pip-installed:
the installed package (not the source tree) builds a list from an image and screens it."""

import os
import sys
from pathlib import Path

import hashscreen as hs

assert "site-packages" in hs.__file__, hs.__file__
fixtures = Path(os.environ["HASHSCREEN_FIXTURES"])
image = (fixtures / "images/corpus/0060.jpg").read_bytes()
other = (fixtures / "images/corpus/0269.jpg").read_bytes()

key = hs.Key.generate()
builder = hs.BlocklistBuilder(key)
builder.add_image("known-images", image)
screener = hs.Screener(hs.Blocklist.open(builder.build(), hs.OpenOptions(key_id=key.id())), key)
listed = screener.screen_image(image)
assert listed.matched and listed.matches[0].label == "known-images", listed
assert not screener.screen_image(other).matched
print(f"installed wheel at {Path(hs.__file__).parent}: screened an image (python {sys.version.split()[0]})")
print("2 passed, 0 failed")
