"""The web page in a real browser: Debian's Chromium (/usr/bin/chromium) driven by Playwright, against
`marsad serve` on 127.0.0.1. Playwright never downloads a browser here; `make test` installs chromium
(scripts/install_chromium.sh). A missing chromium fails this test: it is not skipped."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from marsad.pipeline import ingest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CORPUS = Path(__file__).parent / "data" / "api" / "corpus.jsonl"
ARTIFACTS = Path(__file__).resolve().parents[1] / "out" / "browser"  # screenshots kept here (out/ is git-ignored)
TOKEN = "browser-test-token"
HOSTILE_PAGE = (
    "<html><head><meta charset='utf-8'><title>&lt;script&gt;window.__pwned=6&lt;/script&gt;"
    " عاصفة رملية تضرب الرياض</title></head><body><article><h1>&lt;script&gt;window.__pwned=7&lt;/script&gt;"
    " عاصفة رملية تضرب الرياض</h1>"
    "<p>&lt;script&gt;window.__pwned=8&lt;/script&gt; &lt;img src=x onerror=\"window.__pwned=9\"&gt; ضربت عاصفة رملية"
    " شديدة مدينة الرياض مساء أمس وأدت إلى انخفاض مدى الرؤية الأفقية وتعطل حركة السير في عدد من الطرق الرئيسية.</p>"
    "<p>وحذرت الأرصاد من استمرار العاصفة حتى صباح الغد ودعت السكان إلى توخي الحذر &lt;/p&gt;&lt;/div&gt;"
    "&lt;svg onload=alert(1)&gt;.</p></article></body></html>"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 2.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `scripts/install_chromium.sh` (apt-get install chromium) "
                    "or `make test`, which does it", pytrace=False)
    db = tmp_path_factory.mktemp("browser") / "m.db"
    ingest([str(CORPUS)], db)
    port = _free_port()
    env = {**os.environ, "MARSAD_TOKEN": TOKEN}
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", str(db), "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(base + "/api/health")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read().decode(errors="replace") if proc.poll() is not None else ""
                    pytest.fail(f"marsad serve did not start: {out[-2000:]}")
                time.sleep(0.1)
        req = urllib.request.Request(base + "/api/ingest", data=HOSTILE_PAGE.encode(), method="POST",
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/html"})
        with urllib.request.urlopen(req, timeout=30) as r:
            report = json.loads(r.read())
        assert report["ingested"] == 1, report
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `scripts/install_chromium.sh` or `make test`", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True, timeout=30_000)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    ctx.set_default_timeout(10_000)
    pg = ctx.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    ctx.close()


def test_rtl_story_and_search(server, page, tmp_path):
    page.goto(server + "/")
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.locator("li.story").count() >= 4
    # the page fits a phone: nothing wider than the viewport
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1

    page.locator("li.story a.h", has_text="وزير الدفاع").first.click()
    page.wait_for_url("**/story/*")
    assert page.locator("h1").inner_text().startswith("وزير الدفاع")
    assert page.locator("ol.summary li").count() >= 1
    assert page.locator("ol.summary a.chip").count() >= 1
    assert page.locator("svg.chart rect").count() >= 1
    assert page.locator("ul.members li").count() == 3
    shot = tmp_path / "story_page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    page.fill("form.search input[name=q]", "الاميركي")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    hits = page.locator("li.hit")
    assert hits.count() == 2
    assert page.locator("li.hit mark").count() >= 1
    page.screenshot(path=str(tmp_path / "search_page.png"), full_page=True)
    hits.first.locator("a.h").click()
    page.wait_for_url("**/article/*")
    assert page.locator("article p").count() >= 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for f in tmp_path.glob("*.png"):  # the test's artifacts, kept beyond pytest's tmp dir
        shutil.copy(f, ARTIFACTS / f.name)


def test_scraped_script_never_runs(server, page):
    page.goto(server + "/")
    urls = [server + "/", server + "/search?q=" + urllib.request.quote("التطعيم"),
            server + "/search?q=" + urllib.request.quote("عاصفة رملية"),
            server + "/search?q=" + urllib.request.quote("<script>window.__pwned=10</script>")]
    for title in ("حملة التطعيم", "عاصفة رملية"):
        hits = json.loads(_get(server + "/api/search?q=" + urllib.request.quote(title)))["articles"]
        assert hits, title
        urls.append(server + "/article/" + hits[0]["id"])
        urls.append(server + "/story/" + hits[0]["story"])
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        assert page.locator("script").count() == 0, url
    assert page.dialogs == []
    page.goto(urls[-2])
    assert "<script>" in page.locator("h1").inner_text()  # shown as text, not run
