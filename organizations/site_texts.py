"""The portal's draft texts of the pages every city site has (`SitePage`) and its example お知らせ (`Notice`).

A clerk adding a page in the admin starts from the draft below; `loaddemo` loads the drafts and the example
notices marked `is_demo`, so in demo mode they read as the portal's example text, not the city's. Nothing here is
shown to residents until the policy division has checked and published it.

The privacy policy says what the portal itself collects, as docs/個人情報.md (made from
niimi_portal/personal_data.py) records it. The points the city must confirm are in REVIEW_POINTS, shown to the
clerks in the admin beside the text, never on the public page.
"""

PRIVACY = (
    "このポータル（新見市 小規模多機能自治ポータル）での個人情報の取扱いについて説明します。\n"
    "\n"
    "## ポータルを見るときに集める情報\n"
    "\n"
    "- このポータルには、住民の皆さんが氏名や連絡先を入力する画面はありません。"
    "お問い合わせは、ページの下にあるお問い合わせ先へお願いします。\n"
    "- 文字サイズ・背景色・ふりがなの設定は、お使いの端末（ブラウザのクッキー）にだけ保存します。"
    "ポータルはこの設定で閲覧した人を特定しません。\n"
    "- サーバーは、ページを表示するために、接続元の IP アドレス・日時・見たページ・ブラウザの種類を記録します。"
    "安全に運用するためだけに使い、一定の期間の後に消去します。\n"
    "- アクセス解析のサービスや広告は使っていません。"
    "ほかのサイトの部品（フォントや画面の部品）も読み込みません。\n"
    "\n"
    "## ページに掲載する個人情報\n"
    "\n"
    "- 地域運営組織の代表者・事務局の氏名・電話番号・メールアドレスは、本人の同意があるときだけ掲載します。"
    "同意はいつでも取り下げられ、取り下げた後は掲載しません。\n"
    "- 取組事例の写真のうち、人が写っているものは、写っている人（子どもは保護者）の同意があるときだけ掲載します。"
    "\n"
    "- 地域担当職員の氏名・所属・職名は、市の職員の職務の情報として名簿に掲載します。\n"
    "\n"
    "## 市の事務で扱う個人情報\n"
    "\n"
    "地域運営組織の認可と交付金の事務、会議の記録などで扱う個人情報は、それぞれの事務の目的のためだけに使い、決まった期間を過ぎたものは廃棄します。"
    "記録の種類ごとの利用目的・保存期間は、市の個人情報の取扱いの決まりに従います。\n"
    "\n"
    "## ご自身の情報の開示\n"
    "\n"
    "ポータルが持つご自身の情報の開示を求めるときは、お問い合わせ先へご連絡ください。\n"
)

DISCLAIMER = (
    "- このポータルの情報は、正確になるよう努めていますが、その内容を保証するものではありません。"
    "手続や交付金の額などは、お問い合わせ先で確かめてください。\n"
    "- 一括交付金の試算は目安です。実際の交付額は、交付決定の通知でお知らせする額です。\n"
    "- このポータルの情報を使って生じた損害について、市は責任を負いません。\n"
    "- このポータルからリンクしている市以外のサイトの内容は、それぞれのサイトの運営者が責任を持ちます。"
    "\n"
    "- ページの内容やアドレスは、予告なく変えることがあります。\n"
)

# kind → the draft text a clerk starts from.
DRAFTS = {"privacy": PRIVACY, "disclaimer": DISCLAIMER}

# kind → what the city must confirm before publishing (shown in the admin only).
REVIEW_POINTS = {
    "privacy": [
        "要確認: 市の個人情報保護の担当に、市の個人情報保護の規程（条例・規則）との整合を確かめてもらう。",
        "要確認: サーバーの記録（IP アドレスなど）を消去するまでの期間（本番のサーバーのログに合わせる）。",
        "要確認: 記録の種類ごとの利用目的・保存期間（ファイル簿の案の前提）を確定したか。",
        "要確認: 開示請求の窓口（ポータルの担当課か、市の情報公開・個人情報保護の窓口か）。",
    ],
    "disclaimer": [
        "要確認: 市の公式ホームページの免責事項と文言をそろえるか。",
        "要確認: 一括交付金の試算についての書き方を、交付要綱の担当と確かめる。",
    ],
}

# The example お知らせ loaded by `loaddemo` (marked is_demo): (days before today, title, body).
EXAMPLE_NOTICES = [
    (
        3,
        "小規模多機能自治ポータルを公開しました",
        "地域運営組織、地域担当職員、一括交付金についてまとめたポータルを公開しました。"
        "ご意見は、ページの下のお問い合わせ先へお寄せください。",
    ),
    (
        20,
        "地域担当職員の名簿を更新しました",
        "今年度の[地域担当職員名簿](/liaisons/)を掲載しました。",
    ),
    (
        45,
        "よくある質問を掲載しました",
        "小規模多機能自治について寄せられる質問と回答を[よくある質問](/faq/)にまとめました。",
    ),
]
