"""The web pages' language: Simplified Chinese by default, English on request (Flask-Babel).

The language is, in order: `?lang=zh|en` (remembered in a `lang` cookie for the next pages),
the `lang` cookie, the first language of `Accept-Language` that the pages speak, else
`BABEL_DEFAULT_LOCALE` (Chinese unless configured otherwise).
Message ids in the templates and code are English; `translations/zh/LC_MESSAGES/messages.po`
holds their Chinese (compiled to `.mo` by `make`, `pybabel compile`; the `.mo` is not committed).
The JSON API is not translated: its problem `title`/`detail` stay English for programs.
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, request
from flask_babel import Babel, get_locale, gettext

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
HTML_LANG = {"zh": "zh-CN", "en": "en"}
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).parent / "translations"


def _requested() -> str | None:
    asked = (request.args.get("lang") or "").strip().lower()
    return asked if asked in LANGUAGES else None


def select_language() -> str:
    """The language of this request's page (see the module's docstring)."""
    asked = _requested()
    if asked:
        return asked
    remembered = request.cookies.get(COOKIE)
    if remembered in LANGUAGES:
        return remembered
    for tag, _quality in request.accept_languages:  # already sorted by quality
        primary = tag.split("-")[0].split("_")[0].lower()
        if primary in LANGUAGES:
            return primary
    configured = current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    return configured if configured in LANGUAGES else DEFAULT_LANGUAGE


def language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE).split("_")[0]


def is_page(path: str) -> bool:
    """Whether a path is one of the web pages (the only responses that speak a language)."""
    return path == "/" or (path.startswith("/ui/") and not path.startswith("/ui/static/"))


def remember_language(response):
    """A `?lang=` choice is kept in a cookie, so the next page speaks the same language."""
    if not is_page(request.path):
        return response
    asked = _requested()
    if asked and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, samesite="Lax")
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=select_language)
    app.after_request(remember_language)

    @app.template_filter("merge_lang")
    def _merge_lang(args: dict, code: str) -> dict:
        return {**args, "lang": code}

    @app.context_processor
    def _language_context():
        lang = language()
        return {"lang": lang, "html_lang": HTML_LANG[lang], "languages": LANGUAGE_NAMES}


# --------------------------------------------------------------------------- error messages

def _messages() -> dict:
    """What a person reads for each problem type or status (the API's English stays apart)."""
    return {
        "no-text": gettext("Paste the text of a plan or choose a .txt or .docx file."),
        "undecodable-text": gettext("The text cannot be read: save it as UTF-8 or GB18030 and try again."),
        "unsupported-file-type": gettext("This kind of file cannot be read; choose a .txt or .docx file."),
        "unauthorized": gettext("Saving needs one of this service's API keys; enter it beside the Save button."),
        "forbidden": gettext("That API key is not one this service accepts."),
        "invalid-request": gettext("The request is not valid; check what was entered."),
        "no-document": gettext("There is no such stored plan."),
        "store-unavailable": gettext("The database cannot be reached or is busy; try again shortly."),
        400: gettext("The request is not valid; check what was entered."),
        401: gettext("Saving needs one of this service's API keys; enter it beside the Save button."),
        403: gettext("That API key is not one this service accepts."),
        404: gettext("This page does not exist."),
        405: gettext("This address does not accept that kind of request."),
        413: gettext("The file or text is larger than this service accepts."),
        415: gettext("This kind of file cannot be read; choose a .txt or .docx file."),
        422: gettext("The text cannot be read: save it as UTF-8 or GB18030 and try again."),
        500: gettext("Something went wrong on the server; the error has been logged."),
        503: gettext("The database cannot be reached or is busy; try again shortly."),
    }


def _titles() -> dict:
    return {
        400: gettext("Invalid request"), 401: gettext("API key needed"), 403: gettext("Forbidden"),
        404: gettext("Not found"), 405: gettext("Method not allowed"),
        413: gettext("Too large"), 415: gettext("Unsupported file"),
        422: gettext("Unreadable text"), 500: gettext("Server error"),
        503: gettext("Store unavailable"),
    }


def page_error(status: int, problem_type: str | None, title: str, detail: str) -> dict:
    """The error shown on a page. In English, the problem's own title and detail (they are
    English already, and the most precise); in Chinese, a message per problem type or status,
    with the English detail kept apart as technical information for a report."""
    if language() == "en":
        return {"status": status, "title": title, "detail": detail, "technical": None}
    slug = (problem_type or "").rsplit(":", 1)[-1]
    messages = _messages()
    message = messages.get(slug) or messages.get(status) or gettext("The request failed.")
    return {"status": status, "title": _titles().get(status) or gettext("Error"),
            "detail": message, "technical": detail if detail != message else None}
