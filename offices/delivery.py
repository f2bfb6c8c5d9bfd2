"""Notices delivered (通知書の受け取り方 「ポータルとメール」): when the city issues a document to an organization
that receives online, each person of its 事務局 gets an e-mail saying a new document is on their documents page.
The PDF itself is never attached: it stays behind the login (offices.views.document_pdf).

grants issues the document and knows nothing of offices (the layers): the receiver here listens to the
IssuedDocument's post_save, connected in NiimiPortalConfig.ready with the site's other receivers, and queues
the mail once the issuing transaction has committed (a rolled-back 決裁 sends nothing).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse

from grants.models import IssuedDocument
from niimi_portal.lib.people import display_name
from niimi_portal.lib.wareki import wareki_date
from offices.models import OfficeMember
from organizations.models import Organization

SUBJECT = "[新見市 小規模多機能自治] 新しい文書が届いています"


def connect_signals():
    post_save.connect(document_issued, sender=IssuedDocument, dispatch_uid="offices.delivery.document_issued")


def document_issued(sender, instance, created, raw=False, **kwargs):
    """An original just issued (a 再発行 or 写 is the 課's paper business): tell its 事務局 after the commit."""
    if created and not raw and instance.copy == IssuedDocument.Copy.ORIGINAL:
        pk = instance.pk
        transaction.on_commit(lambda: document_notify(pk))


def document_notify(document_pk):
    """Mail each person of the 事務局 of the document's organization, if it receives online. Returns the
    addresses mailed."""
    document = IssuedDocument.objects.select_related("entry", "organization").get(pk=document_pk)
    organization = document.organization
    if organization.notice_delivery != Organization.NoticeDelivery.ONLINE:
        return []
    members = OfficeMember.objects.filter(organization=organization, user__is_active=True).select_related("user")
    url = settings.PORTAL_BASE_URL + reverse("offices:documents", kwargs={"slug": organization.slug})
    sent = []
    for member in members:
        address = member.user.email
        if not address or address in sent:
            continue
        body = "\n".join(
            [
                f"{organization.name} 事務局",
                f"{display_name(member.user)} 様",
                "",
                f"{settings.PORTAL['CITY_NAME']}{settings.PORTAL['POLICY_DIVISION']}です。",
                f"{organization.name}あての新しい文書が、事務局のページに届いています。",
                "",
                f"文書: {document.title}",
                f"文書番号: {document.entry.text_with_year}",
                f"日付: {wareki_date(document.issued_on)}",
                "",
                "次のページでログインして、文書（PDF）をご確認ください。",
                url,
                "",
                "このメールには文書を添付していません。",
            ]
        )
        send_mail(SUBJECT, body + "\n", None, [address])
        sent.append(address)
    return sent
