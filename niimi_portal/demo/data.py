"""The facts and demo figures behind `manage.py loaddemo`.

Place names: the five former towns merged into Niimi in 2005 and 大字 names of the city; the areas
and the two running organizations named on the city's own page on 小規模多機能自治 (熊野, 井倉野,
唐松, 広瀬). Everything else — populations, households, money, people, meetings — is demo data,
marked `is_demo` and labelled as such on screen.
"""

# (slug, name, よみ), in the city's usual order (新見 was a city, the others towns: together 旧市町)
FORMER_TOWNS = [
    ("niimi", "新見", "にいみ"),
    ("osa", "大佐", "おおさ"),
    ("shingo", "神郷", "しんごう"),
    ("tetta", "哲多", "てった"),
    ("tessei", "哲西", "てっせい"),
]

# town slug → [(slug, kind, name, よみ[, parent slug])]; kind: oaza 大字, school 小学校区, area 地区 (the
# city's page says 「唐松・広瀬地区」 and names 熊野・井倉野 without calling them 旧小学校区); without a parent
# slug the area sits directly under its 旧市町. A 学区 listed before its 大字.
AREAS = {
    "niimi": [
        ("niimi-oaza", "oaza", "新見", "にいみ"),
        ("takao", "oaza", "高尾", "たかお"),
        ("shoden", "oaza", "正田", "しょうでん"),
        ("nishikata", "oaza", "西方", "にしかた"),
        ("ishiga", "oaza", "石蟹", "いしが"),
        ("karamatsu", "oaza", "唐松", "からまつ"),
        ("hirose", "area", "広瀬", "ひろせ"),
        ("kumano", "area", "熊野", "くまの"),
        ("ikurano", "area", "井倉野", "いくらの"),
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
        ("osa-school", "school", "大佐小学校区", "おおさしょうがっこうく"),
        ("osa-kosakabe", "oaza", "大佐小阪部", "おおさおさかべ", "osa-school"),
        ("osa-tajibe", "oaza", "大佐田治部", "おおさたじべ", "osa-school"),
        ("osa-nagatomi", "oaza", "大佐永富", "おおさながとみ", "osa-school"),
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
        ("tessei-school", "school", "哲西小学校区", "てっせいしょうがっこうく"),
        ("tessei-yata", "oaza", "哲西町矢田", "てっせいちょうやた", "tessei-school"),
        ("tessei-otake", "oaza", "哲西町大竹", "てっせいちょうおおたけ", "tessei-school"),
    ],
}

# slug, name, よみ, area slugs, stage, approval status, predecessor, published
# The one organization without a consent to publication: its page shows the 課's contact, no name.
WITHOUT_CONSENT = "shingo-sato"

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

# FAQ categories (code, name) in the order the clerks set; the migration created the same four.
FAQ_CATEGORIES = [
    ("system", "仕組み・考え方"),
    ("organization", "地域運営組織"),
    ("liaison", "地域担当職員"),
    ("grant", "一括交付金"),
]

# The city's Q&A (its page 「新見市版地域共生社会の実現に向けて（小規模多機能自治）」, Q1–Q8), numbered
# as the city numbers them; each answer keeps the city's point exactly, in the portal's own words.
# number (None: an entry the portal adds, shown as such), category, question, answer (Markdown), published
FAQS = [
    (
        1,
        "system",
        "行政地区や既存の地域団体はどうなるのですか？",
        "変わりありません。各行政地区や地域団体などいろいろな人の意見を総括し、取りまとめる組織が「地域運営組織」となります。\n\n"
        "ただし、地域運営組織を立ち上げるにあたっては、これを機に、地域内の既存の組織それぞれの役割や機能を点検したうえで"
        "整理統合に努め、役員の負担軽減や業務の整理を図る必要があると、市は考えています。",
        True,
    ),
    (
        2,
        "system",
        "小規模多機能自治によって、地域は具体的にどう変わるのですか？",
        "地域ごとに異なる、その地域ならではの課題を、地域が主体となって解決し、そこに暮らすすべての人を支えられる"
        "仕組みづくりを目指します。\n\n"
        "そうすることで「人と人とがつながり、地域活力と自治力を取り戻す」ことになり、人と地域が元気なまちになると、"
        "市は考えています。",
        True,
    ),
    (
        3,
        "organization",
        "地域運営組織の活動区域は市が決めるのですか？地域が自由に決められるのですか？",
        "地域が独自に設定します。日常生活圏域（大字区域や小学校区域（旧小学校区を含みます））なども考慮しながら、"
        "地域それぞれの特性に応じて、地域内や地域間で協議し、最も活動しやすい区域を選ぶことが必要です。",
        True,
    ),
    (
        4,
        "organization",
        "地域運営組織を立ち上げると、地域の負担が大きくなるのではないですか？",
        "地域運営組織の設立を機に、地域内の既存の組織それぞれの役割や機能を点検したうえで整理統合に努め、"
        "役員の負担軽減や重複する業務の整理もあわせて行っていただきたいと、市は考えています。",
        True,
    ),
    (
        5,
        "organization",
        "地域運営組織を設立しようとするとき、何から始めればよいですか？",
        "設立の機運が高まった時点で、地域の魅力や課題を洗い出し、将来像や具体的な取組について話し合う場を"
        "設けていただくことになります。その中で「地域の将来計画」の策定が必要になります。\n\n"
        "既存の地域振興会などがある場合は、その組織を母体として移行することも可能です。",
        True,
    ),
    (
        6,
        "liaison",
        "地域担当職員は何をしてくれるのですか？",
        "地域運営組織の設立に向けた支援を行います。また、設立後は、地域運営組織を窓口として、"
        "地域と行政のパイプ役を担います。",
        True,
    ),
    (
        7,
        "grant",
        "一括交付金は何に使えるのですか？",
        "将来計画に沿った年度計画に定めた事業に使えることとしています。\n\n"
        "地域づくり、防犯、交通安全、防災活動のほか、地域課題の解決につながる活動など、地域のためになることであれば、"
        "原則として制限なく使えます。",
        True,
    ),
    (
        8,
        "grant",
        "地域運営組織を立ち上げ、一括交付金へ移行するメリットとデメリットは何ですか？",
        "**メリット**\n\n"
        "- 複雑で多様になっている地域課題に対して、"
        "「地域で必要なことを地域が決めて地域で取り組む」ことができるようになります。\n"
        "- これまでの補助金ごとの個別の申請手続きが必要なくなり、細かな使途の制約もなくなります。\n\n"
        "**デメリット**\n\n"
        "- 役員や事務局をする人に一定の負担がかかります。"
        "ただし、役員（事務局）の人件費を一括交付金の一部に計上します。",
        True,
    ),
    (
        None,
        "grant",
        "一括交付金とは何ですか？",
        "市の認可を受けた地域運営組織に対する財政支援策として、使い道に必要以上の制限を設けずに市が交付するお金です"
        "（正式名称「小規模多機能自治一括交付金」）。\n\n"
        "- 対象となる事業: 地域の将来計画に基づき、地域運営組織が取り組む事業\n"
        "- 対象となる経費: 事業の実施に直接必要となる経費\n"
        "- 金額: 地域運営組織の運営経費などの基本額に、市が行う既存の補助金を統合した額を加えたもの"
        "（地域ごとに異なります）\n\n"
        "詳しくは[一括交付金のページ](/grants/)と[資料室](/documents/)の「一括交付金運用マニュアル」をご覧ください。",
        True,
    ),
    (
        None,
        "grant",
        "（下書き）交付金の申請書の様式はどこにありますか？",
        "様式は準備中です。公開までお待ちください。",
        False,
    ),
]

