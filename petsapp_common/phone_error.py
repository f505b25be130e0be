"""The error of a phone number that cannot be used for SMS chat: its own module, so that
``phones`` (which raises it, and loads ``phonenumbers``) and ``sms`` (which the first screen
loads, without ``phonenumbers``) both import it and neither imports the other at load."""

from __future__ import annotations

from typing import Literal

PhoneErrorCode = Literal["invalid_phone", "not_mobile"]


class PhoneNumberError(ValueError):
    """A phone number that cannot be used for SMS chat.

    ``code`` is a stable reason code for APIs (``"invalid_phone"`` or ``"not_mobile"``);
    ``str(exc)`` is a plain-English message fit to show to clinic staff.
    """

    def __init__(self, code: PhoneErrorCode, message: str) -> None:
        super().__init__(message)
        self.code: PhoneErrorCode = code

    def __reduce__(self) -> tuple[type[PhoneNumberError], tuple[PhoneErrorCode, str]]:
        # ValueError pickles as cls(*args), which would drop ``code``; keep both.
        return (type(self), (self.code, str(self)))
