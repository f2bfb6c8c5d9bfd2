"""The admin pages of the grant year after the 交付決定 (grants.settlement): 変更申請 and 変更交付決定,
請求 and 支払, 精算払の請求, 返還請求 and 納付, 交付決定取消. Each page is a form on one decision: a POST
with CSRF runs the service, a refusal shows beside its field with everything typed kept.

GrantDecisionAdmin (grants.admin) takes the views from YearStepsMixin and the inlines from here.
"""

import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.html import format_html_join

from grants import access, drafts, services, settlement
from grants.admin_forms import MAX_YEN, document_number_field
from grants.applications import budget_lines_in_force
from grants.categories import BudgetCategory
from grants.models import GrantChangeRequest, GrantDecision, GrantPayment, GrantRefund, GrantRevocation
from niimi_portal.lib import workdays
from niimi_portal.lib.admin_display import ClerkDisplayMixin
from niimi_portal.lib.dates import WarekiDateField
from niimi_portal.lib.money import yen
from niimi_portal.lib.refusal import refuse
from niimi_portal.lib.wareki import wareki_date

Status = GrantDecision.Status


def _date(label, **kwargs):
    return WarekiDateField(label=label, widget=AdminDateWidget, **kwargs)


def _yen(label, **kwargs):
    return forms.IntegerField(label=label, min_value=0, max_value=MAX_YEN, **kwargs)


