"""The sandbox's behaviour, independent of HTTP: sending, delivery, inbound texts, numbers.

The FastAPI layer in :mod:`backend.sandbox.app` only parses requests and renders answers;
everything Twilio-like (validation order, error codes, status progression, opt-outs)
lives here so it reads top to bottom.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from backend.sandbox import errors, magic, sms
from backend.sandbox.callbacks import DeliveryResult, TimerThread, signed_request
from backend.sandbox.errors import TwilioApiError
from backend.sandbox.listing import build_page, parse_query
from backend.sandbox.resources import API_VERSION, message_uri, messages_uri, new_sid, utcnow
from backend.sandbox.store import MessageRecord, PhoneNumberRecord, SandboxStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    """What :func:`backend.sandbox.create_sandbox_app` was given."""

    account_sid: str
    auth_token: str
    sms_url: str | None = None
    status_delays: tuple[float, float] = (0.05, 0.05)
    replier: Callable[[str], str | None] | None = None
    """The demo's owners: what the recipient of a text answers (None: nothing), sent in
    ``reply_delay`` seconds after the last text to them, through ``receive_inbound``."""
    reply_delay: float = 4.0


@dataclass(frozen=True, slots=True)
class InboundResult:
    """A text-in: the stored message and how its webhook went."""

    message: MessageRecord
    webhook: DeliveryResult


class SandboxService:
    """One sandbox account: its store and its status-callback timer."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = SandboxStore()
        self.timer = TimerThread()
        self._runs: dict[tuple[str, str], list[str]] = {}  # (to, from): texts not answered yet

    # -- outbound -----------------------------------------------------------------------

    def create_message(
        self, params: Mapping[str, str], media_urls: Sequence[str] = ()
    ) -> MessageRecord:
        """Validate and queue an outbound message, in Twilio's order of checks."""
        to = (params.get("To") or "").strip()
        sender = (params.get("From") or "").strip() or None
        service_sid = (params.get("MessagingServiceSid") or "").strip() or None
        body = params.get("Body") or ""
        callback = (params.get("StatusCallback") or "").strip() or None

        if not to:
            raise TwilioApiError(400, errors.TO_REQUIRED, "A 'To' phone number is required.")
        if not sms.is_e164(to):
            raise _invalid_to(to)
        if sender is None and service_sid is None:
            raise TwilioApiError(400, errors.FROM_REQUIRED, "A 'From' phone number is required.")
        if sender is not None and not sms.is_valid_sender(sender):
            raise TwilioApiError(
                400,
                errors.INVALID_FROM,
                f"The 'From' number {sender} is not a valid phone number, shortcode, "
                "or alphanumeric sender ID.",
            )
        if service_sid is not None and not _is_sid(service_sid, "MG"):
            raise TwilioApiError(
                400,
                errors.INVALID_MESSAGING_SERVICE,
                f"The Messaging Service Sid {service_sid} is invalid.",
            )
        if not body.strip() and not media_urls:
            raise TwilioApiError(400, errors.BODY_REQUIRED, "Message body is required.")
        if len(body) > sms.MAX_BODY_CHARS:
            raise TwilioApiError(
                400,
                errors.BODY_TOO_LONG,
                "The concatenated message body exceeds the 1600 character limit.",
            )
        if to == sender:
            # Real Twilio reports this as 21266; the PetsApp contract asked for 21211.
            raise _invalid_to(to)
        if callback is not None and not _is_http_url(callback):
            raise TwilioApiError(
                400,
                errors.INVALID_STATUS_CALLBACK,
                f"The StatusCallback URL {callback} is not valid.",
            )

        refusal = magic.refusal(to)
        if refusal is not None:
            raise refusal
        if self.store.is_opted_out(sender, to):
            raise magic.unsubscribed_error()
        transient = magic.transient_error(to)
        if transient is not None and self.store.first_attempt(("send", to, body)):
            raise transient

        now = utcnow()
        record = self.store.add_message(
            MessageRecord(
                sid=new_sid("MM" if media_urls else "SM"),
                account_sid=self.config.account_sid,
                to=to,
                from_=sender,
                body=body,
                direction="outbound-api",
                status="queued",
                num_segments=sms.count_segments(body),
                num_media=len(media_urls),
                messaging_service_sid=service_sid,
                status_callback=callback,
                date_created=now,
                date_updated=now,
                # Twilio fills date_sent once the message leaves; the sandbox sends at once.
                date_sent=now,
            )
        )
        logger.info("sandbox queued %s to %s", record.sid, sms.mask_phone(to))
        self._schedule_steps(record.sid, magic.delivery_plan(to))
        if self.config.replier is not None and sender is not None and to not in magic.MAGIC_NUMBERS:
            self._answer_later(to, sender, body)
        # Created, but the sender never hears so: the case a careful client must reconcile.
        if to == magic.LOST_ANSWER and self.store.first_attempt(("lost", to, body)):
            raise errors.TwilioApiError(500, errors.INTERNAL_ERROR, "Internal Server Error")
        if to == magic.SLOW_ANSWER and self.store.first_attempt(("slow", to, body)):
            time.sleep(magic.SLOW_ANSWER_SECONDS)
        return record

    def _answer_later(self, owner: str, clinic: str, body: str) -> None:
        """The owner answers a run of texts (a welcome and the text after it, say) once, when
        they had time to read the last of it."""
        key = (owner, clinic)
        run = self._runs[key] = [*self._runs.get(key, []), body]

        def answer() -> None:
            if self._runs.get(key) is not run or self.store.is_opted_out(clinic, owner):
                return  # another text came since (the run is answered then), or they opted out
            del self._runs[key]
            assert self.config.replier is not None
            reply = self.config.replier("\n".join(run))
            if reply:
                self.receive_inbound(owner, clinic, reply)

        self.timer.schedule(self.config.reply_delay, answer)

    def fetch_message(self, sid: str) -> MessageRecord:
        record = self.store.get_message(sid)
        if record is None:
            raise TwilioApiError(
                404,
                errors.NOT_FOUND,
                f"The requested resource {message_uri(self.config.account_sid, sid)} was not found",
            )
        return record

    def list_messages(self, params: Mapping[str, str]) -> dict[str, object]:
        query = parse_query(params)
        return build_page(
            self.store.messages_newest_first(), query, messages_uri(self.config.account_sid)
        )

    def _schedule_steps(self, sid: str, steps: Sequence[magic.Step]) -> None:
        """Run ``steps[0]`` after the first delay; each step schedules the next when done."""
        if steps:
            self.timer.schedule(self.config.status_delays[0], lambda: self._run_step(sid, steps))

    def _run_step(self, sid: str, steps: Sequence[magic.Step]) -> None:
        """Apply one status change, tell the StatusCallback, then schedule the next."""
        step, rest = steps[0], steps[1:]
        now = utcnow()
        record = self.store.update_message(
            sid,
            status=step.status,
            error_code=step.error_code,
            error_message=errors.DELIVERY_ERROR_MESSAGES.get(step.error_code or 0),
            date_updated=now,
        )
        if record is None:  # reset while in flight
            return
        if record.status_callback:
            self._post_status(record)
        if rest:
            self.timer.schedule(self.config.status_delays[1], lambda: self._run_step(sid, rest))

    def _post_status(self, record: MessageRecord) -> None:
        params = {
            "MessageSid": record.sid,
            "SmsSid": record.sid,
            "AccountSid": record.account_sid,
            "To": record.to,
            "MessageStatus": record.status,
            "SmsStatus": record.status,
            "ApiVersion": API_VERSION,
        }
        if record.from_ is not None:
            params["From"] = record.from_
        if record.messaging_service_sid is not None:
            params["MessagingServiceSid"] = record.messaging_service_sid
        if record.error_code is not None:
            params["ErrorCode"] = str(record.error_code)
        assert record.status_callback is not None
        result = signed_request(record.status_callback, params, self.config.auth_token)
        if not result.ok:
            logger.warning(
                "status callback %s for %s to %s dropped: %s",
                record.status,
                record.sid,
                sms.mask_phone(record.to),
                result.error,
            )

    # -- inbound ------------------------------------------------------------------------

    def receive_inbound(self, sender: str, to: str, body: str) -> InboundResult:
        """An owner texts ``to``: store it, apply STOP/START, deliver the webhook now."""
        for label, number in (("from", sender), ("to", to)):
            if not sms.is_e164(number):
                raise TwilioApiError(
                    400,
                    errors.INVALID_TO,
                    f"The '{label}' number {number} is not a valid phone number.",
                )
        if not body:
            raise TwilioApiError(400, errors.BODY_REQUIRED, "Message body is required.")

        now = utcnow()
        record = self.store.add_message(
            MessageRecord(
                sid=new_sid("SM"),
                account_sid=self.config.account_sid,
                to=to,
                from_=sender,
                body=body,
                direction="inbound",
                status="received",
                num_segments=sms.count_segments(body),
                num_media=0,
                messaging_service_sid=None,
                status_callback=None,
                date_created=now,
                date_updated=now,
                date_sent=now,
            )
        )
        # Twilio applies opt-out keywords itself and still tells the application.
        kind = sms.keyword(body)
        if kind is not None:
            self.store.set_opted_out(to, sender, opted_out=kind == "opt-out")
            logger.info(
                "sandbox %s from %s to %s", kind, sms.mask_phone(sender), sms.mask_phone(to)
            )

        registered = self.store.get_number(to)
        url = registered.sms_url if registered and registered.sms_url else self.config.sms_url
        method = registered.sms_method if registered and registered.sms_url else "POST"
        if not url:
            return InboundResult(record, DeliveryResult(None, "no SmsUrl for this number"))
        result = signed_request(url, _inbound_params(record), self.config.auth_token, method=method)
        if not result.ok:
            logger.warning(
                "inbound webhook for %s from %s: %s",
                record.sid,
                sms.mask_phone(sender),
                result.error,
            )
        return InboundResult(record, result)

    # -- numbers and housekeeping -------------------------------------------------------

    def register_number(self, params: Mapping[str, str]) -> PhoneNumberRecord:
        """IncomingPhoneNumbers create: remember where ``PhoneNumber``'s texts go."""
        number = (params.get("PhoneNumber") or "").strip()
        if not sms.is_e164(number):
            raise TwilioApiError(
                400, errors.INVALID_PHONE_NUMBER, f"PhoneNumber {number or '(missing)'} is invalid."
            )
        sms_url = (params.get("SmsUrl") or "").strip() or None
        if sms_url is not None and not _is_http_url(sms_url):
            raise TwilioApiError(400, errors.INVALID_SMS_URL, f"SmsUrl {sms_url} is not valid.")
        method = (params.get("SmsMethod") or "POST").strip().upper()
        if method not in ("GET", "POST"):
            raise TwilioApiError(400, errors.INVALID_PARAMETER, "SmsMethod must be GET or POST.")
        now = utcnow()
        return self.store.put_number(
            PhoneNumberRecord(
                sid=new_sid("PN"),
                account_sid=self.config.account_sid,
                phone_number=number,
                friendly_name=(params.get("FriendlyName") or "").strip() or number,
                sms_url=sms_url,
                sms_method=method,
                date_created=now,
                date_updated=now,
            )
        )

    def reset(self) -> None:
        """Forget all state and pending callbacks (tests and demo restarts)."""
        self.timer.clear()
        self.store.reset()

    def shutdown(self) -> None:
        self.timer.stop()


def _inbound_params(record: MessageRecord) -> dict[str, str]:
    """Twilio's incoming-message webhook parameters."""
    params = {
        "MessageSid": record.sid,
        "SmsSid": record.sid,
        "SmsMessageSid": record.sid,
        "AccountSid": record.account_sid,
        "From": record.from_ or "",
        "To": record.to,
        "Body": record.body,
        "NumMedia": "0",
        "NumSegments": str(record.num_segments),
        "SmsStatus": "received",
        "ApiVersion": API_VERSION,
    }
    if record.messaging_service_sid is not None:
        params["MessagingServiceSid"] = record.messaging_service_sid
    return params


def _invalid_to(to: str) -> TwilioApiError:
    return TwilioApiError(
        400, errors.INVALID_TO, f"The 'To' number {to} is not a valid phone number."
    )


def _is_sid(value: str, prefix: str) -> bool:
    rest = value[2:]
    return (
        value.startswith(prefix)
        and len(rest) == 32
        and all(c in "0123456789abcdefABCDEF" for c in rest)
    )


def _is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
