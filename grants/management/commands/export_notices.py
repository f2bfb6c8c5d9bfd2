"""Write a fiscal year's notices as PDF files, one per decided organization (and optionally a ZIP and
one combined PDF for printing), with a progress line per notice. Each is written exactly as it was issued on
its 決裁; a notice still waiting for 決裁 (or never sent to it), and a decision without the asked kind, are
skipped and listed: the command issues nothing, since only 決裁 issues a document (grants.drafts).

The letters about an organization's 認可 (認可・補正の求め・不認可・弁明の機会の付与・認可取消) are not tied to a
grant decision: for those kinds, every letter of the register dated in the fiscal year is written."""

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from grants import notices
from grants.models import FiscalYear
from niimi_portal.lib.wareki import fiscal_year_label


class Command(BaseCommand):
    help = "年度の通知書（PDF）を書き出します。例: manage.py export_notices --fiscal-year 2026 --out notices/"

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", type=int, required=True, help="年度（西暦、例: 2026 = 令和8年度）")
        parser.add_argument("--out", type=Path, required=True, help="書き出すフォルダ（なければ作ります）")
        parser.add_argument(
            "--kind",
            choices=sorted(notices.KINDS),
            default=notices.DECISION,
            help=(
                "decision = 交付決定通知書（既定）、settlement = 交付額確定通知書、approval = 認可通知書、"
                "refusal = 不認可通知書、approval_revocation = 認可取消通知書、hearing = 弁明の機会の付与通知書、"
                "return = 補正の求め通知書 など"
            ),
        )
        parser.add_argument("--zip", action="store_true", help="すべてをまとめた ZIP も書き出す")
        parser.add_argument("--combined", action="store_true", help="すべてを1つにまとめた印刷用 PDF も書き出す")

    def handle(self, *args, fiscal_year, out, kind, zip, combined, **options):
        if kind in notices.ORGANIZATION_KINDS:
            return self.export_letters(fiscal_year, out, kind, zip=zip, combined=combined)
        year = FiscalYear.objects.filter(year=fiscal_year).first()
        if year is None:
            raise CommandError(f"{fiscal_year}年度（西暦）は登録されていません。")
        decisions, waiting, lacking = notices.split_by_notice(notices.decisions_for_notices(year, kind), kind)
        label = notices.KINDS[kind]
        self.list_skipped(
            f"決裁されていない{label} {len(waiting)}件は書き出していません（決裁の後に書き出せます）",
            [f"{d.organization.name}（{self._number(d, kind)}）" for d in waiting],
        )
        self.list_skipped(
            f"{label}のない交付決定 {len(lacking)}件は書き出していません",
            [f"{d.organization.name}（{d.document_number}）" for d in lacking],
        )
        if not decisions:
            raise CommandError(f"{year.label}の{label}で、決裁の済んだものがありません。")
        out.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        total = len(decisions)
        pdfs = []
        try:
            for index, (decision, name, pdf) in enumerate(notices.iter_notices(decisions, kind), start=1):
                (out / name).write_bytes(pdf)
                pdfs.append((name, pdf))
                self.stdout.write(
                    f"[{index}/{total}] {decision.organization.name} {self._number(decision, kind)} → {out / name}"
                )
        except notices.NoticeFontError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:  # a placeholder in the notice settings, named
            raise CommandError(" ".join(error.messages)) from error
        if zip:
            path = out / f"{year.year}_{label}.zip"
            path.write_bytes(notices.zip_files(pdfs))
            self.stdout.write(f"ZIP: {path}")
        if combined:
            path = out / f"{year.year}_{label}_一括印刷用.pdf"
            path.write_bytes(notices.notices_combined_pdf(decisions, kind))
            self.stdout.write(f"印刷用 PDF: {path}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{year.label}の{label} {total}件を書き出しました（{time.monotonic() - started:.1f} 秒）。"
            )
        )

    def export_letters(self, fiscal_year, out, kind, *, zip, combined):
        """Every issued letter of `kind` (about an organization's 認可) dated in the fiscal year."""
        label, year_label = notices.KINDS[kind], fiscal_year_label(fiscal_year)
        issued, waiting = notices.issued_for_year(fiscal_year, kind)
        self.list_skipped(
            f"決裁されていない{label} {len(waiting)}件は書き出していません（決裁の後に書き出せます）",
            [f"{entry.organization.name if entry.organization else ''}（{entry.text_with_year}）" for entry in waiting],
        )
        if not issued:
            raise CommandError(f"{year_label}の{label}で、決裁の済んだものは文書番号簿にありません。")
        out.mkdir(parents=True, exist_ok=True)
        documents, pdfs = [], []
        try:
            for index, document in enumerate(issued, start=1):
                entry = document.entry
                name = notices.document_filename(document)
                pdf = notices.stored_pdf(document)
                (out / name).write_bytes(pdf)
                documents.append(document)
                pdfs.append((name, pdf))
                organization = entry.organization.name if entry.organization else ""
                self.stdout.write(f"[{index}/{len(issued)}] {organization} {entry.text_with_year} → {out / name}")
        except notices.NoticeFontError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:  # a setting this kind needs is blank, named
            raise CommandError(" ".join(error.messages)) from error
        if zip:
            path = out / f"{fiscal_year}_{label}.zip"
            path.write_bytes(notices.zip_files(pdfs))
            self.stdout.write(f"ZIP: {path}")
        if combined:
            path = out / f"{fiscal_year}_{label}_一括印刷用.pdf"
            path.write_bytes(notices.documents_combined_pdf(documents))
            self.stdout.write(f"印刷用 PDF: {path}")
        self.stdout.write(self.style.SUCCESS(f"{year_label}の{label} {len(issued)}件を書き出しました。"))

    def list_skipped(self, heading, names):
        if names:
            self.stdout.write(self.style.WARNING(f"{heading}: " + "、".join(names)))

    @staticmethod
    def _number(decision, kind):
        return notices.decision_entry(decision, kind).text_with_year
