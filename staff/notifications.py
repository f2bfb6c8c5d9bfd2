"""Mail about proposals: a new one to 総合政策課, a decision to the liaison who proposed it.

`send_mail` stores the message in the outbox (MAILERS["default"] is outbox.backends.OutboxBackend) in the
same transaction as the change, so a rolled-back change sends nothing and a mail server being down loses
nothing: `manage.py send_outbox` sends it, retrying later if the server refuses.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from niimi_portal.lib.people import display_name


def _send(subject, body, recipients):
    recipients = [address for address in recipients if address]
    if not recipients:
        return False
    send_mail(f"[新見市 小規模多機能自治] {subject}", body, None, recipients)
    return True


def proposer_address(user):
    officer = getattr(user, "liaison_officer", None)
    return user.email or (officer.email if officer else "")


def proposal_submitted(*, kind, organization_or_region, summary, by):
    """A liaison proposed something: tell the policy division's address. Returns whether a mail was queued."""
    review_url = settings.PORTAL_BASE_URL + reverse("admin:staff_stagechange_review")
    name = display_name(by)
    body = (
        f"地域担当職員から{kind}の提案がありました。確認のうえ、反映または見送りを判断してください。\n\n"
        f"対象: {organization_or_region}\n内容: {summary}\n提案者: {name}\n\n"
        f"確認待ちの提案: {review_url}\n"
    )
    return _send(f"{kind}の提案（確認待ち）: {organization_or_region}", body, [settings.POLICY_DIVISION_EMAIL])


def proposal_decided(*, kind, organization_or_region, summary, accepted, reason, proposer):
    """総合政策課 decided on a proposal: tell the liaison who made it."""
    workspace_url = settings.PORTAL_BASE_URL + reverse("staff:dashboard")
    outcome = "反映しました（公開ページに表示されます）" if accepted else "見送りました"
    body = f"あなたが提案した{kind}を、総合政策課が{outcome}。\n\n対象: {organization_or_region}\n内容: {summary}\n"
    if not accepted:
        body += f"見送りの理由: {reason}\n"
    body += f"\n職員ページ: {workspace_url}\n"
    label = "反映" if accepted else "見送り"
    return _send(f"{kind}の提案: {label}（{organization_or_region}）", body, [proposer_address(proposer)])
