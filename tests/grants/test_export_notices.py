"""`manage.py export_notices` on the demo data: one PDF per decided organization, read back."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from grants import notices
from grants.models import DocumentDraft, GrantDecision, IssuedDocument
from niimi_portal.lib.wareki import fiscal_year_of, wareki_date
from organizations.models import Organization
from tests.grants.pdf import pdf_fonts, pdf_info, pdf_text
from tests.helpers import approve_decision, approve_document, issue_document, issue_notice

pytestmark = pytest.mark.django_db


def export(*args):
    out = io.StringIO()
    call_command("export_notices", *args, stdout=out)
    return out.getvalue()


def test_export_on_the_demo_data_writes_one_pdf_per_decided_organization(demo, tmp_path):
    year = fiscal_year_of(timezone.localdate())
    decisions = list(GrantDecision.objects.filter(fiscal_year__year=year).select_related("organization", "fiscal_year"))
    for decision in decisions:
        issue_notice(decision)  # 起案 and 決裁: only 決裁 issues a notice
    output = export("--fiscal-year", str(year), "--out", str(tmp_path), "--zip", "--combined")
    assert {d.organization for d in decisions} == set(Organization.objects.approved())
    pdfs = sorted(tmp_path.glob("*_交付決定通知書.pdf"))
    assert len(pdfs) == len(decisions) == 2
    for index, decision in enumerate(sorted(decisions, key=lambda d: d.number), start=1):
        pdf = (tmp_path / notices.notice_filename(decision)).read_bytes()
        text = pdf_text(pdf)
        assert decision.organization.name in text
        assert f"金{decision.amount:,}円" in text
        assert "デモ（架空の値を含む文書）" in text  # the demo's mayor and article numbers are invented
        assert wareki_date(decision.decided_on) in text and wareki_date(decision.decided_on).startswith("令和")
        assert [font["name"].split("+")[1] for font in pdf_fonts(pdf)] == ["BIZUDMincho-Regular"]
        number = f"{decision.fiscal_year.label} {decision.document_number}"  # the number with its year
        assert f"[{index}/2] {decision.organization.name} {number} → " in output
    with zipfile.ZipFile(tmp_path / f"{year}_交付決定通知書.zip") as archive:
        assert sorted(archive.namelist()) == sorted(p.name for p in pdfs)
    assert pdf_info((tmp_path / f"{year}_交付決定通知書_一括印刷用.pdf").read_bytes())["Pages"] == "2"
    assert "交付決定通知書 2件を書き出しました" in output


def test_export_writes_only_what_is_issued_and_lists_what_waits_for_its_kessai(
    approved, other_approved, current_year, decided_on, tmp_path, notice_settings
):
    from grants import services

    services.grant_calculate_year(fiscal_year=current_year)
    first, second = services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    issue_notice(first)
    documents, drafts = IssuedDocument.objects.count(), DocumentDraft.objects.count()
    output = export("--fiscal-year", str(current_year.year), "--out", str(tmp_path))
    (pdf,) = tmp_path.iterdir()
    assert pdf.name == "2026_001_唐松まちづくり協議会_交付決定通知書.pdf"
    waiting = f"高尾ふれあい協議会（{notices.decision_entry(second).text_with_year}）"  # 決裁待ち, no number yet
    assert f"決裁されていない交付決定通知書 1件は書き出していません（決裁の後に書き出せます）: {waiting}" in output
    assert "交付決定通知書 1件を書き出しました" in output
    # The export issued nothing and sent nothing for 決裁.
    assert (IssuedDocument.objects.count(), DocumentDraft.objects.count()) == (documents, drafts)
    second.document_numbers.get()  # its number is taken, and stays unissued
    assert notices.issued_original(notices.decision_entry(second)) is None


def test_export_of_an_unknown_year_or_a_year_without_decisions_fails_clearly(db, tmp_path, current_year):
    with pytest.raises(CommandError, match="1999年度（西暦）は登録されていません"):
        export("--fiscal-year", "1999", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="交付決定通知書で、決裁の済んだものがありません"):
        export("--fiscal-year", str(current_year.year), "--out", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_loaddemo_decides_the_demo_grants_once(demo):
    first = list(GrantDecision.objects.order_by("pk").values("pk", "number", "amount"))
    call_command("loaddemo", verbosity=0)
    assert list(GrantDecision.objects.order_by("pk").values("pk", "number", "amount")) == first
    assert GrantDecision.objects.filter(decided_by__username="seisaku").count() == len(first) > 0


def test_export_of_settlement_notices_writes_only_settled_decisions(
    approved, other_approved, projects, current_year, decided_on, tmp_path, notice_settings
):
    from grants import services

    services.grant_calculate_year(fiscal_year=current_year)
    first, second = services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    approve_decision(first)
    approve_decision(second)
    services.decision_report(decision=first, reported_on=decided_on, spending={projects[0]: 5, projects[1]: 5})
    services.decision_settle(decision=first, settled_on=decided_on)
    approve_decision(first, "settlement")
    output = export("--fiscal-year", str(current_year.year), "--out", str(tmp_path), "--kind", "settlement")
    (pdf,) = tmp_path.iterdir()
    assert pdf.name == "2026_003_唐松まちづくり協議会_交付額確定通知書.pdf"
    assert "金10円" in pdf_text(pdf.read_bytes())
    assert "[1/1] 唐松まちづくり協議会 令和8年度 新総政第3号 → " in output


def test_export_refuses_while_the_mayors_name_is_a_placeholder(approved, current_year, decided_on, tmp_path):
    """The migrated settings leave the mayor's name and the article numbers for the city to fill in."""
    from grants import services

    (calculation,) = services.grant_calculate_year(fiscal_year=current_year).saved
    # Numbered from the paper register (決裁 on paper): issuing it is refused, naming what is missing, and the
    # export, which never issues, has nothing to write.
    decision = services.decision_decide(calculation=calculation, decided_on=decided_on, document_number="1")
    with pytest.raises(ValidationError, match="「市長の氏名」が空欄です"):
        issue_notice(decision)
    with pytest.raises(CommandError, match="決裁の済んだものがありません"):
        export("--fiscal-year", str(current_year.year), "--out", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_export_of_a_kind_skips_and_lists_the_decisions_without_it(
    approved, other_approved, current_year, decided_on, tmp_path, notice_settings
):
    from grants import services

    services.grant_calculate_year(fiscal_year=current_year)
    first, second = services.decisions_decide_year(fiscal_year=current_year, decided_on=decided_on)
    approve_decision(first)
    approve_decision(second)
    changed = services.decision_change(decision=first, amount=3_000_000, reason="減額", changed_on=decided_on)
    approve_document(changed.change_entry)
    output = export("--fiscal-year", str(current_year.year), "--out", str(tmp_path), "--kind", "change")
    (pdf,) = tmp_path.iterdir()
    assert pdf.name == "2026_003_唐松まちづくり協議会_変更交付決定通知書.pdf"
    assert "変更交付決定通知書" in pdf_text(pdf.read_bytes())
    assert "[1/1] 唐松まちづくり協議会 令和8年度 新総政第3号 → " in output
    skipped = f"高尾ふれあい協議会（{second.document_number}）"
    assert f"変更交付決定通知書のない交付決定 1件は書き出していません: {skipped}" in output
    assert "変更交付決定通知書 1件を書き出しました" in output


def test_export_of_the_approval_letters_by_fiscal_year(
    approved, other_approved, policy_officer, tmp_path, notice_settings
):
    """認可・不認可・認可取消 are not tied to a grant decision: the year's letters come from the register."""
    import datetime

    from grants import approval_acts, register
    from grants.models import DocumentKind, DocumentNumber

    for organization, day in ((approved, datetime.date(2026, 5, 1)), (other_approved, datetime.date(2027, 4, 1))):
        register.number_take(kind=DocumentKind.APPROVAL, day=day, subject="認可", organization=organization)
    register.number_take(
        kind=DocumentKind.REFUSAL,
        day=datetime.date(2026, 6, 1),
        subject="不認可",
        organization=other_approved,
        details={"reason": "活動区域が重なるため。"},
    )
    hearing = approval_acts.hearing_notify(
        organization=approved, by=policy_officer, notified_on=datetime.date(2026, 10, 19), facts="休止のため。"
    )
    approval_acts.organization_revoke(
        organization=approved, by=policy_officer, reason="休止のため。", date=datetime.date(2026, 11, 4)
    )
    hearing.refresh_from_db()
    approve_document(hearing.notice_entry)  # each numbered on its 決裁, the cited one first
    approve_document(hearing.revocation_entry)
    for entry in DocumentNumber.objects.filter(kind__in=[DocumentKind.APPROVAL, DocumentKind.REFUSAL]):
        issue_document(entry)  # numbered by hand above (決裁 on paper): issued as they are

    output = export("--fiscal-year", "2026", "--out", str(tmp_path / "approval"), "--kind", "approval", "--zip")
    pdfs = sorted((tmp_path / "approval").glob("*.pdf"))
    assert [pdf.name for pdf in pdfs] == ["2026_001_唐松まちづくり協議会_認可通知書.pdf"]  # not 令和9年度's
    assert "地域運営組織認可通知書" in pdf_text(pdfs[0].read_bytes())
    assert "令和8年度の認可通知書 1件を書き出しました" in output

    export("--fiscal-year", "2026", "--out", str(tmp_path / "refusal"), "--kind", "refusal")
    (pdf,) = (tmp_path / "refusal").iterdir()
    assert "不認可通知書" in pdf.name and "（教示）" in pdf_text(pdf.read_bytes())

    output = export(
        "--fiscal-year", "2026", "--out", str(tmp_path / "revoked"), "--kind", "approval_revocation", "--combined"
    )
    (pdf,) = (tmp_path / "revoked").glob("*_認可取消通知書.pdf")
    text = pdf_text(pdf.read_bytes())
    assert "地域運営組織認可取消通知書" in text and "（教示）" in text
    assert pdf_info((tmp_path / "revoked" / "2026_認可取消通知書_一括印刷用.pdf").read_bytes())["Pages"] == "1"

    with pytest.raises(CommandError, match="令和9年度の認可取消通知書で、決裁の済んだものは文書番号簿にありません"):
        export("--fiscal-year", "2027", "--out", str(tmp_path / "none"), "--kind", "approval_revocation")
