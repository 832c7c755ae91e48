#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's fixtures (idempotent; the corpora are not
# committed). Blocklist seeds come in two forms: mode byte 0 + the file as is, and mode byte 1 + the
# file's body without checksum and signature (the target appends a valid checksum, see src/lib.rs).
set -euo pipefail
cd "$(dirname "$0")"
fx=../fixtures
c=corpus
mkdir -p "$c"/{image_pdq,blocklist_open,delta_apply,text_canon,url_canon,screen_message,c_api,unicode_diff}

# Images: the small PNGs, the corpus JPEGs (~30 KB each), and tiny files of every format.
for f in "$fx"/images/pdq-png/{small,wee,square-128x128}.png "$fx"/images/corpus/*.jpg \
  "$fx"/images/seeds/seed-* "$fx"/images/bmp/*.bmp; do
  cp -f "$f" "$c/image_pdq/$(basename "$f")"
done
if command -v convert >/dev/null 2>&1; then
  for ext in jpg png gif bmp webp; do
    convert -size 64x48 gradient:red-blue -rotate 15 "$c/image_pdq/tiny.$ext" 2>/dev/null || true
  done
fi

# Blocklists and deltas: raw (mode 0, 2, 4) and as bodies with the checksum fixed up (mode 1, 3, 5).
body() { # file -> body bytes (without checksum and, when flagged signed, the 96-byte signature)
  local f=$1 flags n
  flags=$(od -An -tu1 -j11 -N1 "$f" | tr -d ' ')
  n=$(( $(stat -c %s "$f") - 32 - ( (flags & 1) * 96 ) ))
  head -c "$n" "$f"
}
for f in "$fx"/blocklists/*.hsbl; do
  b=$(basename "$f" .hsbl)
  for mode in 0 2 4; do
    { printf "\\x0$mode"; cat "$f"; } > "$c/blocklist_open/$b-m$mode"
    { printf "\\x0$mode"; cat "$f"; } > "$c/delta_apply/$b-m$mode"
    { printf "\\x0$((mode + 1))"; body "$f"; } > "$c/blocklist_open/$b-m$((mode + 1))"
    { printf "\\x0$((mode + 1))"; body "$f"; } > "$c/delta_apply/$b-m$((mode + 1))"
  done
done

# Text: each evasion case and demo text as its own seed.
n=0
while IFS=$'\t' read -r a b _; do
  n=$((n + 1))
  printf '%s' "$a" > "$c/text_canon/case-$n-a"
  printf '%s' "$b" > "$c/text_canon/case-$n-b"
done < <(tail -n +2 "$fx/text/text_evasion_cases.tsv")
n=0
while IFS= read -r line; do
  n=$((n + 1)); printf '%s' "$line" > "$c/text_canon/demo-$n"
done < "$fx/demo/scam-texts.txt"

# URLs: the canonicalisation vectors and demo URLs.
n=0
while IFS=$'\t' read -r input _; do
  n=$((n + 1)); printf '%s' "$input" > "$c/url_canon/vector-$n"
done < <(tail -n +2 "$fx/text/url_canon_vectors.tsv")
while IFS= read -r line; do
  n=$((n + 1)); printf '%s' "$line" > "$c/url_canon/demo-$n"
done < "$fx/demo/phishing-urls.txt"

# Messages: kind byte, 2-byte little-endian length, bytes (see message_parts in src/lib.rs).
part() { # kind file
  local len; len=$(stat -c %s "$2")
  printf "\\x0$1\\x$(printf %02x $((len & 255)))\\x$(printf %02x $((len >> 8 & 255)))"
  cat "$2"
}
i=0
for t in "$c"/text_canon/demo-* ; do
  i=$((i + 1))
  u=$(ls "$c"/url_canon/vector-* | sed -n "${i}p")
  { part 0 "$t"; part 2 "$u"; part 1 "$fx/demo/listed-attachment.txt"; } > "$c/screen_message/msg-$i"
done
{ part 0 "$fx/demo/scam-texts.txt"; part 3 "$fx/images/pdq-png/wee.png"; } > "$c/screen_message/img-1"
{ part 3 "$fx/images/corpus/0015.jpg"; part 2 "$fx/demo/phishing-urls.txt"; } > "$c/screen_message/img-2"

# C API (src/c_api.rs): mode byte (bits 0-2 the entry point) + bytes. 0 open, 1 delta, 2 text,
# 3 URL, 4 file, 5 image, 6 PDQ, 7 message (kind byte, one-byte length, bytes); 15 key hex.
{ printf '\x00'; cat "$fx/blocklists/list-v1.hsbl"; } > "$c/c_api/open-list"
{ printf '\x40'; cat "$fx/blocklists/list-v2-signed.hsbl"; } > "$c/c_api/open-list-keyid"
{ printf '\x01'; cat "$fx/blocklists/delta-1-2.hsbl"; } > "$c/c_api/delta"
{ printf '\x02'; head -n 1 "$fx/demo/scam-texts.txt"; } > "$c/c_api/text"
{ printf '\x03'; head -n 1 "$fx/demo/phishing-urls.txt"; } > "$c/c_api/url"
{ printf '\x04'; cat "$fx/demo/listed-attachment.txt"; } > "$c/c_api/file"
{ printf '\x05'; cat "$fx/images/pdq-png/wee.png"; } > "$c/c_api/image"
{ printf '\x06'; cat "$fx/images/pdq-png/small.png"; } > "$c/c_api/pdq"
{ printf '\x07\x00\x14Claim your prize now\x01\x0cevil.example'; } > "$c/c_api/message"
{ printf '\x0f000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'; } > "$c/c_api/key"

# Unicode differential: the text and URL seeds (evasion cases, IDN hosts).
cp -f "$c"/text_canon/case-* "$c"/text_canon/demo-* "$c"/url_canon/vector-* "$c/unicode_diff/" 2>/dev/null || true

for d in "$c"/*/; do printf '%s %s files\n' "$d" "$(ls "$d" | wc -l)"; done
