"""The prepared e-mail that asks PetsApp to switch SMS chat on, as the help page says:
"email your request to [support] and include all of the clinics you would like to enable
SMS chat with". Shown on the Settings page and in "New chat" when SMS is off."""

from __future__ import annotations

import html
from urllib.parse import quote

from PySide6.QtCore import QCoreApplication

from desktop.services.records import Clinic


def sms_request_html(support_email: str, clinics: list[Clinic], lead: str) -> str:
    """``lead`` (plain text) then a "Write the request" mailto link whose e-mail lists the
    clinics that do not have SMS chat yet."""
    wanting = [c["name"] for c in clinics if not c.get("sms_enabled")] or [
        c["name"] for c in clinics
    ]
    names = "\n".join(f"- {name}" for name in wanting)
    ask = QCoreApplication.translate("SmsRequest", "Please enable SMS chat for these clinics:")
    body = quote(f"{ask}\n{names}\n")
    subject = quote(QCoreApplication.translate("SmsRequest", "SMS chat request"))
    link = f"mailto:{quote(support_email, safe='@.')}?subject={subject}&body={body}"
    return (
        html.escape(lead.replace("%1", support_email))
        + f' <a href="{html.escape(link)}">'
        + html.escape(QCoreApplication.translate("SmsRequest", "Write the request"))
        + "</a>"
    )
