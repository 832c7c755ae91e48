#!/usr/bin/env bash
# Peak memory (maximum RSS, /usr/bin/time -v) of the release CLI on hostile or huge inputs:
#   a 50 MP JPEG, decompression bombs (a tiny PNG declaring 50000x50000; a valid all-zero PNG of
#   10000x10000 = 100 M pixels, the pixel limit), a 100 MB text (as an attachment, and as a list
#   curation file), and a 10 M-entry blocklist (build, inspect, check).
# Prints a Markdown table (the figures in docs/security.md come from it). Installs what it needs
# from Debian when missing (time, python3-pil), idempotently. Takes a few minutes and ~3 GB of disk
# in a temporary directory (MEMORY_WORK to choose it).
# Usage: scripts/memory.sh [path/to/release/hashscreen]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hashscreen-target}"

need_apt() { # binary-or-python-module package
  if ! eval "$1" >/dev/null 2>&1; then
    echo "memory: installing $2 (Debian)" >&2
    { apt-get install -y -q "$2" || { apt-get update -q && apt-get install -y -q "$2"; }; } >/dev/null
  fi
}
need_apt "test -x /usr/bin/time" time
need_apt "/usr/bin/python3 -c 'import PIL'" python3-pil

bin="${1:-}"
if [[ -z "$bin" ]]; then
  cargo build -q --release --bin hashscreen
  bin="$CARGO_TARGET_DIR/release/hashscreen"
fi
work="${MEMORY_WORK:-$(mktemp -d)}"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

echo "memory: generating inputs in $work" >&2
/usr/bin/python3 - "$work" <<'PY'
import struct, sys, zlib
from PIL import Image
w = sys.argv[1]
# 50 MP JPEG (8660 x 5774): noise over gradients, so it compresses like a photo, not a flat image.
big = Image.merge("RGB", [Image.effect_noise((8660, 5774), 40 + 10 * i) for i in range(3)])
big = Image.blend(big, Image.linear_gradient("L").convert("RGB").resize((8660, 5774)), 0.5)
big.save(f"{w}/50mp.jpg", quality=90)

def png(path, width, height, rows):
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(b"\0" * (width + 1)) for _ in range(rows)) + comp.flush()
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
# Declares 50000 x 50000 (2.5 G pixels) with a few rows of data: refused from the header.
png(f"{w}/bomb-50000.png", 50000, 50000, 16)
# Valid and complete: 10000 x 10000 zeros (100 M pixels, the default limit), ~100 KB compressed.
png(f"{w}/bomb-10000.png", 10000, 10000, 10000)
# The 50 MP photo in the other formats: greyscale Adam7-interlaced PNG (written here: Pillow writes
# no interlaced PNG), interlaced GIF (Pillow's default), lossy and lossless WebP, 8-bit BMP.
grey = big.convert("L")
W, H = grey.size
px = grey.tobytes()
raw = bytearray()
for x0, dx, y0, dy in [(0, 8, 0, 8), (4, 8, 0, 8), (0, 4, 4, 8), (2, 4, 0, 4), (0, 2, 2, 4), (1, 2, 0, 2), (0, 1, 1, 2)]:
    for y in range(y0, H, dy):
        raw += b"\0" + px[y * W + x0:(y + 1) * W:dx]
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
with open(f"{w}/50mp-interlaced.png", "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 0, 0, 0, 1))
            + chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b""))
