"""資料室 (/documents/): the city's publications by category, PDFs or links, published ones only."""

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError

from library.models import LibraryDocument
from tests.staff.conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def test_documents_are_listed_by_category_and_the_citys_own_never_labelled_demo(client, module_demo, settings):
    settings.DEMO_MODE = True  # even with the demo mode on
    page = client.get("/documents/").content.decode()
    for heading in ("市報", "ハンドブック", "運用マニュアル", "動画", "関連リンク"):
        assert f">{heading}</h2>" in page
    assert "市報にいみ 1月号（166号）特集記事" in page
    assert "一括交付金運用マニュアル" in page
    assert 'href="https://www.cao.go.jp/regional_management/case/index.html"' in page
    handbook = page.split("地域共生社会の基盤構築ハンドブック")[1].split("</li>")[0]
    # No real address in the seed: a placeholder link, said so in words, but the city's own publication is
    # never labelled デモ (issue 31).
    assert "リンク先は市のホームページのトップです" in handbook and "デモ" not in handbook
    cao = page.split("事例集・手引集（内閣府ホームページ）")[1].split("</li>")[0]
    assert "デモ" not in cao  # the seed gives this address


def test_an_unpublished_document_and_its_file_stay_hidden(client):
    draft = LibraryDocument(title="下書きの様式", category="form", is_published=False)
    draft.file.save("form.pdf", ContentFile(pdf_bytes()), save=True)
    assert "下書きの様式" not in client.get("/documents/").content.decode()
    assert client.get(f"/documents/{draft.pk}/file/").status_code == 404
    draft.is_published = True
    draft.save()
    response = client.get(f"/documents/{draft.pk}/file/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert f'href="/documents/{draft.pk}/file/"' in client.get("/documents/").content.decode()


def test_a_document_needs_a_file_or_a_link():
    with pytest.raises(IntegrityError):
        LibraryDocument.objects.create(title="どこにもない資料", category="link")


def test_policy_staff_edit_the_library_in_the_admin(client, module_demo):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="seisaku"))
    assert client.get("/admin/library/librarydocument/add/").status_code == 200
