"""個人情報の一覧 (the inventory of personal data): which fields of which models hold personal information,
grouped into the files (個人情報ファイル) a city describes in its 個人情報ファイル簿 under the amended 個人情報保護法
(applied to municipalities since 2023). `manage.py personal_data_inventory` writes docs/個人情報.md from it;
tests/niimi_portal/test_personal_data.py fails when a model gains a field that may hold personal data and is
described neither here nor in NOT_PERSONAL.

Every purpose, period and recipient below is the portal's reading of how the city works: an assumption the
city's 個人情報保護 officer must confirm before the 個人情報ファイル簿 is published.
"""

import dataclasses
import re

# A field may hold personal data when its name says so, or it stores a file, or it points at a user account.
MAY_BE_PERSONAL = re.compile(
    r"(^|_)(name|username|kana|phone|email|address|owner|author|user|place|summary|agenda|decisions|notes?|body|caption"
    r"|alt_text|reason|recipients|details|content|pdf|image|file|value)$|_by$"
)


@dataclasses.dataclass(frozen=True)
class PersonalFile:
    name: str  # 個人情報ファイルの名称
    purpose: str  # 利用目的
    fields: dict  # "app.Model.field" → 記録項目
    whose: str  # 記録範囲（本人の範囲）
    source: str  # 収集の方法
    who_sees: str  # 利用する者
    published: str  # 公開するもの
    retention: str  # 保存期間


STAFF_USER = "操作した職員（アカウント）"

