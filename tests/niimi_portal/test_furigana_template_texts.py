"""Issue 20, item 3: the texts a page's template shows (headings, explanations, header and footer), which
no save prepares, have their ふりがな readings stored by the first ふりがな page that reads them, and by
`manage.py warm_pages` at a deploy, so another process shows them without the analyzer. A write the
database refuses leaves the page as it was."""

import logging
import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction

from niimi_portal import names as names_module
from niimi_portal.context_processors import RUBY_COOKIE
from niimi_portal.lib import furigana
from niimi_portal.models import Reading
from niimi_portal.names import names
from niimi_portal.templatetags import furigana as furigana_tag
from tests.helpers import Client

pytestmark = pytest.mark.django_db

RUBY_MARKUP = re.compile("<rp>.*?</rp>|<rt>.*?</rt>|</?ruby>")


def new_process():
    """What a new worker starts with: nothing in its memo or its own copy of the names table."""
    furigana.forget_readings()
    names_module._tables.clear()
    cache.clear()


@pytest.fixture(autouse=True)
def fresh_process():
    new_process()
    yield
    new_process()


def page(path, *, ruby):
    client = Client()
    if ruby:
        client.cookies[RUBY_COOKIE] = "on"
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def template_pieces(path):
    """The pieces of the page's text that the analyzer reads (those between stored names), stripped as
    they are stored."""
    table = names()
    document = page(path, ruby=False)
    parts = [
        part.strip() for _, _, text in furigana.text_nodes(document) for part, name in table.parts(text) if not name
    ]
    return {part for part in parts if furigana.HAS_KANJI.search(part)}


def stored(pieces):
    keys = {furigana._piece_key(piece): piece for piece in pieces}
    return {keys[key] for key in Reading.objects.filter(key__in=keys).values_list("key", flat=True)}


@pytest.fixture
def read_only():
    """The test's transaction made read-only, as on a replica: every write fails. (Inside a savepoint
    rolled back at the end, which on PostgreSQL undoes SET TRANSACTION READ ONLY too.)"""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET TRANSACTION READ ONLY")
        else:
            cursor.execute("PRAGMA query_only = ON")
        yield
        if connection.vendor != "postgresql":  # the pragma belongs to the connection
            cursor.execute("PRAGMA query_only = OFF")
        transaction.set_rollback(True)


def test_a_ruby_page_stores_the_readings_of_its_template_texts(module_demo, analyzed):
    pieces = template_pieces("/about/")
    assert "小規模多機能自治" in "".join(pieces)
    Reading.objects.all().delete()
    new_process()

    first = page("/about/", ruby=True)

    assert "<ruby>" in first and analyzed
    assert stored(pieces) == pieces
    new_process()
    analyzed.clear()
    assert page("/about/", ruby=True) == first
    assert analyzed == []  # a new process reads them from the database, not the analyzer


def test_a_pages_new_readings_are_written_after_its_response_in_one_write(module_demo, monkeypatch):
    Reading.objects.all().delete()
    written, while_rendering = [], []
    monkeypatch.setattr("niimi_portal.readings.write", lambda found: written.append(dict(found)) or True)
    page_with_ruby = furigana_tag.page_with_ruby

    def rendering(*args):
        out = page_with_ruby(*args)
        while_rendering.append(len(written))
        return out

    monkeypatch.setattr(furigana_tag, "page_with_ruby", rendering)
    page("/faq/", ruby=True)  # the test client closes the response, as a WSGI server does: request_finished
    assert while_rendering == [0]
    assert len(written) == 1
    assert furigana._piece_key("よくある質問") in written[0]


def test_a_refused_write_leaves_the_page_and_the_transaction_as_they_were(module_demo, read_only, caplog):
    caplog.set_level(logging.WARNING, logger="niimi_portal.readings")
    before = Reading.objects.count()

    ruby = page("/about/", ruby=True)

    assert "<ruby>" in ruby and "小規模多機能自治" in RUBY_MARKUP.sub("", ruby)
    assert "保存できませんでした" in caplog.text
    assert Reading.objects.count() == before  # the transaction is still usable, nothing was written


def test_a_refused_write_outside_a_request_still_returns_the_ruby(db, read_only, caplog):
    caplog.set_level(logging.WARNING, logger="niimi_portal.readings")
    out = furigana.page_with_ruby("<p>雪下ろしの共同作業</p>", furigana.build_names([]))
    assert out.startswith("<p><ruby>雪下<rp>（</rp><rt>ゆきお</rt>")
    assert "保存できませんでした" in caplog.text
    assert not Reading.objects.exists()


def test_warm_pages_stores_the_readings_every_public_page_needs(demo, analyzed):
    Reading.objects.all().delete()
    new_process()
    out = StringIO()
    call_command("warm_pages", host="testserver", http=True, stdout=out)
    assert "失敗 0 件" in out.getvalue()
    assert stored(template_pieces("/about/")) == template_pieces("/about/")

    new_process()  # a worker after the deploy; the page cache emptied too, so each page is rendered
    analyzed.clear()
    for path in ("/", "/about/", "/regions/", "/regions/karamatsu/", "/organizations/kumano-mirai/", "/faq/",
                 "/cases/", "/liaisons/", "/grants/"):  # fmt: skip
        assert "<ruby>" in page(path, ruby=True), path
    assert analyzed == []


def test_warm_pages_without_ruby_stores_no_readings(demo):
    Reading.objects.all().delete()
    new_process()
    call_command("warm_pages", host="testserver", http=True, ruby=False, stdout=StringIO())
    assert not Reading.objects.exists()
