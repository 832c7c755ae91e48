"""fixtures/vectors.json through the Python bindings (the same checks as tests/vectors.rs), the
fixture images, errors as typed exceptions, building/deltas, and the trust-and-safety helper."""

import json
import os
from pathlib import Path

import pytest

import hashscreen as hs
from hashscreen import HashscreenError, MessagePart, OpenOptions
from hashscreen.tools import BuildError, build_blocklist, main as build_main, parse_pdq_export

FIXTURES = Path(os.environ.get("HASHSCREEN_FIXTURES", Path(__file__).resolve().parents[3] / "fixtures"))
V = json.loads((FIXTURES / "vectors.json").read_text(encoding="utf-8"))
KEY = hs.Key.from_hex(V["key"]["hex"])


def read(rel):
    return (FIXTURES / rel).read_bytes()


def test_key_id():
    assert KEY.id() == V["key"]["key_id"]


@pytest.mark.parametrize("d", V["digests"], ids=lambda d: f'{d["signal"]}:{d.get("comment", "")}')
def test_digest_and_canonical_form(d):
    if "canonical" in d:
        signal, text = d["signal"], d["input"]
        if signal == "text":
            got = hs.text_strict_key(text)
        elif signal == "text_loose":
            got = hs.text_loose_key(text)
        elif signal == "text_shingle":
            got = hs.text_shingles(text)[0]
        elif signal == "url":
            assert hs.url_canonicalize(text) == d["url_canonical"]
            exprs = hs.url_expressions(text)
            assert exprs == d["expressions"]
            got = exprs[0]
        else:
            pytest.fail(f"no canonical form for {signal}")
        assert got == d["canonical"]
    if "input_hex" in d:
        value = bytes.fromhex(d["input_hex"])
    else:
        value = d.get("canonical", d.get("input")).encode()
    assert hs.digest(KEY, d["signal"], d["version"], value) == d["digest"]


def open_lists():
    lists = {}
    for info in V["blocklists"]:
        lst = hs.Blocklist.open(read(info["file"]), OpenOptions(key_id=KEY.id()))
        assert lst.sequence() == info["sequence"]
        assert lst.checksum() == info["checksum"]
        assert lst.signer() == info["signed_by"]
        assert [(s.signal, s.label, s.entries) for s in lst.sections()] == [
            (s["signal"], s["label"], s["entries"]) for s in info["sections"]
        ]
        lists[Path(info["file"]).name] = lst
    return lists


