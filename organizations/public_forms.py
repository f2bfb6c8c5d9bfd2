"""Forms on the residents' pages: filters, the find-my-area box and the grant estimate. All are GET forms."""

from django import forms

from niimi_portal.lib.kana import MAX_QUERY_LENGTH, query_variants
from organizations.models import APPROVED_LABEL, NOT_APPROVED_LABEL, Organization, Region
from organizations.public import find_regions, public_areas

SEARCH_WIDGET = forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"})


class QueryForm(forms.Form):
    q = forms.CharField(
        label="さがす言葉",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text=(
            "地域・地域運営組織・よくある質問・取組事例から探します。"
            "漢字でも、ひらがな・カタカナでも探せます（例: 唐松、からまつ）。"
        ),
        widget=SEARCH_WIDGET,
    )


class RegionFindForm(forms.Form):
    q = forms.CharField(
        label="地域名（大字・小学校区など）",
        max_length=MAX_QUERY_LENGTH,
        help_text="漢字でも、ひらがな・カタカナでも探せます（例: 唐松、からまつ）。",
        error_messages={"required": "地域名を入力してください。"},
        widget=SEARCH_WIDGET,
    )


class FAQFilterForm(forms.Form):
    q = forms.CharField(
        label="質問を絞り込む",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text="言葉を入力すると、その言葉を含む質問だけを表示します。",
        widget=SEARCH_WIDGET,
    )


class OrganizationFilterForm(forms.Form):
    stage = forms.TypedChoiceField(
        label="段階",
        choices=[("", "すべて"), *Organization.Stage.choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "一覧にある段階を選んでください。"},
    )
    # Residents see 認可 or 未認可 only: 差戻し and 取消 are the city's internal steps.
    APPROVAL_CHOICES = [("", "すべて"), ("approved", APPROVED_LABEL), ("preparing", NOT_APPROVED_LABEL)]
    approval = forms.ChoiceField(
        label="認可の状況",
        choices=APPROVAL_CHOICES,
        required=False,
        error_messages={"invalid_choice": "一覧にある認可の状況を選んでください。"},
    )

    def describe(self):
        """The chosen filters in words, for the page title; empty when nothing is chosen."""
        if not self.is_valid():
            return ""
        parts = []
        if self.cleaned_data.get("stage"):
            parts.append(f"段階: {Organization.Stage(self.cleaned_data['stage']).label}")
        if self.cleaned_data.get("approval"):
            parts.append(f"認可: {dict(self.APPROVAL_CHOICES)[self.cleaned_data['approval']]}")
        return "・".join(parts)


class FiscalYearForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(fy.year, fy.label) for fy in years]
        self.fields["year"].error_messages["invalid_choice"] = "一覧にある年度を選んでください。"


class GrantEstimateForm(forms.Form):
    """Either an area (found by its name, or chosen by its slug from a list of candidates) with its
    registered population and households, or both counts typed in.

    The page shows two small forms sharing these fields: one sends `area` (or `region`), the other
    the counts. An area is looked up like the find-my-area box, so the page never lists every area.
    """

    CANDIDATES = 20

    area = forms.CharField(
        label="地域名（大字・小学校区など）",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text="漢字でも、ひらがな・カタカナでも探せます（例: 唐松、からまつ）。",
        error_messages={"max_length": f"地域名は{MAX_QUERY_LENGTH}文字以内で入力してください。"},
        widget=SEARCH_WIDGET,
    )
    region = forms.SlugField(required=False, allow_unicode=True, widget=forms.HiddenInput)
    population = forms.IntegerField(
        label="人口（人）",
        required=False,
        min_value=0,
        max_value=1_000_000,
        error_messages={
            "invalid": "人口は数字で入力してください。",
            "min_value": "人口は0以上で入力してください。",
            "max_value": "人口は1,000,000人以下で入力してください。",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    households = forms.IntegerField(
        label="世帯数（世帯）",
        required=False,
        min_value=0,
        max_value=1_000_000,
        error_messages={
            "invalid": "世帯数は数字で入力してください。",
            "min_value": "世帯数は0以上で入力してください。",
            "max_value": "世帯数は1,000,000世帯以下で入力してください。",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        data["candidates"], data["more_candidates"] = [], False
        if "region" in self.data:  # an area chosen from the candidates
            try:  # slugs are unique: get() spares the ordering of the wide select_related
                data["area"] = self.areas().get(slug=data.get("region") or "")
            except Region.DoesNotExist:
                data["area"] = None
            if data["area"] is None:
                self.add_error("area", "その地域は見つかりませんでした。地域名を入力して探してください。")
            return data
        if "area" in self.data:  # the area form was sent
            self.find_area(data)
            return data
        for name, label in (("population", "人口"), ("households", "世帯数")):
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, f"{label}を入力してください。")
        return data

    @staticmethod
    def areas():
        """Areas with the areas above them, so finding the organizations covering one costs no query: of
        those only their ids up the tree (each one's parent_id), of the area what the page shows."""
        above = ("parent", "parent__parent", "parent__parent__parent", "parent__parent__parent__parent")
        return public_areas().select_related("parent__parent__parent").only("name", "name_kana", "slug", *above)

    def find_area(self, data):
        if "area" in self.errors:
            return
        if not data.get("area"):
            self.add_error("area", "地域名を入力してください。")
            return
        found = find_regions(query_variants(data["area"]), limit=self.CANDIDATES + 1, regions=self.areas())
        if not found:
            self.add_error(
                "area", "その名前の地域は見つかりませんでした。別の書き方（ひらがな・漢字）でもお試しください。"
            )
        elif len(found) == 1:
            data["area"] = found[0]
            return
        data["area"] = None
        data["candidates"], data["more_candidates"] = found[: self.CANDIDATES], len(found) > self.CANDIDATES
