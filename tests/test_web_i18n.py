"""The web pages speak Simplified Chinese by default and English on request; the JSON API
stays English. The catalog is complete, compiled at install and not committed."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from service.api.app import create_app

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "service" / "web" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def client(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}", "API_KEYS": [],
                      "TESTING": True})
    return app.test_client()


def heading(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


@pytest.mark.parametrize("accept, lang", [
    (None, "zh-CN"), ("zh-CN,zh;q=0.9", "zh-CN"), ("zh-TW", "zh-CN"), ("en-US,en;q=0.8", "en"),
    ("en-GB,zh;q=0.5", "en"), ("fr-FR,de;q=0.7", "zh-CN"), ("fr,en;q=0.5", "en"),
])
def test_language_follows_accept_language_with_chinese_by_default(client, accept, lang):
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/ui/dashboard", headers=headers)
    html = response.get_data(as_text=True)
    assert html_lang(html) == lang
    assert "Accept-Language" in response.headers["Vary"]
    if lang == "zh-CN":
        assert heading(html) == "规划目标完成情况"
    else:
        assert heading(html) == "Plan against progress"


def test_the_switch_sets_a_cookie_that_later_pages_follow(client):
    response = client.get("/ui/dashboard?lang=en", headers={"Accept-Language": "zh-CN"})
    assert html_lang(response.get_data(as_text=True)) == "en"
    assert "lang=en" in response.headers["Set-Cookie"]
    later = client.get("/ui/dashboard", headers={"Accept-Language": "zh-CN"})
    assert html_lang(later.get_data(as_text=True)) == "en"
    back = client.get("/ui/dashboard?lang=zh")
    assert html_lang(back.get_data(as_text=True)) == "zh-CN"
    # the switch links keep the page's other parameters
    html = client.get("/ui/dashboard?year=2024").get_data(as_text=True)
    assert re.search(r'href="/ui/dashboard\?year=2024&amp;lang=en"', html)


def test_errors_of_the_pages_are_chinese_and_the_apis_stay_english(client):
    page = client.get("/ui/documents/999999")
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert html_lang(html) == "zh-CN" and heading(html) == "未找到"
    assert "没有这份已保存的规划" in html
    assert "There is no stored plan 999999" in html  # the precise English detail, kept apart
    english = client.get("/ui/documents/999999?lang=en").get_data(as_text=True)
    assert heading(english) == "Not Found" and "There is no stored plan 999999" in english
    # a form error is shown in Chinese, with the form kept
    form = client.post("/ui/review?lang=zh", data={"text": "  ", "source": "kept"})
    html = form.get_data(as_text=True)
    assert form.status_code == 400 and "请粘贴规划文本" in html and 'value="kept"' in html

    api = client.get("/progress?status=met", headers={"Accept-Language": "zh-CN"})
    assert api.status_code == 400 and api.mimetype == "application/problem+json"
    problem = api.get_json()
    assert not HAN.search(problem["title"] + problem["detail"])
    assert "Vary" not in api.headers or "Accept-Language" not in api.headers["Vary"]


def test_every_message_is_translated_and_only_the_source_catalog_is_committed():
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh)
    assert len(catalog) > 50
    for message in catalog:
        if not message.id:
            continue
        text = message.string if isinstance(message.string, str) else message.string[0]
        assert text and HAN.search(text), f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"
    tracked = subprocess.run(["git", "ls-files", "service/web/translations"], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout.split()
    assert "service/web/translations/zh/LC_MESSAGES/messages.po" in tracked
    assert not [f for f in tracked if f.endswith(".mo")]
    assert CATALOG.with_suffix(".mo").is_file(), "catalog not compiled: run `make` (pybabel compile)"


def test_the_templates_have_no_untranslated_english_text():
    """Every visible English word of a page template goes through `_()`: text between tags may
    only be markup, Jinja expressions, numbers, punctuation or Chinese."""
    bare = re.compile(r">\s*([A-Za-z][A-Za-z ,.'’-]{2,})\s*<")
    offenders = {}
    for path in sorted((REPO / "service" / "web" / "templates").rglob("*.html")):
        text = re.sub(r"{%.*?%}|{{.*?}}|<script.*?</script>|<code>.*?</code>", "", path.read_text(), flags=re.S)
        found = [m.group(1) for m in bare.finditer(text) if m.group(1).strip() not in ("plan-targets",)]
        if found:
            offenders[path.name] = found
    assert offenders == {}
