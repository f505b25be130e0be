"""The provider adapter: Twilio's Messages API 2010-04-01 over plain HTTP.

It speaks to any base URL (the real ``https://api.twilio.com`` or the provider sandbox),
with Basic auth and timeouts on every call. 429 answers are retried with backoff by
urllib3: Twilio does not process a request it answers 429. Any other failure leaves the
outcome unknown (the text may have been created), so the dispatcher reconciles with
:meth:`TwilioProvider.find_sent` before it sends again. Each text's ``StatusCallback`` URL
names the text (``?text=<ref>``), so the provider's callbacks tie its sid to exactly one text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from petsapp_common.sms import mask_phone

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 15.0


@dataclass(frozen=True)
class SentText:
    sid: str
    status: str


class ProviderError(Exception):
    """The provider refused a text (``code`` is Twilio's error code) or could not be reached."""

    def __init__(self, message: str, *, code: int | None = None, http_status: int | None = None):
        super().__init__(message)
        self.code = code
        self.http_status = http_status

    @property
    def is_transient(self) -> bool:
        return self.http_status is None or self.http_status >= 500 or self.http_status == 429


class TwilioProvider:
    def __init__(
        self,
        base_url: str,
        account_sid: str,
        auth_token: str,
        read_timeout: float = READ_TIMEOUT,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self.account_sid = account_sid
        self.session = requests.Session()
        self.session.auth = (account_sid, auth_token)
        retry = Retry(
            total=3,
            connect=3,  # refused before anything was sent: safe to try again
            read=0,  # the request may have been processed: never resend blindly
            other=0,
            backoff_factor=0.2,
            status_forcelist=(429,),
            allowed_methods=None,  # POST too: a 429 means "not processed, try again"
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        self.session.mount("http://", HTTPAdapter(max_retries=retry, pool_maxsize=16))
        self.session.mount("https://", HTTPAdapter(max_retries=retry, pool_maxsize=16))

    @property
    def messages_url(self) -> str:
        return f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"

    def find_sent(
        self,
        *,
        to: str,
        from_: str,
        body: str,
        since: datetime,
        is_known: Callable[[str], bool],
    ) -> SentText | None:
        """The text from ``from_`` to ``to`` with this body created since ``since`` whose sid
        ``is_known`` does not recognise: proof that an attempt whose answer was lost (or
        whose sender died) reached the provider.

        It lists by sender and recipient, newest first, without Twilio's ``DateSent``
        filter: a text still ``queued`` has no ``date_sent`` yet and would be missed. It
        stops at the first page that is wholly older than ``since``.
        Raises :class:`ProviderError` when the provider cannot be asked."""
        params: dict[str, str | int] = {"To": to, "From": from_, "PageSize": 100}
        url: str | None = self.messages_url
        while url:
            try:
                answer = self.session.get(url, params=params, timeout=self.timeout)
            except requests.RequestException as exc:
                raise ProviderError("The SMS provider could not be reached.") from exc
            if answer.status_code >= 400:
                code, message = _twilio_error(answer)
                raise ProviderError(message, code=code, http_status=answer.status_code)
            try:
                page = answer.json()
            except ValueError as exc:
                raise ProviderError("The SMS provider gave an answer that is not JSON.") from exc
            items = page.get("messages") or []
            recent = [item for item in items if not _created_before(item, since)]
            for item in recent:
                sid = str(item.get("sid") or "")
                if item.get("body") == body and sid and not is_known(sid):
                    return SentText(sid=sid, status=str(item.get("status") or "queued"))
            next_uri = page.get("next_page_uri")
            if not recent or not next_uri:
                return None
            url, params = f"{self.base_url}{next_uri}", {}
        return None

    def send(
        self, *, to: str, from_: str, body: str, status_callback: str | None = None
    ) -> SentText:
        form = {"To": to, "From": from_, "Body": body}
        if status_callback:
            form["StatusCallback"] = status_callback
        try:
            answer = self.session.post(self.messages_url, data=form, timeout=self.timeout)
        except requests.RequestException as exc:
            log.warning(
                "provider unreachable sending to %s: %s", mask_phone(to), type(exc).__name__
            )
            raise ProviderError("The SMS provider could not be reached.") from exc
        if answer.status_code >= 400:
            code, message = _twilio_error(answer)
            log.warning(
                "provider refused text to %s: HTTP %s code %s",
                mask_phone(to),
                answer.status_code,
                code,
            )
            raise ProviderError(message, code=code, http_status=answer.status_code)
        payload = answer.json()
        return SentText(sid=str(payload["sid"]), status=str(payload.get("status") or "queued"))


def _created_before(item: dict[str, object], since: datetime) -> bool:
    """Whether a listed message was created before ``since`` (RFC 2822 ``date_created``);
    a date that cannot be read counts as recent, so the text is looked at, not skipped."""
    try:
        created = parsedate_to_datetime(str(item.get("date_created") or ""))
    except (TypeError, ValueError):
        return False
    return created < since


def _twilio_error(answer: requests.Response) -> tuple[int | None, str]:
    try:
        payload = answer.json()
    except ValueError:
        return None, f"The SMS provider answered HTTP {answer.status_code}."
    code = payload.get("code")
    return (
        int(code) if isinstance(code, int | str) and str(code).isdigit() else None,
        str(payload.get("message") or f"HTTP {answer.status_code}"),
    )