class ChangeRequestForm(forms.Form):
    """変更申請の受付, with its revised 収支予算: one amount per line of the budget in force (the 交付申請's, or
    the last 変更交付決定's), filled in with the amounts as they stand, and a line for each project of the
    annual plan that has none. The amounts become `budget` for settlement.change_request_receive. A decision
    with no 収支予算 at all gets no budget lines (there is nothing to revise)."""

    received_on = _date("変更申請の受付日")
    requested_amount = _yen("申請された変更後の交付決定額（円）")
    reason = forms.CharField(label="変更申請の理由", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        lines = [(line.category, line.project, line.label, line.amount) for line in budget_lines_in_force(decision)]
        costed = {project.pk for _, project, _, _ in lines if project is not None}
        if lines:  # a decision without a 収支予算 (made before 交付申請 were recorded) has none to revise
            lines += [
                (BudgetCategory.PROJECT, project, "", 0)
                for project in services.planned_projects_for(decision)
                if project.pk not in costed
            ]
        self.budget_lines = lines
        for index, (category, project, label, amount) in enumerate(lines):
            name = project.name if project is not None else label
            self.fields[f"line_{index}"] = _yen(
                f"変更後の収支予算: {BudgetCategory(category).label}{f'（{name}）' if name else ''}（円）",
                initial=amount,
            )

    def clean(self):
        cleaned = super().clean()
        if self.budget_lines:
            cleaned["budget"] = [
                (category, project, label, cleaned.pop(f"line_{index}", None))
                for index, (category, project, label, _) in enumerate(self.budget_lines)
            ]
        return cleaned


class ChangeDecideForm(forms.Form):
    amount = _yen(
        "変更後の交付決定額（円）",
        help_text="申請された額と異なる額で決定するときは書き換えます。そのとき変更後の収支予算は申請された額のまま"
        "残り、実績報告と交付額確定通知書に「変更後の収支予算（申請額ベース、決定額と差あり）」と示されます。",
    )
    changed_on = _date("変更交付決定日")
    document_number = document_number_field("変更交付決定通知書の文書番号")


class ClaimForm(forms.Form):
    claimed_on = _date("請求日")
    amount = _yen("請求額（円）")


class PayForm(forms.Form):
    payment = forms.ModelChoiceField(label="支払う請求", queryset=GrantPayment.objects.none(), empty_label=None)
    paid_on = _date("支払日")

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["payment"]
        field.queryset = decision.payments.filter(paid_on__isnull=True).order_by("instalment")
        field.label_from_instance = lambda p: (
            f"第{p.instalment}回 {p.get_kind_display()} {yen(p.amount)}（請求日 {wareki_date(p.claimed_on)}）"
        )


class FinalClaimForm(forms.Form):
    """精算払の請求: the date of the organization's 請求書 (the amount is what the 確定額 leaves unpaid)."""

    claimed_on = _date(
        "精算払の請求日", help_text="組織の請求書を受け付けた日。請求額は確定額から請求済額を引いた額です。"
    )


class RefundForm(forms.Form):
    """返還請求. The 納付期限 follows the 返還請求日: left as suggested (or blank), it is computed from the
    submitted request date (settlement.default_due_date: 20 days later, on a working day); in the browser
    the suggestion follows the date as it is typed (js/due-date.js, given the closed weekdays)."""

    demanded_on = _date("返還請求日")
    due_on = _date(
        "納付期限",
        required=False,
        show_hidden_initial=True,  # to tell a suggestion left as it was from a date the clerk typed
        help_text=f"返還請求日の{settlement.REFUND_PERIOD_DAYS}日後（土日・祝日・年末年始にあたるときは次の開庁日）"
        "を入れています。返還請求日を変えると、書き換えていなければこの日も計算し直します。",
    )
    document_number = document_number_field("返還請求書の文書番号")

    class Media:
        js = ["js/due-date.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].widget.attrs.update(
            {
                "data-follows": "demanded_on",
                "data-period": settlement.REFUND_PERIOD_DAYS,
                "data-closed-weekdays": " ".join(day.isoformat() for day in closed_weekdays(services.today())),
            }
        )

    def clean(self):
        cleaned = super().clean()
        demanded_on = cleaned.get("demanded_on")
        if demanded_on and ("due_on" not in self.changed_data or cleaned.get("due_on") is None):
            cleaned["due_on"] = settlement.default_due_date(demanded_on)
        return cleaned


def closed_weekdays(today):
    """The weekdays the offices are closed (祝日, 年末年始) from the year before `today` to two years after,
    for the browser to move a suggested deadline off them (it knows 土日 itself)."""
    return workdays.closed_weekdays(datetime.date(today.year - 1, 1, 1), datetime.date(today.year + 2, 12, 31))


class RefundReturnedForm(forms.Form):
    refund = forms.ModelChoiceField(label="納付された返還", queryset=GrantRefund.objects.none(), empty_label=None)
    returned_on = _date("納付日")

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["refund"]
        field.queryset = decision.refunds.filter(returned_on__isnull=True).order_by("demanded_on")
        field.label_from_instance = lambda r: (
            f"{r.entry.text_with_year} {yen(r.amount)}（納付期限 {wareki_date(r.due_on)}）"
        )


class RevokeForm(forms.Form):
    scope = forms.ChoiceField(
        label="取消しの範囲", choices=GrantRevocation.Scope.choices, widget=forms.RadioSelect, initial="whole"
    )
    amount = forms.IntegerField(
        label="取り消す額（円）",
        min_value=1,
        max_value=MAX_YEN,
        required=False,
        help_text="一部の取消しのときだけ入力します。全部の取消しでは交付決定額（確定後は確定額）の全額です。",
    )
    reason = forms.CharField(
        label="取消しの理由",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="例: 地域運営組織の認可が取り消されたため。交付決定取消通知書に記載します。",
    )
    revoked_on = _date("取消日")
    document_number = document_number_field("交付決定取消通知書の文書番号")


def _budget_beside_first_line(error, decision):
    """A refusal of the revised 収支予算 (`budget`), keyed by the form's first budget line."""
    keyed = {}
    for field, messages in error.message_dict.items():
        keyed.setdefault("line_0" if field == "budget" else field, []).extend(messages)
    return keyed


class YearStepsMixin:
    """The steps' URLs and views, for GrantDecisionAdmin (uses its `_step`)."""

    def year_urls(self):
        view = self.admin_site.admin_view
        steps = [
            ("change-request/", self.change_request_view, "change_request"),
            ("change-decide/", self.change_decide_view, "change_decide"),
            ("claim/", self.claim_view, "claim"),
            ("pay/", self.pay_view, "pay"),
            ("final-claim/", self.final_claim_view, "final_claim"),
            ("refund/", self.refund_view, "refund"),
            ("refund-returned/", self.refund_returned_view, "refund_returned"),
            ("revoke/", self.revoke_view, "revoke"),
        ]
        return [path(f"<int:pk>/{url}", view(fn), name=f"grants_grantdecision_{name}") for url, fn, name in steps]

    def year_links(self, decision):
        """(URL name, label) of the steps open to this decision, for the change form's tools."""
        links = []
        is_before_report = decision.status in (Status.DECIDED, Status.CHANGED)
        pending = decision.change_requests.filter(status=GrantChangeRequest.Status.RECEIVED).exists()
        if is_before_report and not pending:
            links.append(("change_request", "変更申請の受付"))
        if is_before_report and pending:
            links.append(("change_decide", "変更交付決定"))
        if decision.status in settlement.BEFORE_SETTLEMENT and decision.organization.is_approved:
            links.append(("claim", "概算払の請求"))
        if decision.status != Status.REVOKED and decision.payments.filter(paid_on__isnull=True).exists():
            links.append(("pay", "支払の登録"))
        if decision.status == Status.SETTLED and decision.settled_amount > decision.claimed_amount:
            links.append(("final_claim", "精算払の請求"))
        if settlement.refund_due(decision) > 0:
            links.append(("refund", "返還請求"))
        if decision.refunds.filter(returned_on__isnull=True).exists():
            links.append(("refund_returned", "返還の納付の登録"))
        if decision.status != Status.REVOKED:
            links.append(("revoke", "交付決定取消"))
        return links

    def _money_step(self, request, pk, form_class, title, run, done, *, initial=None, with_decision=False):
        decision = access.decision_for_officer(request, pk)
        options = {"decision": decision} if with_decision else {}
        form = form_class(request.POST or None, initial=initial(decision) if initial else None, **options)
        return self._step(request, decision, form, title, lambda data: run(decision, data), done)

    def change_request_view(self, request, pk):
        def run(decision, data):
            try:
                return settlement.change_request_receive(decision=decision, by=request.user, **data)
            except ValidationError as error:
                raise ValidationError(_budget_beside_first_line(error, decision)) from None

        return self._money_step(
            request,
            pk,
            ChangeRequestForm,
            "変更申請の受付",
            run,
            lambda change_request: f"変更申請を受け付けました（{change_request.receipt}）。",
            initial=lambda d: {"received_on": services.today(), "requested_amount": d.amount},
            with_decision=True,
        )

    def change_decide_view(self, request, pk):
        def pending(decision):
            return decision.change_requests.filter(status=GrantChangeRequest.Status.RECEIVED).first()

        def run(decision, data):
            request_ = pending(decision)
            if request_ is None:
                refuse("決定を待つ変更申請がありません。先に変更申請を受け付けてください。")
            if (data.get("document_number") or "").strip():  # decided (決裁) on paper, under the paper number
                settlement.change_request_decide(change_request=request_, by=request.user, **data)
                return None
            # 起案: the request is decided when the 決裁権者 approves (grants.drafts).
            return drafts.change_draft_submit(
                decision=decision,
                amount=data["amount"],
                reason=request_.reason,
                changed_on=data["changed_on"],
                by=request.user,
                change_request=request_,
            )

        def initial(decision):
            request_ = pending(decision)
            amount = request_.requested_amount if request_ else decision.amount
            return {"amount": amount, "changed_on": services.today()}

        return self._money_step(
            request,
            pk,
            ChangeDecideForm,
            "変更交付決定",
            run,
            lambda draft: (
                "変更交付決定を起案しました。決裁されると変更申請が決定され、通知書に文書番号が付きます。"
                if draft is not None
                else "変更交付決定をしました（紙の文書番号簿の番号で決裁済み）。"
            ),
            initial=initial,
        )

    def claim_view(self, request, pk):
        return self._money_step(
            request,
            pk,
            ClaimForm,
            "概算払の請求",
            lambda decision, data: settlement.payment_claim(decision=decision, by=request.user, **data),
            lambda payment: f"概算払の請求を登録しました（{payment.receipt}）。",
            initial=lambda d: {"claimed_on": services.today(), "amount": max(d.amount - d.claimed_amount, 0)},
        )

    def pay_view(self, request, pk):
        return self._money_step(
            request,
            pk,
            PayForm,
            "支払の登録",
            lambda decision, data: settlement.payment_pay(by=request.user, **data),
            "支払を登録しました。",
            initial=lambda d: {"paid_on": services.today()},
            with_decision=True,
        )

    def final_claim_view(self, request, pk):
        return self._money_step(
            request,
            pk,
            FinalClaimForm,
            "精算払の請求",
            lambda decision, data: settlement.final_payment_claim(decision=decision, by=request.user, **data),
            lambda payment: f"精算払の請求を登録しました（{payment.receipt}）。支払を登録してください。",
            initial=lambda d: {"claimed_on": services.today()},
        )

    def refund_view(self, request, pk):
        def initial(decision):
            today = services.today()
            return {"demanded_on": today, "due_on": settlement.default_due_date(today)}

        return self._money_step(
            request,
            pk,
            RefundForm,
            "返還請求",
            lambda decision, data: settlement.refund_demand(decision=decision, by=request.user, **data),
            "返還を請求しました。",
            initial=initial,
        )

    def refund_returned_view(self, request, pk):
        return self._money_step(
            request,
            pk,
            RefundReturnedForm,
            "返還の納付の登録",
            lambda decision, data: settlement.refund_receive(by=request.user, **data),
            "返還の納付を登録しました。",
            initial=lambda d: {"returned_on": services.today()},
            with_decision=True,
        )

    def revoke_view(self, request, pk):
        def initial(decision):
            revoked = not decision.organization.is_approved
            reason = "地域運営組織の認可が取り消されたため。" if revoked else ""
            return {"revoked_on": services.today(), "scope": "whole", "reason": reason}

        return self._money_step(
            request,
            pk,
            RevokeForm,
            "交付決定取消",
            lambda decision, data: settlement.decision_revoke(decision=decision, by=request.user, **data),
            "交付決定を取り消しました。支払済みの額があれば返還を請求してください。",
            initial=initial,
        )


# -- read-only lists on the decision's page ----------------------------------------------------------


class _ReadOnlyInline(ClerkDisplayMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Each row is named after its decision's organization (__str__) and links its register entry.
        return super().get_queryset(request).select_related("decision__organization", "entry")


class ChangeRequestInline(_ReadOnlyInline):
    model = GrantChangeRequest
    fields = ["receipt", "received_on", "requested_yen", "revised_budget", "reason", "status", "entry"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines__project")

    @admin.display(description="申請された変更後の額")
    def requested_yen(self, obj):
        return yen(obj.requested_amount)

    @admin.display(description="変更後の収支予算")
    def revised_budget(self, obj):
        lines = list(obj.lines.all())
        if not lines:
            return "－"
        return format_html_join(
            "", "{}{}: {}<br>", ((line.get_category_display(), _named(line), yen(line.amount)) for line in lines)
        )


class PaymentInline(_ReadOnlyInline):
    model = GrantPayment
    fields = ["instalment", "kind", "receipt", "claimed_on", "amount_yen", "paid_on", "entry"]
    readonly_fields = fields

    @admin.display(description="請求額")
    def amount_yen(self, obj):
        return yen(obj.amount)


class RevocationInline(_ReadOnlyInline):
    model = GrantRevocation
    fields = ["revoked_on", "scope", "amount_yen", "reason", "entry"]
    readonly_fields = fields

    @admin.display(description="取り消した額")
    def amount_yen(self, obj):
        return yen(obj.amount)


class RefundInline(_ReadOnlyInline):
    model = GrantRefund
    fields = ["demanded_on", "cause", "amount_yen", "due_on", "returned_on", "entry"]
    readonly_fields = fields

    @admin.display(description="返還請求額")
    def amount_yen(self, obj):
        return yen(obj.amount)


def _named(line):
    name = line.project.name if line.project_id else line.label
    return f"（{name}）" if name else ""


YEAR_INLINES = [ChangeRequestInline, PaymentInline, RevocationInline, RefundInline]