# The city's publications named on its page. Titles are the city's; where the seed gives no
# address, date or file, the entry links to the city's site until a clerk enters the real address
# in the admin. They are the city's own words, so never marked デモ.
CITY_SITE = "https://www.city.niimi.okayama.jp/"
# key, category, title, external url (None: the city's site), description
LIBRARY = [
    (
        "city-page",
        "link",
        "新見市版地域共生社会の実現に向けて（小規模多機能自治）（新見市ホームページ）",
        None,
        "市の考え方、地域運営組織の設立・活動開始までの流れ、一括交付金、Q&A（Q1～Q8）を載せた市のページです。",
    ),
    ("plan", "link", "新見市版地域共生社会構築計画", None, "今後のまちづくりの考え方や過程を示した市の計画です。"),
    ("koho-166", "koho", "市報にいみ 1月号（166号）特集記事", None, ""),
    ("koho-173", "koho", "市報にいみ 8月号（173号）特集記事", None, ""),
    ("handbook", "handbook", "地域共生社会の基盤構築ハンドブック", None, ""),
    ("manual", "manual", "一括交付金運用マニュアル", None, "「小規模多機能自治一括交付金」の詳細です。"),
    (
        "qa",
        "link",
        "小規模多機能自治による地域共生社会の基盤構築 Q&Aまとめ",
        None,
        "説明会などで寄せられた質問のまとめです。",
    ),
    ("kyodo", "link", "協働のまちづくり交付金（新見市ホームページ）", None, ""),
    (
        "video",
        "video",
        "協働によるまちづくり～新見市版地域共生社会の実現に向けて～【新見市公式番組】",
        None,
        "「熊野の将来を考える会」と「唐松まちづくり協議会」を紹介する番組です（外部サイト（YouTube）で公開）。",
    ),
    (
        "cao",
        "link",
        "小さな拠点・地域運営組織の事例集・手引集（内閣府ホームページ）",
        "https://www.cao.go.jp/regional_management/case/index.html",
        "全国の市町村の事例集や、関係省庁が発行している手引集です。",
    ),
    (
        "unnan",
        "link",
        "小規模多機能自治への挑戦（島根県雲南市）",
        "http://www.jamp.gr.jp/academia/pdf/118/118_09.pdf",
        "",
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

# The city's order: ① 機運づくり, ② 将来計画, ③ 設立・認可. An approved organization's plan is adopted this
# many days before its 認可, and a case held on the way to its plan (the 設立準備会's workshop) this many days
# before its 認可 instead of its days-before-today.
PLAN_DAYS_BEFORE_APPROVAL = 60
CASES_BEFORE_APPROVAL = {"karamatsu-hirose-workshop": 120}

# case slug → (代替テキスト, caption): a drawn stand-in, said to be a drawing, where the city would put its photo
CASE_PHOTOS = {
    "karamatsu-hirose-workshop": (
        "机を囲んで話し合う5人の住民の絵",
        "話し合いの様子を描いた絵です（実際の写真ではありません）。ワークショップでは世代を超えて意見を出し合いました。",
    ),
}

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

# 人事異動: where an officer was last fiscal year when it differs from now (name → 所属, 職名). Last year's
# roster keeps these; this year's shows the officer's current post.
PREVIOUS_POSTS = {
    "佐藤 花子": ("市民福祉部 介護保険課", "主任"),
}