FILES = [
    PersonalFile(
        name="地域運営組織の代表者・連絡先",
        purpose="地域運営組織の認可・交付金の事務と、住民への組織の案内",
        fields={
            "organizations.Organization.representative_name": "代表者の氏名",
            "organizations.Organization.contact_address": "連絡先の住所（多くは公民館など）",
            "organizations.Organization.contact_phone": "連絡先の電話番号（個人の番号のことがある）",
            "organizations.Organization.contact_email": "連絡先のメールアドレス",
            "organizations.Organization.status_reason": "認可の状況の理由（内部の記録）",
        },
        whose="地域運営組織の代表者・事務局の担当者",
        source="組織からの届出・申請書",
        who_sees="総合政策課（管理画面）、地域担当職員（担当の組織）",
        published="氏名・電話番号・メールアドレスは掲載の同意があるときだけ（docs/掲載の同意.md）。住所は公開",
        retention="組織が存続する間（解散・認可取消後の期間は要確認）。変更履歴も同じ",
    ),
    PersonalFile(
        name="掲載の同意の記録",
        purpose="代表者の氏名・連絡先を公開してよいかの確認",
        fields={
            "organizations.PublicationConsent.consented_value": "同意を得た掲載内容（氏名・番号・アドレス）",
            "organizations.PublicationConsent.given_by": "同意した人の氏名と役職",
            "organizations.PublicationConsent.entered_by": STAFF_USER,
        },
        whose="地域運営組織の代表者・事務局の担当者",
        source="本人の同意書（書面・口頭・メール）",
        who_sees="総合政策課",
        published="なし（同意した内容だけが組織のページに載る）",
        retention="撤回の翌年度から5年（RETENTION_YEARS['withdrawn_consent']、apply_retention が削除）",
    ),
    PersonalFile(
        name="取組事例と写真",
        purpose="地域の取組を住民に紹介する",
        fields={
            "organizations.CaseStudy.summary": "事例の要約（人の名前が入ることがある）",
            "organizations.CaseStudy.body": "事例の本文（人の名前が入ることがある）",
            "organizations.CaseStudy.decline_reason": "掲載しない理由（内部の記録）",
            "organizations.CaseStudy.proposed_by": STAFF_USER,
            "organizations.CaseStudy.decided_by": STAFF_USER,
            "organizations.CaseStudyPhoto.image": "写真（住民が写ることがある）",
            "organizations.CaseStudyPhoto.alt_text": "写真の説明",
            "organizations.CaseStudyPhoto.caption": "写真のキャプション",
            "organizations.CaseStudyPhoto.consent_given_by": "写真の掲載に同意した人",
        },
        whose="事例に登場する住民",
        source="地域担当職員の提案（会議の記録から）",
        who_sees="総合政策課、地域担当職員",
        published="総合政策課が認めた事例。人が写っている写真は、写っている人の同意を記録したものだけ（撤回で公開をやめる）",
        retention="掲載する間（掲載をやめた後の期間は要確認）。同意を撤回された写真は撤回の翌年度から5年で削除",
    ),
    PersonalFile(
        name="地域担当職員の名簿",
        purpose="住民と組織に担当の職員を案内し、職員が担当の地域の記録を書く",
        fields={
            "staff.LiaisonOfficer.user": "ログインのアカウント",
            "staff.LiaisonOfficer.name": "職員の氏名",
            "staff.LiaisonOfficer.name_kana": "氏名のよみ",
            "staff.LiaisonOfficer.phone": "職場の電話番号",
            "staff.LiaisonOfficer.email": "職場のメールアドレス",
        },
        whose="市の職員（地域担当職員）",
        source="人事異動（4月の担当替え）",
        who_sees="総合政策課、本人",
        published="氏名・所属・職名を地域担当職員の名簿に公開（公務員の職務の情報）。電話は職場の番号",
        retention="在職中と、担当した年度の記録が残る間",
    ),
    PersonalFile(
        name="会議の記録",
        purpose="地域での勉強会・ワークショップ・会議の経過を記録し、段階の変更の根拠とする",
        fields={
            "staff.Meeting.place": "場所",
            "staff.Meeting.agenda": "議題（人の名前が入ることがある）",
            "staff.Meeting.summary": "内容（発言した人の名前が入ることがある）",
            "staff.Meeting.decisions": "決まったこと",
            "staff.Meeting.author": STAFF_USER,
            "staff.NextStep.description": "次にすること",
            "staff.NextStep.owner": "担当する人の名前",
            "staff.MeetingAttachment.file": "添付ファイル（出席者名簿など）",
            "staff.MeetingAttachment.original_name": "添付ファイルの名前",
            "staff.MeetingAttachment.uploaded_by": STAFF_USER,
        },
        whose="会議に出席した住民・職員",
        source="地域担当職員の記録",
        who_sees="総合政策課、担当の地域担当職員",
        published="なし（公開にした会議の日時・種類・人数だけが日程に載る）",
        retention=(
            "会議の翌年度から5年（RETENTION_YEARS['meeting_record']・['meeting_attachment']）。"
            "apply_retention が本文・次にすること・添付・変更履歴を消し、日付と人数だけを残す"
        ),
    ),
    PersonalFile(
        name="段階の変更の提案",
        purpose="地域の段階の変更を記録し、総合政策課が確認する",
        fields={
            "staff.StageChange.note": "メモ",
            "staff.StageChange.decline_reason": "認めない理由",
            "staff.StageChange.recorded_by": STAFF_USER,
            "staff.StageChange.decided_by": STAFF_USER,
        },
        whose="職員（記録・確認した人）",
        source="地域担当職員の提案",
        who_sees="総合政策課、担当の地域担当職員",
        published="認めた段階だけ（メモ・理由は公開しない）",
        retention="組織が存続する間",
    ),
    PersonalFile(
        name="交付金の申請・支払・実績報告",
        purpose="一括交付金の交付申請・決定・支払・額の確定・返還の事務",
        fields={
            "grants.GrantApplication.notes": "申請のメモ",
            "grants.GrantApplication.recorded_by": STAFF_USER,
            "grants.GrantApplicationAttachment.file": "申請書の写し（スキャン。代表者の氏名・印影がある）",
            "grants.GrantApplicationAttachment.original_name": "ファイルの名前",
            "grants.GrantApplicationAttachment.uploaded_by": STAFF_USER,
            "grants.GrantReportAttachment.file": "実績報告の添付（領収書など。個人の氏名がある）",
            "grants.GrantReportAttachment.original_name": "ファイルの名前",
            "grants.GrantReportAttachment.uploaded_by": STAFF_USER,
            "grants.GrantCalculation.calculated_by": STAFF_USER,
            "grants.GrantDecision.change_reason": "変更の理由",
            "grants.GrantDecision.decided_by": STAFF_USER,
            "grants.GrantChangeRequest.reason": "変更申請の理由",
            "grants.GrantChangeRequest.received_by": STAFF_USER,
            "grants.GrantPayment.recorded_by": STAFF_USER,
            "grants.GrantRevocation.reason": "取消しの理由",
            "grants.GrantRevocation.revoked_by": STAFF_USER,
            "grants.GrantRefund.demanded_by": STAFF_USER,
            "grants.Receipt.recorded_by": STAFF_USER,
        },
        whose="地域運営組織の代表者、領収書等に名前のある人、職員",
        source="組織の申請書・請求書・実績報告",
        who_sees="総合政策課",
        published="なし",
        retention=(
            "額の確定の翌年度から5年（RETENTION_YEARS['grant_record']）。apply_retention が添付と支払の記録を削除する。"
            "返還が済んでいない決定は残す。交付決定の記録そのものは残す"
        ),
    ),
    PersonalFile(
        name="地域運営組織の事務局のアカウントと提出",
        purpose="事務局がポータルで交付申請・変更申請・請求・実績報告を出し、補正に答え、通知書を受け取り、公開ページの変更を提案する",
        fields={
            "offices.OfficeMember.user": "事務局の人のアカウント（氏名・メールアドレス）",
            "offices.OfficeMember.invited_by": STAFF_USER,
            "offices.Submission.data": "入力した内容（事業の内容などに人の名前が入ることがある）",
            "offices.Submission.saved_by": "下書きを保存した事務局の人",
            "offices.Submission.accepted_by": STAFF_USER,
            "offices.SubmissionVersion.sent_by": "提出した事務局の人",
            "offices.FieldComment.written_by": STAFF_USER,
            "offices.SubmissionAttachment.file": "添付（領収書・写真。個人の氏名や人が写ることがある）",
            "offices.SubmissionAttachment.original_name": "ファイルの名前",
            "offices.SubmissionAttachment.uploaded_by": "添付した事務局の人",
            "offices.ProfileEdit.contact_phone": "提案された連絡先の電話番号（個人の番号のことがある）",
            "offices.ProfileEdit.contact_email": "提案された連絡先のメールアドレス",
            "offices.ProfileEdit.plan_summary": "提案された計画の概要（人の名前が入ることがある）",
            "offices.ProfileEdit.proposed_by": "提案した事務局の人",
            "offices.ProfileEdit.decided_by": STAFF_USER,
            "offices.ProfileEdit.decline_reason": "見送りの理由（内部の記録）",
        },
        whose="地域運営組織の事務局の人、提出物に名前のある人、職員",
        source="事務局の人の入力（招待は総合政策課）",
        who_sees="その組織の事務局の人、総合政策課",
        published="なし。公開ページの提案は、総合政策課が反映したものだけが載り、電話番号・メールアドレスは掲載の同意があるときだけ",
        retention=(
            "提出は、その年度の額の確定の翌年度から5年（RETENTION_YEARS['grant_record']、"
            "apply_retention が添付・版・補正とあわせて削除）。出さなかった下書きは最後の保存から5年。"
            "返還が済んでいない年度の提出は残す。"
            "アカウントは事務局から外すまで（外した後の履歴の期間は要確認）"
        ),
    ),
    PersonalFile(
        name="発行した文書と文書番号簿",
        purpose="市が発行する通知書の起案・決裁、原本の控えと、文書番号の管理",
        fields={
            "grants.IssuedDocument.addressee_organization": "宛先の組織",
            "grants.IssuedDocument.addressee_title": "宛先の代表者の役職",
            "grants.IssuedDocument.addressee_name": "宛先の代表者の氏名",
            "grants.IssuedDocument.content": "文書に書いた事柄",
            "grants.IssuedDocument.pdf": "発行した PDF",
            "grants.IssuedDocument.issued_by": STAFF_USER,
            "grants.DocumentNumber.details": "番号を取った時点の文書の内容",
            "grants.DocumentNumber.void_reason": "欠番の理由",
            "grants.DocumentNumber.taken_by": STAFF_USER,
            "grants.DocumentDraft.details": "起案した文書の内容",
            "grants.DocumentDraft.reject_reason": "差戻しの理由",
            "grants.DocumentDraft.drafted_by": "起案した職員（アカウント）",
            "grants.DocumentDraft.decided_by": "決裁・差戻しをした職員（アカウント）",
            "grants.ApprovalHearing.facts": "認可の取消しの原因となる事実（役員の行為などを含むことがある）",
            "grants.ApprovalHearing.explanation": "弁明の要旨（組織の役員の事情を含むことがある）",
            "grants.ApprovalHearing.notified_by": STAFF_USER,
        },
        whose="地域運営組織の代表者・役員、職員",
        source="交付金・認可の事務",
        who_sees="総合政策課",
        published="なし（組織には文書として送る）",
        retention="文書の種類ごとの保存期間（文書管理規則による。ポータルでは廃棄しない: 要確認）",
    ),
    PersonalFile(
        name="債権者の口座",
        purpose="一括交付金を地域運営組織の口座に振り込むため、財務会計システムに支出命令を渡す",
        fields={
            "grants.PayeeAccount.organization": "債権者（地域運営組織）",
            "grants.PayeeAccount.bank_code": "金融機関コード",
            "grants.PayeeAccount.bank_name": "金融機関名",
            "grants.PayeeAccount.branch_code": "支店コード",
            "grants.PayeeAccount.branch_name": "支店名",
            "grants.PayeeAccount.account_type": "預金種別",
            "grants.PayeeAccount.account_number": "口座番号",
            "grants.PayeeAccount.account_holder": "口座名義（会計担当者の氏名が入ることがある）",
            "grants.PayeeAccount.updated_by": STAFF_USER,
        },
        whose="地域運営組織（口座名義の会計担当者）",
        source="組織からの口座振替の届出",
        who_sees=(
            "総合政策課（管理画面。一覧では口座番号を下3桁だけ表示。全部を表示する変更画面と、"
            "支出命令の行に全部を書く財務会計への連携データのダウンロードはアクセス記録に残る）、財務会計の担当（連携データ）"
        ),
        published="なし",
        retention="組織が交付金を受ける間（解散・認可取消の後の期間は要確認）。変更履歴も同じ",
    ),
    PersonalFile(
        name="職員のアカウント",
        purpose="管理画面・職員ページへのログインと権限の管理",
        fields={
            "auth.User.username": "ログイン名",
            "auth.User.first_name": "名",
            "auth.User.last_name": "姓",
            "auth.User.email": "メールアドレス",
        },
        whose="市の職員",
        source="総合政策課の管理者が登録",
        who_sees="総合政策課の管理者",
        published="なし",
        retention="在職中（退職・異動で無効にする。削除の時期は要確認）",
    ),
    PersonalFile(
        name="本人開示の記録",
        purpose="本人からの開示請求を受け、ポータルが持つ記録をまとめる",
        fields={
            "niimi_portal.Disclosure.person_name": "開示を請求した人の氏名",
            "niimi_portal.Disclosure.phone": "電話番号",
            "niimi_portal.Disclosure.email": "メールアドレス",
            "niimi_portal.Disclosure.requested_by": STAFF_USER,
        },
        whose="開示を請求した人",
        source="本人の開示請求",
        who_sees="ポータルの管理者（superuser）",
        published="なし",
        retention="開示請求の文書と同じ期間（要確認。ポータルでは廃棄しない）",
    ),
    PersonalFile(
        name="アクセス記録",
        purpose="保護された記録（申請書の写し、支払の記録、会議の添付、同意の記録、組織の連絡先、債権者の口座）をだれが見たかを残す（安全管理措置）",
        fields={
            "organizations.AccessLog.user": "見た職員（アカウント）",
            "organizations.AccessLog.username": "見た職員のユーザー名",
            "organizations.AccessLog.label": "見た記録の名前（組織名など）",
            "organizations.AccessLog.ip_address": "接続元の IP アドレス",
        },
        whose="職員",
        source="ポータルが記録（閲覧・ダウンロードのたび）",
        who_sees="課の管理者（superuser と、アクセス記録の閲覧の権限を与えられた人）",
        published="なし",
        retention="記録から1,095日（ACCESS_LOG_RETENTION_DAYS、purge_access_log が削除）",
    ),
    PersonalFile(
        name="2段階認証の機器",
        purpose="職員のログインの2段階目の確認（認証アプリの鍵とバックアップコード）",
        fields={
            "otp_totp.TOTPDevice.user": "職員（アカウント）",
            "otp_totp.TOTPDevice.key": "認証アプリの秘密鍵",
            "otp_static.StaticDevice.user": "職員（アカウント）",
            "otp_static.StaticToken.token": "バックアップコード",
        },
        whose="市の職員",
        source="本人が設定",
        who_sees="だれも見ない（管理画面でも鍵とQRコードは表示しない）",
        published="なし",
        retention="本人が設定し直すか、管理者がリセットするまで",
    ),
    PersonalFile(
        name="送信したメール",
        purpose="職員・組織への通知メールを確実に届ける（送信の待ち行列）",
        fields={
            "outbox.Message.recipients": "宛先のメールアドレス",
            "outbox.Message.data": "メールの本文",
            "outbox.Message.last_error": "送信できなかったときの理由（宛先が入ることがある）",
        },
        whose="職員、地域運営組織の担当者",
        source="ポータルが作る通知",
        who_sees="総合政策課",
        published="なし",
        retention="送信から90日（OUTBOX_KEEP_SENT_DAYS、send_outbox が削除）",
    ),
]

