"""The facts and demo figures behind `manage.py loaddemo`.

Place names: the five former towns merged into Niimi in 2005 and 大字 names of the city; the areas
and the two running organizations named on the city's own page on 小規模多機能自治 (熊野, 井倉野,
唐松, 広瀬). Everything else — populations, households, money, people, meetings — is demo data,
marked `is_demo` and labelled as such on screen.
"""

# (slug, name, よみ)
FORMER_TOWNS = [
    ("niimi", "新見", "にいみ"),
    ("osa", "大佐", "おおさ"),
    ("shingo", "神郷", "しんごう"),
    ("tetta", "哲多", "てった"),
    ("tessei", "哲西", "てっせい"),
]

# town slug → [(slug, kind, name, よみ)]; kind: oaza 大字, school 小学校区, old_school 旧小学校区
AREAS = {
    "niimi": [
        ("niimi-oaza", "oaza", "新見", "にいみ"),
        ("takao", "oaza", "高尾", "たかお"),
        ("shoden", "oaza", "正田", "しょうでん"),
        ("nishikata", "oaza", "西方", "にしかた"),
        ("ishiga", "oaza", "石蟹", "いしが"),
        ("karamatsu", "oaza", "唐松", "からまつ"),
        ("hirose", "old_school", "広瀬", "ひろせ"),
        ("kumano", "old_school", "熊野", "くまの"),
        ("ikurano", "old_school", "井倉野", "いくらの"),
        ("ikura", "oaza", "井倉", "いくら"),
        ("kusama", "oaza", "草間", "くさま"),
        ("adachi", "oaza", "足立", "あだち"),
        ("kamiichi", "oaza", "上市", "かみいち"),
        ("sugo", "oaza", "菅生", "すごう"),
        ("chiya", "oaza", "千屋", "ちや"),
        ("hoso", "oaza", "法曽", "ほうそ"),
        ("toyonaga-akauma", "oaza", "豊永赤馬", "とよながあかうま"),
    ],
    "osa": [
        ("osa-kosakabe", "oaza", "大佐小阪部", "おおさおさかべ"),
        ("osa-tajibe", "oaza", "大佐田治部", "おおさたじべ"),
        ("osa-nagatomi", "oaza", "大佐永富", "おおさながとみ"),
        ("osa-school", "school", "大佐小学校区", "おおさしょうがっこうく"),
    ],
    "shingo": [
        ("shingo-kamamura", "oaza", "神郷釜村", "しんごうかまむら"),
        ("shingo-shimokoujiro", "oaza", "神郷下神代", "しんごうしもこうじろ"),
        ("shingo-takase", "oaza", "神郷高瀬", "しんごうたかせ"),
    ],
    "tetta": [
        ("tetta-hongo", "oaza", "哲多町本郷", "てったちょうほんごう"),
        ("tetta-tabuchi", "oaza", "哲多町田淵", "てったちょうたぶち"),
        ("tetta-hanaki", "oaza", "哲多町花木", "てったちょうはなき"),
    ],
    "tessei": [
        ("tessei-yata", "oaza", "哲西町矢田", "てっせいちょうやた"),
        ("tessei-otake", "oaza", "哲西町大竹", "てっせいちょうおおたけ"),
        ("tessei-school", "school", "哲西小学校区", "てっせいしょうがっこうく"),
    ],
}

# slug, name, よみ, area slugs, stage, approval status, predecessor, published
ORGANIZATIONS = [
    (
        "kumano-mirai",
        "熊野の将来を考える会",
        "くまののしょうらいをかんがえるかい",
        ["kumano", "ikurano"],
        3,
        "approved",
        "熊野地域振興会",
        True,
    ),
    (
        "karamatsu-machizukuri",
        "唐松まちづくり協議会",
        "からまつまちづくりきょうぎかい",
        ["karamatsu", "hirose"],
        3,
        "approved",
        "唐松地域振興会",
        True,
    ),
    (
        "takao-fureai",
        "高尾ふれあい協議会",
        "たかおふれあいきょうぎかい",
        ["takao"],
        2,
        "applied",
        "高尾地域振興会",
        True,
    ),
    ("osa-kurashi", "大佐くらし支え合い会議", "おおさくらしささえあいかいぎ", ["osa-school"], 2, "returned", "", True),
    (
        "tessei-mirai",
        "哲西みらいづくり協議会",
        "てっせいみらいづくりきょうぎかい",
        ["tessei-school"],
        2,
        "applied",
        "哲西地域振興会",
        True,
    ),
    (
        "shingo-sato",
        "神郷さとやま会議",
        "しんごうさとやまかいぎ",
        ["shingo-kamamura", "shingo-takase"],
        1,
        "not_applied",
        "",
        True,
    ),
    (
        "tetta-hongo-kai",
        "本郷地区まちづくり準備会",
        "ほんごうちくまちづくりじゅんびかい",
        ["tetta-hongo"],
        1,
        "not_applied",
        "",
        True,
    ),
    (
        "chiya-junbi",
        "千屋地区づくり準備会（非公開の下書き）",
        "ちやちくづくりじゅんびかい",
        ["chiya"],
        1,
        "not_applied",
        "",
        False,
    ),
]

