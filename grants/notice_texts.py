"""The realistic starting texts of the notice settings (loaded by a data migration, edited in the admin
afterwards). The article numbers of the 規則・要綱 and the mayor's name are left as placeholders: the city
fills them in, and no document can be issued until it has."""

from decimal import Decimal

LEGAL_BASIS = "新見市補助金等交付規則第○条及び新見市小規模多機能自治一括交付金交付要綱第○条の規定により"

APPROVAL_BASIS = "新見市小規模多機能自治推進要綱第○条の規定により"

APPEAL_TEXT = "\n".join(
    [
        "１　この決定に不服があるときは、この決定があったことを知った日の翌日から起算して3か月以内に、"
        "新見市長に対して審査請求をすることができる（なお、この決定があったことを知った日の翌日から起算して"
        "3か月以内であっても、この決定の日の翌日から起算して1年を経過すると審査請求をすることができなくなる。）。",
        "２　この決定の取消しを求める訴えは、この決定があったことを知った日の翌日から起算して6か月以内に、"
        "新見市を被告として（訴訟において新見市を代表する者は新見市長となる。）提起することができる（なお、"
        "この決定があったことを知った日の翌日から起算して6か月以内であっても、この決定の日の翌日から起算して"
        "1年を経過すると決定の取消しの訴えを提起することができなくなる。）。",
        "３　ただし、上記１の審査請求をした場合には、この決定の取消しの訴えは、その審査請求に対する裁決が"
        "あったことを知った日の翌日から起算して6か月以内に提起することができる（なお、裁決があったことを知った"
        "日の翌日から起算して6か月以内であっても、裁決の日の翌日から起算して1年を経過すると決定の取消しの"
        "訴えを提起することができなくなる。）。",
    ]
)

CONTACT = "総務部総合政策課協働推進係（電話 0867-72-6143）"

STANDARD_CONDITIONS = "\n".join(
    [
        "この交付金は、年度計画に定めた事業に要する経費に充てること。",
        "事業の内容若しくは経費の配分を変更しようとするとき、又は事業を中止し、若しくは廃止しようとするときは、"
        "あらかじめ市長の承認を受けること。",
        "事業が予定の期間内に完了しないとき、又は事業の遂行が困難となったときは、速やかに市長に報告し、その指示を受けること。",
        "交付金により取得し、又は効用の増加した財産で取得価格又は効用の増加価格が単価50万円以上のものは、"
        "市長の承認を受けないで、交付の目的に反して使用し、譲渡し、交換し、貸し付け、又は担保に供しないこと。",
        "この交付金の対象となる経費について、国、県又は市のほかの補助金等の交付を重ねて受けないこと。",
        "年度の終了後、翌年度の4月30日までに、事業ごとの実績と収支を記載した実績報告書に関係書類を添えて提出すること。",
        "市は実績報告書を審査して交付額を確定する。確定した額が交付した額を下回るときは、その差額を返還すること。",
        "交付金の収支を記載した帳簿及び証拠書類を整備し、事業を完了した年度の翌年度から5年間保存すること。",
        "市が求めたときは、事業の実施状況を報告し、帳簿その他の書類の調査に応じること。",
        "偽りその他不正の手段により交付を受けたとき、又はこの条件に違反したときは、交付決定の全部又は一部を"
        "取り消し、交付金の返還を求めることがある。",
    ]
)

# The portal's demo fills the placeholders with invented values, labelled デモ in the admin and on the documents.
DEMO_MAYOR_NAME = "新見 太郎"
DEMO_LEGAL_BASIS = "新見市補助金等交付規則第5条及び新見市小規模多機能自治一括交付金交付要綱第8条の規定により"
DEMO_APPROVAL_BASIS = "新見市小規模多機能自治推進要綱第6条の規定により"


def _demo_grant_basis(rule, guideline):
    return f"新見市補助金等交付規則第{rule}条及び新見市小規模多機能自治一括交付金交付要綱第{guideline}条の規定により"


# Each kind its own (invented) article, so the demo shows which article each notice cites, and the
# 取下げ period and 延滞金 rate (10.95%: the rate of 補助金等に係る予算の執行の適正化に関する法律第19条).
DEMO_KIND_SETTINGS = {
    "withdrawal_days": 15,
    "late_fee_rate": Decimal("10.95"),
    "legal_basis": DEMO_LEGAL_BASIS,
    "approval_basis": DEMO_APPROVAL_BASIS,
    "return_basis": "新見市行政手続条例第7条の規定により",
    "refusal_basis": "新見市小規模多機能自治推進要綱第7条の規定により",
    "hearing_basis": "新見市行政手続条例第30条の規定により",
    "approval_revocation_basis": "新見市小規模多機能自治推進要綱第9条の規定により",
    "change_basis": _demo_grant_basis(9, 10),
    "settlement_basis": _demo_grant_basis(14, 13),
    "revocation_basis": _demo_grant_basis(16, 15),
    "refund_basis": _demo_grant_basis(17, 16),
    "additional_basis": _demo_grant_basis(9, 11),
}