# Fields the pattern above catches that hold no personal data, each with the reason.
NOT_PERSONAL = {
    "auth.User.is_superuser": "権限の区分",
    "organizations.Region.name": "地域の名前",
    "organizations.Region.name_kana": "地域の名前のよみ",
    "organizations.Region.town_kana": "旧市町の名前のよみ",
    "organizations.Organization.name": "団体の名前",
    "organizations.Organization.name_kana": "団体の名前のよみ",
    "organizations.AnnualPlan.summary": "団体の年度計画",
    "organizations.PlannedProject.name": "事業の名前",
    "organizations.FAQCategory.name": "分類の名前",
    "organizations.PageBlock.body": "市が書くページの文",
    "organizations.SitePage.body": "市が書くページの文（プライバシーポリシー・免責事項）",
    "organizations.Notice.body": "市が書くお知らせの文",
    "grants.GrantRule.notes": "交付基準のメモ",
    "grants.BudgetRevision.note": "予算の補正のメモ（議会の議決など）",
    "grants.NoticeSettings.mayor_name": "市長の氏名（公職として公表されている）",
    "grants.NoticeSettings.seal_image": "公印の印影",
    "grants.DocumentSeries.name": "文書番号の系列の名前",
    "grants.ApprovalRoute.note": "専決区分の根拠（事務決裁規程の条項）",
    "grants.GrantReportItem.name": "事業の名前",
    "grants.IntegratedSubsidy.name": "補助金の名前",
    "library.LibraryDocument.file": "市が公開する資料",
}


