"""JSON renderings of sandbox records, shaped exactly like Twilio's 2010-04-01 resources.

Every property of ``api.v2010.account.message`` and ``api.v2010.account.incoming_phone_number``
is present (null when unknown) because client code written against real Twilio may index
any of them.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from email.utils import format_datetime

from backend.sandbox.store import MessageRecord, PhoneNumberRecord

API_VERSION = "2010-04-01"
PRICE_UNIT = "GBP"


def new_sid(prefix: str) -> str:
    """A Twilio-style sid: two-letter prefix + 32 lowercase hex digits."""
    return prefix + secrets.token_hex(16)


def utcnow() -> datetime:
    return datetime.now(UTC)


def rfc2822(moment: datetime | None) -> str | None:
    """``Thu, 24 Aug 2023 05:01:45 +0000``, Twilio's timestamp format (always GMT)."""
    if moment is None:
        return None
    return format_datetime(moment.astimezone(UTC))


def account_uri(account_sid: str) -> str:
    return f"/{API_VERSION}/Accounts/{account_sid}"


def messages_uri(account_sid: str) -> str:
    return f"{account_uri(account_sid)}/Messages.json"


def message_uri(account_sid: str, sid: str) -> str:
    return f"{account_uri(account_sid)}/Messages/{sid}.json"


def message_resource(record: MessageRecord) -> dict[str, object]:
    """The ``api.v2010.account.message`` body for ``record``."""
    base = f"{account_uri(record.account_sid)}/Messages/{record.sid}"
    return {
        "account_sid": record.account_sid,
        "api_version": API_VERSION,
        "body": record.body,
        "date_created": rfc2822(record.date_created),
        "date_sent": rfc2822(record.date_sent),
        "date_updated": rfc2822(record.date_updated),
        "direction": record.direction,
        "error_code": record.error_code,
        "error_message": record.error_message,
        "from": record.from_,
        "messaging_service_sid": record.messaging_service_sid,
        # Twilio sends both counts as strings; clients parse them.
        "num_media": str(record.num_media),
        "num_segments": str(record.num_segments),
        "price": None,
        "price_unit": PRICE_UNIT,
        "sid": record.sid,
        "status": record.status,
        "subresource_uris": {
            "media": f"{base}/Media.json",
            "feedback": f"{base}/Feedback.json",
        },
        "to": record.to,
        "uri": f"{base}.json",
    }


def phone_number_resource(record: PhoneNumberRecord) -> dict[str, object]:
    """The ``api.v2010.account.incoming_phone_number`` body for ``record``."""
    return {
        "account_sid": record.account_sid,
        "address_requirements": "none",
        "address_sid": None,
        "api_version": API_VERSION,
        "beta": False,
        "bundle_sid": None,
        "capabilities": {"voice": False, "sms": True, "mms": False, "fax": False},
        "date_created": rfc2822(record.date_created),
        "date_updated": rfc2822(record.date_updated),
        "emergency_address_sid": None,
        "emergency_address_status": "unregistered",
        "emergency_status": "Inactive",
        "friendly_name": record.friendly_name,
        "identity_sid": None,
        "origin": "twilio",
        "phone_number": record.phone_number,
        "sid": record.sid,
        "sms_application_sid": None,
        "sms_fallback_method": "POST",
        "sms_fallback_url": None,
        "sms_method": record.sms_method,
        "sms_url": record.sms_url,
        "status": "in-use",
        "status_callback": None,
        "status_callback_method": "POST",
        "subresource_uris": {
            "assigned_add_ons": (
                f"{account_uri(record.account_sid)}/IncomingPhoneNumbers/{record.sid}"
                "/AssignedAddOns.json"
            )
        },
        "trunk_sid": None,
        "type": "mobile",
        "uri": f"{account_uri(record.account_sid)}/IncomingPhoneNumbers/{record.sid}.json",
        "voice_application_sid": None,
        "voice_caller_id_lookup": False,
        "voice_fallback_method": "POST",
        "voice_fallback_url": None,
        "voice_method": "POST",
        "voice_receive_mode": "voice",
        "voice_url": None,
    }
