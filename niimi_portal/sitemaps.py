"""sitemap.xml for search engines, by django.contrib.sitemaps (the maintained framework for the format): the
same public pages as the サイトマップ page (niimi_portal.city_pages), whose fixed pages are listed here."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from organizations.models import CaseStudy, Notice, Region
from organizations.public import public_organizations

# The site's fixed pages, grouped as the sitemap shows them: (heading, [(URL name, title)]).
FIXED_PAGES = [
    (
        "小規模多機能自治について",
        [
            ("home", "ホーム"),
            ("about", "小規模多機能自治の仕組み"),
            ("grants:overview", "一括交付金"),
            ("organizations:faq", "よくある質問"),
            ("library:list", "資料室"),
        ],
    ),
    (
        "地域と組織",
        [
            ("organizations:region_list", "地域の一覧"),
            ("organizations:organization_list", "地域運営組織の一覧"),
            ("organizations:liaison_roster", "地域担当職員名簿"),
            ("organizations:schedule", "会議・ワークショップの予定"),
            ("organizations:case_list", "取組事例"),
            ("organizations:open_data", "オープンデータ"),
        ],
    ),
    (
        "このサイトについて",
        [
            ("city:notices", "お知らせ"),
            ("search", "サイト内検索"),
            ("accessibility", "アクセシビリティ方針"),
            ("city:privacy", "プライバシーポリシー"),
            ("city:disclaimer", "免責事項"),
            ("city:sitemap", "サイトマップ"),
        ],
    ),
]


class FixedPages(Sitemap):
    def items(self):
        return [name for _, pages in FIXED_PAGES for name, _ in pages]

    def location(self, item):
        return reverse(item)


class Areas(Sitemap):
    def items(self):
        return Region.objects.all()


class Organizations(Sitemap):
    def items(self):
        return public_organizations().order_by("pk")


class Cases(Sitemap):
    def items(self):
        return CaseStudy.objects.public().order_by("pk")


class Notices(Sitemap):
    def items(self):
        return Notice.objects.published()

    def lastmod(self, notice):
        return notice.updated_at


SITEMAPS = {"pages": FixedPages, "areas": Areas, "organizations": Organizations, "cases": Cases, "notices": Notices}