grey.save(f"{w}/50mp.gif", interlace=True)
big.save(f"{w}/50mp-lossy.webp", quality=80)
grey.save(f"{w}/50mp-lossless.webp", lossless=True, quality=0)
grey.save(f"{w}/50mp.bmp")
# RLE8 BMPs: 50 MP of diagonal bands (2 MB), and 10000 x 10000 that ends at once (1 KB: every row
# zero, a decompression bomb for a whole-image decoder).
pal = b"".join(bytes([i, i // 2, 255 - i, 0]) for i in range(256))
def rle8(path, width, height, stream):
    off = 14 + 40 + len(pal)
    head = b"BM" + struct.pack("<IHHI", off + len(stream), 0, 0, off)
    head += struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(stream), 0, 0, 256, 0)
    with open(path, "wb") as f:
        f.write(head + pal + stream)
rle8(f"{w}/50mp-rle8.bmp", W, H, b"".join(
    b"".join(bytes([min(50, W - x), ((x + y) // 7) % 256]) for x in range(0, W, 50)) + b"\0\0"
    for y in range(H)))
rle8(f"{w}/bomb-rle8.bmp", 10000, 10000, b"\0\1")
PY
# 100 MB text: one line (a single text part) and 1.7 M chat lines (a list curator's file).
/usr/bin/python3 -c "
import sys
line = 'Send gift card codes to unlock your account, reply fast or lose it '
open(sys.argv[1], 'w').write((line * (100_000_000 // len(line) + 1))[:100_000_000])
with open(sys.argv[2], 'w') as f:
    n = 0
    i = 0
    while n < 100_000_000:
        s = f'message {i}: {line}{i % 977}\n'
        f.write(s); n += len(s); i += 1
" "$work/text-100mb-one-line.txt" "$work/text-100mb-lines.txt"
# 10 M URLs for a 10 M-entry list.
/usr/bin/python3 -c "
import sys
with open(sys.argv[1], 'w') as f:
    for i in range(10_000_000):
        f.write(f'h{i}.example\n')
" "$work/urls-10m.txt"
"$bin" keygen -o "$work/deploy.key" >/dev/null 2>&1

measure() { # label, command...
  local label=$1; shift
  local out="$work/time.txt" status=0
  /usr/bin/time -v -o "$out" "$@" >"$work/stdout.txt" 2>"$work/stderr.txt" || status=$?
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out")
  local note
  note=$(head -c 160 "$work/stdout.txt" | tr '\n' ' ' | sed 's/|/\\|/g')
  [[ -s "$work/stderr.txt" ]] && note="$note $(head -c 120 "$work/stderr.txt" | tr '\n' ' ' | sed 's/|/\\|/g')"
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$status" "$(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')" "$wall" "$note"
}

echo "| input | exit | peak RSS (MiB) | wall | output (truncated) |"
echo "|---|---|---|---|---|"
# A small list with text and image sections (images are decoded only when the list has one).
mkdir -p "$work/images" && cp fixtures/images/corpus/*.jpg "$work/images/"
"$bin" build --key "$work/deploy.key" --texts fixtures/demo/scam-texts.txt --images "$work/images" \
  --label scam -o "$work/small.hsbl" >/dev/null
measure "baseline: check one short text (small list)" "$bin" check --key "$work/deploy.key" --blocklist "$work/small.hsbl" --text hello
measure "50 MP JPEG ($(du -h "$work/50mp.jpg" | cut -f1))" "$bin" check --key "$work/deploy.key" --blocklist "$work/small.hsbl" "$work/50mp.jpg"
grep -q '"matched":true' <("$bin" check --key "$work/deploy.key" --blocklist "$work/small.hsbl" fixtures/images/corpus/0015.jpg) ||
  { echo "memory: the small list does not match its own image: images would not be decoded" >&2; exit 1; }
measure "50 MP JPEG, hash --algo pdq" "$bin" hash "$work/50mp.jpg"
for f in 50mp-interlaced.png 50mp.gif 50mp-lossy.webp 50mp-lossless.webp 50mp.bmp 50mp-rle8.bmp bomb-rle8.bmp; do
  measure "$f ($(du -h "$work/$f" | cut -f1)), hash" "$bin" hash "$work/$f"
done
measure "PNG declaring 50000x50000 ($(du -h "$work/bomb-50000.png" | cut -f1))" "$bin" check --key "$work/deploy.key" --blocklist "$work/small.hsbl" "$work/bomb-50000.png"
measure "PNG 10000x10000 zeros, 100 M px ($(du -h "$work/bomb-10000.png" | cut -f1))" "$bin" check --key "$work/deploy.key" --blocklist "$work/small.hsbl" "$work/bomb-10000.png"
measure "100 MB text, one line, as an attachment" "$bin" check --key "$work/deploy.key" --blocklist "$work/small.hsbl" "$work/text-100mb-one-line.txt"
measure "100 MB text, one line, build --texts" "$bin" build --key "$work/deploy.key" --texts "$work/text-100mb-one-line.txt" --label scam -o "$work/one-line.hsbl"
measure "100 MB text, 1.2 M lines, build --texts --text-signals strict" "$bin" build --key "$work/deploy.key" --texts "$work/text-100mb-lines.txt" --text-signals strict --label scam -o "$work/lines.hsbl"
measure "10 M URLs, build" "$bin" build --key "$work/deploy.key" --urls "$work/urls-10m.txt" --label phishing -o "$work/list-10m.hsbl"
ls -la "$work/list-10m.hsbl" >&2 || true
measure "10 M-entry list ($(du -h "$work/list-10m.hsbl" | cut -f1)), inspect" "$bin" inspect "$work/list-10m.hsbl"
measure "10 M-entry list, check a URL and a text" "$bin" check --key "$work/deploy.key" --blocklist "$work/list-10m.hsbl" --url "http://h123.example/p/x" --text hello
