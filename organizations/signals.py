"""Signals other parts of the portal connect to, so the approval workflow needs no knowledge of them."""

from django.dispatch import Signal

# Sent after a 差戻し is committed, with `organization`, `reason` and `by`. The documents work
# (補正の求め通知書) connects here to prepare the letter to the organization; nothing is mailed from here.
organization_returned = Signal()