def test_lists_and_delta():
    lists = open_lists()
    publisher = hs.VerifyingKey.from_hex(V["publisher"]["public_key"])
    opts = OpenOptions(publisher=publisher, min_sequence=1, key_id=KEY.id())
    applied = lists["list-v1.hsbl"].apply_delta(read(V["delta"]["file"]), opts)
    assert applied.to_bytes() == lists["list-v2-signed.hsbl"].to_bytes()

    v2 = lists["list-v2-signed.hsbl"].to_bytes()
    with pytest.raises(HashscreenError.Rollback):
        hs.Blocklist.open(v2, OpenOptions(publisher=publisher, min_sequence=3))
    with pytest.raises(HashscreenError.SignatureMissing):
        hs.Blocklist.open(lists["list-v1.hsbl"].to_bytes(), OpenOptions(publisher=publisher))
    corrupt = bytearray(v2)
    corrupt[len(corrupt) // 2] ^= 1
    with pytest.raises(HashscreenError.Checksum):
        hs.Blocklist.open(bytes(corrupt), OpenOptions())
    with pytest.raises(HashscreenError.KeyMismatch):
        hs.Screener(lists["list-v1.hsbl"], hs.Key.generate())


@pytest.mark.parametrize("case", V["screen"], ids=lambda c: f'{c["kind"]}:{c.get("comment", "")}')
def test_screen_vectors(case):
    lists = open_lists()
    s = hs.Screener(lists[case["blocklist"]], KEY)
    kind = case["kind"]
    if kind == "text":
        v = s.screen_text(case["input"])
    elif kind == "url":
        v = s.screen_url(case["input"])
    elif kind == "file":
        v = s.screen([MessagePart.FILE(bytes.fromhex(case["input_hex"]))])
    elif kind == "image":
        v = s.screen([MessagePart.IMAGE(read(case["input_file"]))])
    else:
        pytest.fail(f"unknown kind {kind}")
    assert v.matched == case["verdict"]["matched"]
    assert [(m.signal, m.label) for m in v.matches] == [
        (m["signal"], m["label"]) for m in case["verdict"]["matches"]
    ]


def test_vector_counts():
    assert len(V["digests"]) >= 8 and len(V["screen"]) >= 10 and len(V["pdq"]["images"]) >= 3


@pytest.mark.parametrize("img", V["pdq"]["images"], ids=lambda i: i["file"])
def test_pdq_of_fixture_images(img):
    pdq = hs.pdq_from_image(read(img["file"]))
    assert pdq.hash == img["pdq"]
    assert pdq.quality == img["quality"]
    assert pdq.dihedral == img["dihedral"]
    assert hs.digest(KEY, "image_pdq", 1, bytes.fromhex(pdq.hash)) == img["digest"]


def test_dihedral_close_to_reference_of_rotated_files():
    """Same bound as tests/image_pdq_conformance.rs: within 20 bits of the C++ reference."""
    pdq = hs.pdq_from_image(read("images/dih/bridge-1-original.jpg"))
    ref = [l.split(",")[0] for l in (FIXTURES / "images/dih/cpp-reference-hashes.csv").read_text().splitlines()]
    assert len(ref) == 8
    for mine, theirs in zip(pdq.dihedral, ref):
        assert hs.pdq_distance(mine, theirs) <= 20


def test_errors_are_typed():
    with pytest.raises(HashscreenError.InvalidKeyLength):
        hs.Key.from_hex("00")
    with pytest.raises(HashscreenError.InvalidHex):
        hs.Key.from_hex("zz" * 32)
    with pytest.raises(HashscreenError.BadMagic):
        hs.Blocklist.open(b"x" * 300, OpenOptions())
    with pytest.raises(HashscreenError.InvalidUrl):
        hs.url_canonicalize("mailto:someone@example.com")
    with pytest.raises(HashscreenError.InvalidArgument):
        hs.digest(KEY, "no_such_signal", 1, b"")
    with pytest.raises(HashscreenError.UnsupportedImageFormat):
        hs.pdq_from_image(b"not an image")
    with pytest.raises(HashscreenError.InvalidImageHashHex):
        hs.pdq_distance("abc", "def")
    # Every exception is a HashscreenError (and an Exception) with a message.
    try:
        hs.Key.from_hex("00")
    except HashscreenError as e:
        assert "key" in str(e)


def test_build_screen_message_and_delta(tmp_path):
    signer = hs.SigningKey.generate()
    publisher = signer.verifying_key()
    image = read("images/corpus/0060.jpg")
    b = hs.BlocklistBuilder(KEY)
    assert b.pending() == 0
    b.add_text("scam", "Send the gift card codes now")
    b.add_url("phishing", "evil.example/login/")
    b.add_image("known-images", image)
    b.add_file("malware", b"MZ pretend malware")
    assert b.pending() >= 4  # digests pending (a text adds several)
    with pytest.raises(HashscreenError.InvalidLabel):
        b.add_text("bad label!", "x")
    with pytest.raises(HashscreenError.InvalidParameters):
        b.set_false_positive_rate(2.0)
    v1 = hs.Blocklist.open(b.build_signed(signer), OpenOptions(publisher=publisher, min_sequence=1))
    s = hs.Screener(v1, KEY)
    assert s.screen_text("SEND the gift-card codes   now!").matched
    assert s.screen_url("hxxps://login.evil[.]example/login/step2").matched
    assert s.screen_image(image).matched
    assert s.screen_file(b"MZ pretend malware").matches[0].label == "malware"
    assert not s.screen_file(b"hello").matched
    # A file fed in pieces (too large to hold in memory): the whole file's verdict.
    for pieces, listed in [([b"MZ pre", b"", b"tend malware"], True), ([b"MZ pretend", b" malwarE"], False)]:
        h = s.file_hasher()
        for p in pieces:
            h.update(p)
        assert s.screen_file_hasher(h).matched == listed
    t = hs.BlocklistBuilder(KEY)
    t.add_text("scam", "send gift card codes")
    no_files = hs.Screener(hs.Blocklist.open(t.build(), OpenOptions()), KEY)
    h = no_files.file_hasher()
    h.update(b"MZ pretend malware")
    assert not no_files.screen_file_hasher(h).matched

    v = s.screen([
        MessagePart.TEXT("see you at eight"),
        MessagePart.IMAGE(b"not an image"),
        MessagePart.URL("https://example.org/"),
        MessagePart.IMAGE(image),
    ])
    assert v.matched
    assert {(m.part, m.label) for m in v.matches} == {(3, "known-images")}
    assert [(u.part, u.code) for u in v.unscreened] == [(1, "unsupported_image_format")]

    b2 = hs.BlocklistBuilder.from_base(KEY, v1)
    b2.add_text("scam", "a brand new scam text")
    v2 = hs.Blocklist.open(b2.build_signed(signer), OpenOptions(publisher=publisher))
    assert v2.sequence() == 2
    d = hs.make_delta(v1, v2, signer)
    assert v1.apply_delta(d, OpenOptions(publisher=publisher)).to_bytes() == v2.to_bytes()
    with pytest.raises(HashscreenError.DeltaMismatch):  # backwards: sequence not higher
        hs.make_delta(v2, v1, None)


def test_trust_and_safety_helper(tmp_path):
    folder = tmp_path / "known"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.jpg").write_bytes(read("images/corpus/0060.jpg"))
    (folder / "sub" / "b.png").write_bytes(read("images/pdq-png/q0003.png"))  # PDQ quality 3
    (folder / "sub" / "c.jpg").write_bytes(read("images/corpus/0075.jpg"))
    bridge = hs.pdq_from_image(read("images/dih/bridge-1-original.jpg"))
    export = tmp_path / "export.csv"
    export.write_text(
        "# hash,quality,path (ThreatExchange reference tool output)\n"
        f"{bridge.hash},100,bridge.jpg\n"
        "\n"
        f"{'0' * 64},10,flat.jpg\n"
        f"{hs.pdq_from_image(read('images/corpus/0179.jpg')).hash}\n",
        encoding="utf-8",
    )
    signer = hs.SigningKey.generate()
    report = build_blocklist(KEY, images=[folder], pdq_hashes=[export], label="known-images", signer=signer)
    assert (report.images_listed, report.hashes_listed) == (2, 2)
    assert report.skipped_low_quality == [str(folder / "sub" / "b.png"), f"{export}:4"]
    lst = hs.Blocklist.open(report.blocklist, OpenOptions(publisher=signer.verifying_key(), key_id=KEY.id()))
    s = hs.Screener(lst, KEY)
    # A mirrored copy of the exported bridge hash matches (all dihedral variants are probed).
    assert s.screen_image(read("images/dih/bridge-1-original.jpg")).matched
    assert s.screen_image(read("images/corpus/0179.jpg")).matched
    assert s.screen_image(read("images/corpus/0075.jpg")).matched
    with pytest.raises(HashscreenError.ImageLowQuality):
        s.screen_image(read("images/pdq-png/q0003.png"))
    assert not s.screen_image(read("images/corpus/0269.jpg")).matched

    bad = tmp_path / "bad.csv"
    bad.write_text("abcd,100\n", encoding="utf-8")
    with pytest.raises(BuildError) as e:
        build_blocklist(KEY, pdq_hashes=[bad])
    assert isinstance(e.value.__cause__, HashscreenError.InvalidImageHashHex)
    assert "bad.csv:1" in str(e.value)
    with pytest.raises(ValueError):
        list(parse_pdq_export(["ab,200"]))

    # The command-line form writes the same kind of list.
    keyfile = tmp_path / "deploy.key"
    keyfile.write_text(KEY.to_secret_hex() + "\n")
    out = tmp_path / "list.hsbl"
    assert build_main(["--key", str(keyfile), "--images", str(folder), "--pdq-hashes", str(export), "-o", str(out)]) == 0
    assert hs.Screener(hs.Blocklist.open(out.read_bytes(), OpenOptions()), KEY).screen_image(
        read("images/corpus/0060.jpg")
    ).matched


def test_one_screener_shared_between_threads():
    from concurrent.futures import ThreadPoolExecutor

    s = hs.Screener(open_lists()["list-v1.hsbl"], KEY)
    cases = [c for c in V["screen"] if c["kind"] == "text" and c["blocklist"] == "list-v1.hsbl"]
    assert len(cases) >= 2
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda c: s.screen_text(c["input"]).matched, cases * 25))
    assert got == [c["verdict"]["matched"] for c in cases] * 25
