"""Files and folders: types by extension, .gz, sniffing, skipped files, and every bad file rejected."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from marsad.model import Page, Rejection
from marsad.sources import MAX_PAGE_BYTES, read
from marsad.sources.files import file_type, read_path

HTML = "<html><head><title>خبر</title></head><body><p>نص الخبر الكامل هنا.</p></body></html>".encode()
TEXT = "عنوان الخبر\nنص الخبر في سطر ثان.\n".encode()
REPO = Path(__file__).resolve().parent.parent


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def gz_bomb(path: Path, size: int) -> Path:
    """A small .gz file that inflates to `size` zero bytes."""
    with gzip.open(path, "wb", compresslevel=9) as f:
        block = bytes(1 << 20)
        for _ in range(size // len(block)):
            f.write(block)
    return path


def test_a_folder_is_read_recursively_in_sorted_order_with_kinds_by_extension(tmp_path: Path) -> None:
    write(tmp_path / "b" / "2.htm", HTML)
    write(tmp_path / "b" / "1.txt", TEXT)
    write(tmp_path / "a.html.gz", gzip.compress(HTML))
    write(tmp_path / "c" / "d" / "page.TXT.GZ", gzip.compress(TEXT))
    items = list(read([tmp_path]))
    assert [(Path(p.origin).relative_to(tmp_path).as_posix(), p.kind) for p in items] == [
        ("a.html.gz", "html"),
        ("b/1.txt", "text"),
        ("b/2.htm", "html"),
        ("c/d/page.TXT.GZ", "text"),
    ]
    assert [p.data for p in items] == [HTML, TEXT, HTML, TEXT]  # raw bytes, decompressed, not decoded
    assert all(isinstance(p, Page) and p.text is None for p in items)


def test_hidden_and_documentation_files_are_skipped_other_types_rejected(tmp_path: Path) -> None:
    write(tmp_path / "page.txt", TEXT)
    write(tmp_path / ".DS_Store", b"\x00\x01")
    write(tmp_path / ".git" / "HEAD", b"ref: refs/heads/main\n")
    write(tmp_path / "README.md", b"# notes")
    write(tmp_path / "SOURCE.md", b"licence")
    write(tmp_path / "LICENSE", b"Apache")
    write(tmp_path / "report.pdf", b"%PDF-1.4")
    write(tmp_path / "archive.tar.gz", gzip.compress(b"x"))
    items = list(read([tmp_path]))
    assert [type(i).__name__ for i in items] == ["Rejection", "Page", "Rejection"]
    assert items[0].reason == "unsupported file type '.tar'"
    assert items[2].reason == "unsupported file type '.pdf'"


def test_container_files_in_a_folder_go_to_their_readers(tmp_path: Path) -> None:
    write(tmp_path / "x.jsonl", b'{"id": "a1", "title": "t", "content": "\xd9\x86\xd8\xb5"}\n')
    write(tmp_path / "y.rss", (REPO / "tests/data/sources/feed.rss").read_bytes())
    items = list(read([tmp_path]))
    assert items[0].id == "a1" and items[0].kind == "record"
    assert [i.origin.rsplit("#", 1)[1] for i in items[1:]] == ["entry1", "entry2", "entry3"]


def test_a_txt_holding_html_stays_text(tmp_path: Path) -> None:
    [page] = read([write(tmp_path / "dump.txt", HTML)])
    assert page.kind == "text"


@pytest.mark.parametrize(
    ("data", "kind"),
    [(HTML, "html"), (b"\n  <!DOCTYPE html><html><body>x</body></html>", "html"), (TEXT, "text")],
)
def test_a_file_without_extension_is_sniffed(tmp_path: Path, data: bytes, kind: str) -> None:
    [page] = read([write(tmp_path / "page", data)])
    assert page.kind == kind and page.data == data


def test_an_extensionless_jsonl_file_is_sniffed(tmp_path: Path) -> None:
    [page] = read([write(tmp_path / "dump", b'{"id": 7, "text": "abc"}\n')])
    assert page.id == "7" and page.text == "abc"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.html", b" \n\t\n", "empty file (whitespace only)"),
        ("fake.txt.gz", b"not gzip at all", "not gzip data despite the .gz name"),
        ("cut.html.gz", gzip.compress(HTML * 50)[:60], "corrupt or truncated gzip data"),
    ],
)
def test_bad_files_are_rejected_with_the_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    [item] = read([write(tmp_path / name, data)])
    assert isinstance(item, Rejection)
    assert item.reason.startswith(reason) and item.origin == str(tmp_path / name)


def test_a_missing_path_is_rejected(tmp_path: Path) -> None:
    assert list(read([tmp_path / "nope.txt"])) == [
        Rejection(str(tmp_path / "nope.txt"), "no such file or directory")
    ]


def test_a_file_over_the_limit_is_rejected(tmp_path: Path) -> None:
    [item] = read([write(tmp_path / "big.html", HTML * 100)], max_bytes=1000)
    assert isinstance(item, Rejection) and item.reason.startswith("file too large")


def test_a_gzip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    bomb = gz_bomb(tmp_path / "bomb.html.gz", MAX_PAGE_BYTES + 2**20)
    assert bomb.stat().st_size < 100_000
    [item] = read([bomb])
    assert item == Rejection(str(bomb), f"decompressed size over limit ({MAX_PAGE_BYTES // 2**20} MiB)")


def test_a_bad_file_does_not_stop_the_folder(tmp_path: Path) -> None:
    write(tmp_path / "1.txt", TEXT)
    gz_bomb(tmp_path / "2.txt.gz", 4 * 2**20)
    write(tmp_path / "3.txt", b"")
    write(tmp_path / "4.txt", TEXT)
    kinds = [type(i).__name__ for i in read_path(tmp_path, max_bytes=2**20)]
    assert kinds == ["Page", "Rejection", "Rejection", "Page"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.HTML.gz", ".html"),
        ("x.warc.gz", ".warc"),
        ("noext", ""),
        ("noext.gz", ""),
        (".hidden", ""),
        ("a.b.txt", ".txt"),
    ],
)
def test_file_type_looks_past_gz(name: str, kind: str) -> None:
    assert file_type(Path(name)) == kind


def test_the_bundled_examples_read_without_rejections() -> None:
    items = list(read([REPO / "examples"]))
    assert not [i for i in items if isinstance(i, Rejection)]
    seeds = [i for i in items if i.kind == "text"]
    assert [Path(s.origin).name[:3] for s in seeds] == ["000", "001", "002", "003", "004"]
    records = [i for i in items if i.kind == "record"]
    assert 300 <= len(records) <= 500
    assert len({r.id for r in records}) == len(records)
    assert all(r.meta.get("title") and r.meta.get("source") and r.meta.get("published") for r in records)
