"""Forms on the residents' pages: filters, the find-my-area box and the grant estimate. All are GET forms."""

from django import forms

from niimi_portal.search import MAX_QUERY_LENGTH
from organizations.models import Organization, Region
from organizations.public import public_areas

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
        label="質問をしぼりこむ",
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
    approval = forms.ChoiceField(
        label="認可の状況",
        choices=[("", "すべて"), *Organization.ApprovalStatus.choices],
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
            parts.append(f"認可: {Organization.ApprovalStatus(self.cleaned_data['approval']).label}")
        return "・".join(parts)


class FiscalYearForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(fy.year, fy.label) for fy in years]
        self.fields["year"].error_messages["invalid_choice"] = "一覧にある年度を選んでください。"


class GrantEstimateForm(forms.Form):
    """Either an area (its registered population and households) or both counts typed in.

    The page shows two small forms sharing these fields: one sends `region`, the other the counts."""

    region = forms.ChoiceField(label="地域", required=False)
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        towns = {}
        for area in public_areas().only("slug", "name", "parent_id", "kind"):
            towns.setdefault(area.town_name or "その他", []).append((area.slug, area.name))
        self.fields["region"].choices = [("", "選んでください"), *towns.items()]
        self.fields["region"].error_messages["invalid_choice"] = "一覧にある地域を選んでください。"

    def clean(self):
        data = super().clean()
        if "region" in self.data:  # the pick-an-area form was sent
            if data.get("region"):
                data["area"] = Region.objects.get(slug=data["region"])
            elif "region" not in self.errors:
                self.add_error("region", "地域を選んでください。")
            return data
        for name, label in (("population", "人口"), ("households", "世帯数")):
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, f"{label}を入力してください。")
        return data
