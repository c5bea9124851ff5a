"""Concurrency: two `marsad ingest` processes, a `marsad serve` with readers and an API ingest, and
`marsad status`, all on one store at once: no "database is locked", no error response, an intact store,
and page counts that add up (the store's one writer path: WAL, busy timeouts, BEGIN IMMEDIATE)."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from marsad.store import sqlite as store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "saudinewsnet" / "sample.jsonl"
SEEDS = ROOT / "examples" / "seeds"
TOKEN = "concurrency-test-token"
READ_PATHS = ["/api/health", "/api/stories?limit=5", "/api/search?q=السعودية", "/", "/search?q=الرياض"]
API_RECORD = {"id": "api-1", "source": "okaz", "date": "2015-08-05 09:00:00", "title": "افتتاح معرض الكتاب في جدة",
              "content": "افتتح أمير منطقة مكة المكرمة معرض جدة الدولي للكتاب بمشاركة أكثر من 400 دار نشر من عدة دول "
                         "عربية وأجنبية، ويستمر المعرض عشرة أيام وسط إقبال كبير من الزوار."}


def _marsad(*args: str) -> list[str]:
    return [sys.executable, "-m", "marsad", *args]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Readers:
    """Threads that read through the HTTP API until stopped, keeping every response's status."""

    def __init__(self, base: str, n: int = 2) -> None:
        self.base = base
        self.statuses: list[int] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(i,)) for i in range(n)]

    def _loop(self, i: int) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as c:
            k = i
            while not self.stop.is_set():
                self.statuses.append(c.get(READ_PATHS[k % len(READ_PATHS)]).status_code)
                k += 1

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=120)


def _serve(db: Path, port: int) -> subprocess.Popen:
    p = subprocess.Popen(_marsad("serve", "--db", str(db), "--port", str(port)), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env={**os.environ, "MARSAD_TOKEN": TOKEN})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert p.poll() is None, p.stderr.read()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return p
        except httpx.TransportError:
            time.sleep(0.2)
    p.kill()
    raise AssertionError("marsad serve did not start")


def _split_sample(tmp: Path) -> tuple[Path, Path, int]:
    """Two JSONL files from the sample that share 100 records (the same ids, under two file names)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    a, b = tmp / "a.jsonl", tmp / "b.jsonl"
    a.write_text("\n".join(lines[:300]) + "\n", encoding="utf-8")
    b.write_text("\n".join(lines[200:]) + "\n", encoding="utf-8")
    return a, b, 300 + len(lines) - 200


def test_two_ingests_a_server_and_status_on_one_store(tmp_path):
    db = tmp_path / "m.db"
    subprocess.run(_marsad("ingest", str(SEEDS), "--db", str(db), "-q"), check=True, capture_output=True)
    a, b, n_lines = _split_sample(tmp_path)
    port = _free_port()
    server = _serve(db, port)
    statuses: list[str] = []
    try:
        with Readers(f"http://127.0.0.1:{port}") as readers:
            ingests = [subprocess.Popen(_marsad("ingest", str(f), "--db", str(db), "-q"), stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True) for f in (a, b)]
            api = httpx.post(f"http://127.0.0.1:{port}/api/ingest", timeout=300,
                             content=json.dumps(API_RECORD, ensure_ascii=False).encode() + b"\n",
                             headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"})
            while any(p.poll() is None for p in ingests):
                st = subprocess.run(_marsad("status", "--db", str(db)), capture_output=True, text=True)
                statuses.append(st.stdout if st.returncode == 0 else "FAILED " + st.stderr)
            outs = [p.communicate() for p in ingests]
        assert server.poll() is None
    finally:
        server.terminate()
        _, server_err = server.communicate(timeout=30)

    for p, (_, err) in zip(ingests, outs, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err
    assert "locked" not in server_err
    assert api.status_code == 200, api.text
    assert api.json()["ingested"] + api.json()["duplicate"] == 1
    assert statuses and not [s for s in statuses if s.startswith("FAILED")]
    assert readers.statuses and set(readers.statuses) == {200}

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    final = json.loads(subprocess.run(_marsad("status", "--db", str(db)), capture_output=True, text=True,
                                      check=True).stdout)
    n_seeds = len(list(SEEDS.glob("*.txt")))
    assert final["pages"] == n_seeds + n_lines + 1  # every page of every ingest once; the shared 100 lines
    assert final["ingested"] + final["duplicate"] + final["rejected"] == final["pages"]  # come under 2 names
    ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
    assert len(ids) == len(set(ids))
    shared = {json.loads(x)["id"] for x in SAMPLE.read_text(encoding="utf-8").splitlines()[200:300]}
    second = conn.execute("SELECT COUNT(*) FROM pages WHERE article_id IN ({}) AND reason='same page as a stored"
                          " article'".format(",".join("?" * len(shared))), sorted(shared)).fetchone()[0]
    stored = conn.execute("SELECT COUNT(*) FROM articles WHERE id IN ({})".format(",".join("?" * len(shared))),
                          sorted(shared)).fetchone()[0]
    assert second == stored  # each shared record stored once, its second copy accounted as a duplicate


def test_a_second_writer_waits_past_the_busy_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.2)  # SQLite gives up on a lock after 0.2 s; the writer waits on
    db = tmp_path / "m.db"
    first = store.open_store(db)
    got: list[str] = []
    with store.write_transaction(first):
        first.execute("INSERT INTO meta(key, value) VALUES('a', '1')")
        t = threading.Thread(target=_write, args=(db, got))
        t.start()
        time.sleep(1.0)  # five busy timeouts
        assert t.is_alive() and not got
    t.join(timeout=30)
    assert got == ["1"]  # it saw the first writer's row: its snapshot began after the first committed


def _write(db, got: list[str]) -> None:
    conn = store.open_store(db)
    with store.write_transaction(conn):
        got.append(conn.execute("SELECT value FROM meta WHERE key='a'").fetchone()[0])
        conn.execute("INSERT INTO meta(key, value) VALUES('b', '2')")


def test_a_failed_write_leaves_nothing_and_opening_a_store_never_waits(tmp_path, monkeypatch):
    db = tmp_path / "m.db"
    conn = store.open_store(db)
    try:
        with store.write_transaction(conn):
            conn.execute("INSERT INTO meta(key, value) VALUES('half', 'done')")
            raise KeyboardInterrupt  # as a signal would, mid-transaction
    except KeyboardInterrupt:
        pass
    assert conn.execute("SELECT COUNT(*) FROM meta WHERE key='half'").fetchone()[0] == 0
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.1)
    with store.write_transaction(conn):  # an ingest holds the write lock ...
        reader = store.open_store(db)  # ... and a server or `marsad status` still opens the store at once
        assert store.page_counts(reader) == {"ingested": 0, "duplicate": 0, "rejected": 0}
        reader.close()
