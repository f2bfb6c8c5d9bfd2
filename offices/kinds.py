"""The kinds of form a 事務局 sends, each with what it checks before sending and how the clerk's 受理 records it
in the grant year (the same services the admin uses for paper). Filled in per kind: 交付申請, 変更申請, 請求,
実績報告."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SubmissionKind:
    label: str
    form_class: type  # a Django form over Submission.data: what is checked before sending
    accept: Callable  # (submission, *, by, **options) → the record made (GrantApplication, …)


KINDS: dict = {}  # Receipt.Kind value → SubmissionKind
