"""End-to-end through the `marsad` command: the JSON contracts other tools read."""

import json
import subprocess
import sys

import pytest

ARTICLE = (
    "وصل رئيس الوزراء العراقي إلى العاصمة الأميركية واشنطن مساء الأحد في زيارة رسمية تستمر ثلاثة أيام "
    "يلتقي خلالها الرئيس الأميركي لبحث مستقبل القوات الأميركية في العراق والتعاون الأمني بين البلدين."
)


def marsad(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    p = subprocess.run([sys.executable, "-m", "marsad", *args], capture_output=True, text=True, timeout=300)
    if check and p.returncode != 0:
        raise AssertionError(p.stderr)
    return p


def lines(out: str) -> list[dict]:
    return [json.loads(x) for x in out.splitlines() if x.strip()]


@pytest.fixture
def corpus(tmp_path):
    recs = [
        {"id": "a1", "source": "okaz", "date": "2015-07-21 10:00:00", "title": "زيارة رسمية إلى واشنطن",
         "content": ARTICLE},
        {"id": "a2", "source": "alriyadh", "date": "2015-07-21 12:00:00", "title": "زيارة رسمية إلى واشنطن",
         "content": ARTICLE},
        {"id": "bad"},
    ]
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n{not json\n", encoding="utf-8")
    return p


def test_extract_prints_one_contract_line_per_page(tmp_path):
    good = tmp_path / "page.txt"
    good.write_text("زيارة رسمية إلى واشنطن\n\n" + ARTICLE + "\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = lines(marsad("extract", str(good), str(empty), "--format", "json").stdout)
    assert len(out) == 2
    keys = {"path", "status", "reason", "title", "subtitle", "outlet", "credited", "published",
            "published_time", "language", "body"}
    assert all(set(r) == keys for r in out)
    by_path = {r["path"]: r for r in out}
    assert by_path[str(good)]["status"] == "ok"
    assert any("واشنطن" in para for para in by_path[str(good)]["body"])
    assert by_path[str(empty)]["status"] == "rejected" and by_path[str(empty)]["reason"]


def test_ingest_then_articles_and_stories(tmp_path, corpus):
    db = tmp_path / "m.db"
    marsad("ingest", str(corpus), "--db", str(db))
    arts = {r["id"]: r for r in lines(marsad("articles", "--db", str(db), "--format", "json").stdout)}
    assert set(arts) == {"a1", "a2"}  # input ids kept; bad lines rejected, not stored
    assert set(arts["a1"]) == {"id", "outlet", "title", "published", "duplicate_of", "similarity", "story"}
    assert arts["a2"]["duplicate_of"] == "a1"  # same text, later: a copy of the earliest
    stories = lines(marsad("stories", "--db", str(db), "--format", "json").stdout)
    assert all(set(s) == {"id", "headline", "members", "outlets", "first_seen", "last_seen"} for s in stories)
    assert any("a1" in s["members"] for s in stories)
    status = json.loads(marsad("status", "--db", str(db)).stdout)
    assert status["ingested"] == 1 and status["duplicate"] == 1 and status["rejected"] == 2
    assert status["pages"] == 4


def test_reingesting_changes_nothing(tmp_path, corpus):
    db = tmp_path / "m.db"
    marsad("ingest", str(corpus), "--db", str(db))
    before = marsad("articles", "--db", str(db), "--format", "json").stdout
    marsad("ingest", str(corpus), "--db", str(db))
    assert marsad("articles", "--db", str(db), "--format", "json").stdout == before
    assert json.loads(marsad("status", "--db", str(db)).stdout)["pages"] == 4


def test_commands_on_a_missing_store_fail_clearly(tmp_path):
    p = marsad("stories", "--db", str(tmp_path / "none.db"), check=False)
    assert p.returncode == 2 and "no store" in p.stderr


def test_stance_prints_one_label_per_pair(tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "s1,s2\n"
        "ارتفاع أسعار النفط بعد قرار أوبك,انخفاض أسعار النفط بعد قرار أوبك\n"
        "الرئيس التونسي يزور الجزائر,زيارة الرئيس التونسي إلى الجزائر\n"
        "منتخب البرازيل يفوز بكأس العالم,البنك المركزي الياباني يبقي على سعر الفائدة\n",
        encoding="utf-8",
    )
    out = marsad("stance", str(pairs)).stdout.splitlines()
    assert len(out) == 3
    assert set(out) <= {"agree", "disagree", "other"}