# category, question, answer, published — the city's Q1–Q8 topics, in the portal's own words.
FAQS = [
    (
        "system",
        "今ある行政区や地域の団体はなくなるのですか？",
        "なくなりません。地域運営組織は、行政区や地域のさまざまな団体の声をまとめる役割を担います。"
        "ただ、立ち上げをきっかけに、団体ごとの役割を見直して重なっている仕事を整理し、役員の負担を軽くすることをおすすめしています。",
        True,
    ),
    (
        "system",
        "小規模多機能自治で、地域は具体的にどう変わりますか？",
        "地域ごとに違う課題に、その地域の住民が中心になって取り組み、そこで暮らすすべての人を支える仕組みを目指します。"
        "人と人のつながりが強まり、地域の元気と自分たちで決める力を取り戻すことにつながります。",
        True,
    ),
    (
        "organization",
        "地域運営組織の活動する範囲は市が決めるのですか？",
        "いいえ、地域で決めていただきます。大字や小学校区（旧小学校区を含みます）といった暮らしの範囲を参考に、"
        "地域の中や近くの地域と話し合って、いちばん活動しやすい範囲を選んでください。",
        True,
    ),
    (
        "organization",
        "地域運営組織をつくると、地域の負担が増えませんか？",
        "設立をきっかけに、地域内の団体の役割を点検して整理・統合し、役員の負担や重複している仕事を減らしていただくことを考えています。",
        True,
    ),
    (
        "organization",
        "地域運営組織をつくりたいとき、何から始めればよいですか？",
        "機運が高まってきたら、まず地域の魅力や課題を出し合い、将来の姿や取組を話し合う場を設けてください。"
        "その話し合いをもとに「地域の将来計画」をつくります。今ある地域振興会などを母体にして移行することもできます。",
        True,
    ),
    (
        "liaison",
        "地域担当職員は何をしてくれるのですか？",
        "地域運営組織ができるまでの話し合いや準備を支えます。組織ができた後は、地域運営組織を窓口として、地域と市役所をつなぐ役目を担います。",
        True,
    ),
    (
        "grant",
        "一括交付金は何に使えますか？",
        "将来計画にそって作る年度計画に載せた事業に使えます。地域づくり、防犯、交通安全、防災のほか、"
        "地域の課題解決につながることであれば、原則として使い道を細かく制限しません。",
        True,
    ),
    (
        "grant",
        "一括交付金に移るよい点と気をつける点は？",
        "よい点は、地域に必要なことを地域で決めて取り組めること、補助金ごとの申請や細かな使い道の制限がなくなることです。"
        "気をつける点は、役員や事務局に一定の負担がかかることです。そのため、事務局の人件費を交付金に含めています。",
        True,
    ),
    (
        "grant",
        "（下書き）交付金の申請書の様式はどこにありますか？",
        "様式は準備中です。公開までお待ちください。",
        False,
    ),
]

# slug, organization slug, title, summary, body, held (days before today), published
CASE_STUDIES = [
    (
        "karamatsu-hirose-workshop",
        "karamatsu-machizukuri",
        "唐松・広瀬地区 新組織設立準備会のワークショップ",
        "子どもから大人まで集まり、地域の将来計画について話し合いました。",
        "唐松・広瀬地区では、新しい組織の設立準備会としてワークショップを開きました。小学生から高齢の方まで幅広い世代が参加し、"
        "「10年後も住み続けたい地域」をテーマに、地域のよいところと課題を付せんに書き出して、将来計画の柱を話し合いました。",
        400,
        True,
    ),
    (
        "kumano-ikurano-tasukeai",
        "kumano-mirai",
        "熊野・井倉野 助け合い事業の出発式",
        "熊野の将来を考える会が、生活支援と送迎支援の助け合い事業を始めました。",
        "熊野の将来を考える会は、協働のまちづくり交付金を活用して、買い物や通院の送迎、ちょっとした生活の手助けを住民同士で行う"
        "助け合い事業を始めました。出発式には地域の皆さんや関係者が集まり、事業の始まりを祝いました。",
        300,
        True,
    ),
    (
        "takao-bousai-draft",
        "takao-fureai",
        "（下書き）高尾地区の防災マップづくり",
        "公開前の下書きです。",
        "内容を確認中です。",
        30,
        False,
    ),
]

SUBSIDIES = [
    ("地域振興会運営補助金", "総合政策課"),
    ("地域福祉活動推進補助金", "福祉課"),
    ("自主防災組織活動補助金", "危機管理課"),
]

OFFICERS = [
    # username, name, よみ, department, title
    ("tanto1", "山田 太郎", "やまだ たろう", "総務部 総務課", "主任"),
    ("tanto2", "佐藤 花子", "さとう はなこ", "市民福祉部 福祉課", "主査"),
    (None, "高橋 一郎", "たかはし いちろう", "産業部 農林課", "主幹"),
    (None, "田中 美咲", "たなか みさき", "建設部 建設課", "主事"),
]