def described_fields():
    return {key for personal_file in FILES for key in personal_file.fields}


def render():
    """docs/個人情報.md, as `manage.py personal_data_inventory` writes it."""
    lines = [
        "# 個人情報の一覧（個人情報ファイル簿の案）",
        "",
        "このページは `niimi_portal/personal_data.py` から `manage.py personal_data_inventory` で作ります（手で直さない"
        "でください）。モデルに個人情報を持つかもしれない項目が増えたのに、ここに書いていないと試験が失敗します。",
        "",
        "**前提（要確認）**: 利用目的・保存期間・利用する者は、ポータルが想定した市の事務の進め方です。"
        "個人情報ファイル簿として公表する前に、市の個人情報保護の担当が確認してください。"
        "保存期間は `RETENTION_YEARS` の設定で変えられ、"
        "`manage.py apply_retention --dry-run` が廃棄する記録の一覧を出します（docs/security.md）。",
        "",
    ]
    for number, personal_file in enumerate(FILES, start=1):
        lines += [
            f"## {number}. {personal_file.name}",
            "",
            "| 事項 | 内容 |",
            "|---|---|",
            f"| 利用目的 | {personal_file.purpose} |",
            f"| 記録範囲 | {personal_file.whose} |",
            f"| 収集の方法 | {personal_file.source} |",
            f"| 利用する者 | {personal_file.who_sees} |",
            f"| 公開するもの | {personal_file.published} |",
            f"| 保存期間 | {personal_file.retention} |",
            "",
            "| 記録項目 | 項目（モデル.フィールド） |",
            "|---|---|",
        ]
        lines += [f"| {label} | `{key}` |" for key, label in personal_file.fields.items()]
        lines.append("")
    lines += [
        "## 個人情報を持たない項目",
        "",
        "名前の付け方から個人情報かもしれないと見える項目のうち、個人情報ではないもの。",
        "",
        "| 項目 | 理由 |",
        "|---|---|",
    ]
    lines += [f"| `{key}` | {reason} |" for key, reason in NOT_PERSONAL.items()]
    lines += [
        "",
        "変更履歴（django-simple-history の Historical… の表）は、元の項目と同じ個人情報を持ち、元の記録と同じ期間"
        "保存します（apply_retention は元の記録と一緒に消します）。",
        "",
    ]
    return "\n".join(lines)
