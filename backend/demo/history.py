"""The demo group's last few days, so the demo opens on a practice at work: guest and named
SMS chats, PetsApp chats with registered owners at both clinics, an opted-out number, a
chat handed off with its note, a closed chat, unread ones, the automatic welcome text where
the clinic wrote first, and each outbound text's delivery state.

Written straight into the database with the times they happened (the change feed carries
them as they are), before the backend serves anyone. Only ``EmbeddedDemo(lived_in=True)``
(``petsapp-backend demo``) writes it; tests start from an empty group.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.chats.outbound import welcome_text
from backend.domain.chats.records import publish_chat, publish_message
from backend.models import Chat, Clinic, HandOff, Message, Owner, SmsContact, Staff, utcnow


@dataclass(frozen=True)
class Said:
    """One message: who, how long before now, what, and (for texts) how it went."""

    who: str  # "owner", "alex", "sam", "note:alex" (an internal note), "welcome"
    ago: timedelta
    body: str
    status: str = ""  # outbound: "delivered" (default), "sent", "failed"


def _h(hours: float) -> timedelta:
    return timedelta(hours=hours)


# (clinic, kind, phone or owner name, names, assignee, status, messages)
CHATS: list[tuple[str, str, str, tuple[str | None, str | None], str | None, str, list[Said]]] = [
    (
        "Riverside Vets", "sms", "+447400123555", (None, None), None, "open", [
            Said("owner", _h(50), "Hi, can I book Rex in for his booster jabs?"),
            Said("welcome", _h(49.5), ""),
            Said("alex", _h(49.5), "Of course! We have Thursday at 10:40 or Friday at 16:15. "
                 "Which suits you best?"),
            Said("owner", _h(30), "Friday at 16:15 please"),
            Said("alex", _h(29.8), "Booked: Friday 16:15 with Sam. See you and Rex then!"),
            Said("owner", _h(0.4), "Sorry, could we move it to Saturday morning instead?"),
        ],
    ),
    (
        "Riverside Vets", "sms", "+447400123666", ("Priya Shah", "Biscuit"), "alex", "open", [
            Said("welcome", _h(26), ""),
            Said("alex", _h(26), "Hi Priya, how is Biscuit doing after his dental yesterday? "
                 "Any bleeding or trouble eating?"),
            Said("owner", _h(25), "He's eating soft food and seems much brighter today, thank you"),
            Said("alex", _h(24.8), "That's great to hear. Keep him on soft food for three more "
                 "days; his post-op check is Monday at 9:20."),
            Said("owner", _h(2), "Can he have his usual chews yet?"),
        ],
    ),
    (
        "Riverside Vets", "sms", "+447400123777", (None, None), None, "open", [
            Said("owner", _h(5), "Is Luna's prescription ready to collect? It's the ear drops."),
        ],
    ),
    (
        "Riverside Vets", "sms", "+447400123888", ("Mark Ellis", "Max"), None, "open", [
            Said("welcome", _h(70), ""),
            Said("sam", _h(70), "Reminder: Max is due his annual vaccination this month. "
                 "Reply here or call 0117 496 0123 to book."),
            Said("owner", _h(69), "STOP"),
        ],
    ),
    (
        "Riverside Vets", "sms", "+447400123999", (None, "Mittens"), "sam", "open", [
            Said("owner", _h(3), "My cat Mittens has been sneezing for two days and isn't "
                 "eating much. Should I bring her in?"),
            Said("welcome", _h(2.9), ""),
            Said("alex", _h(2.9), "Thanks for letting us know. One of our vets will call you "
                 "this morning."),
            Said("note:alex", _h(2.8), "Sam, can you call the owner? Sounds like cat flu; she "
                 "may need a same-day slot."),
        ],
    ),
    (
        "Riverside Vets", "sms", "+447400123444", ("Anna Green", "Poppy"), None, "closed", [
            Said("owner", _h(74), "Thanks so much for fitting Poppy in today!"),
            Said("welcome", _h(73.9), ""),
            Said("sam", _h(73.9), "You're welcome! Her stitches come out in ten days; we'll "
                 "text you a reminder."),
        ],
    ),
    (
        "Riverside Vets", "sms", "+447700900003", (None, None), None, "open", [
            Said("welcome", _h(20), "", "failed"),
            Said("alex", _h(20), "Hello, this is a reminder that Coco's worming treatment is due.",
                 "failed"),
        ],
    ),
    (
        "Riverside Vets", "app", "Jane Cooper", (None, None), "alex", "open", [
            Said("alex", _h(27), "Hi Jane, Bella's blood test results are back: all normal."),
            Said("owner", _h(26.5), "That's such a relief, thank you!"),
            Said("alex", _h(26.4), "You're welcome. We'll see her for her vaccinations in "
                 "March."),
        ],
    ),
    (
        "Hillside Animal Clinic", "app", "Tom Harris", (None, None), None, "open", [
            Said("owner", _h(1), "Milo has been scratching his ears a lot. Could you take a "
                 "look this week?"),
        ],
    ),
    (
        "Hillside Animal Clinic", "app", "Tom Harris", (None, None), "sam", "closed", [
            Said("sam", _h(96), "Luna's spay went well; she's awake and can go home at 4pm."),
            Said("owner", _h(95.5), "Brilliant news, I'll be there at 4."),
        ],
    ),
]  # fmt: skip


def seed_history(session: Session, now: datetime | None = None) -> int:
    """Writes the chats above into the group of the demo's clinics; returns how many."""
    now = now or utcnow()
    clinics = {c.name: c for c in session.scalars(select(Clinic))}
    staff = {s.email.split("@")[0]: s for s in session.scalars(select(Staff))}
    owners = {o.name: o for o in session.scalars(select(Owner))}
    sids = (f"SMdemo{n:026d}" for n in itertools.count(1))
    for clinic_name, kind, who, (owner_name, pet_name), assignee, status, said in CHATS:
        clinic = clinics[clinic_name]
        owner = owners.get(who) if kind == "app" else None
        started = now - said[0].ago
        chat = Chat(
            group_id=clinic.group_id,
            clinic_id=clinic.id,
            kind=kind,
            status=status,
            phone=who if kind == "sms" else (owner.phone if owner else None),
            owner_id=owner.id if owner else None,
            owner_name=owner_name or (owner.name if owner else None),
            pet_name=pet_name or (", ".join(p.name for p in owner.pets) if owner else None),
            assignee_id=staff[assignee].id if assignee else None,
            created_at=started,
            updated_at=started,
        )
        session.add(chat)
        session.flush()
        for line in said:
            _write(session, chat, clinic, staff, line, now - line.ago, sids)
        publish_chat(session, chat)
    return len(CHATS)


def _write(
    session: Session,
    chat: Chat,
    clinic: Clinic,
    staff: dict[str, Staff],
    line: Said,
    at: datetime,
    sids: Iterator[str],
) -> None:
    sms = chat.kind == "sms"
    direction, sender, body = "out", None, line.body
    status = line.status or ("delivered" if sms else "sent")
    error_code = 30003 if status == "failed" else None
    if line.who == "owner":
        direction, status, error_code = "in", "received", None
    elif line.who == "welcome":
        body = welcome_text(clinic)
    elif line.who.startswith("note:"):  # a hand-off's note, as the hand-off writes it
        direction, status, sender = "internal", "internal", staff[line.who[5:]]
        assignee = session.get(Staff, chat.assignee_id) if chat.assignee_id else None
        body = f"Handed off to {assignee.name}: {body}" if assignee else body
    else:
        sender = staff[line.who]
    message = Message(
        group_id=chat.group_id,
        chat_id=chat.id,
        direction=direction,
        body=body,
        status=status,
        error_code=error_code,
        sender_id=sender.id if sender else None,
        provider_sid=next(sids) if sms and direction != "internal" else None,
        created_at=at,
        updated_at=at,
    )
    session.add(message)
    chat.last_message_at = at
    session.flush()
    publish_message(session, message)
    if sms and chat.phone:
        contact = session.get(SmsContact, (clinic.id, chat.phone))
        if contact is None:
            contact = SmsContact(clinic_id=clinic.id, phone=chat.phone, updated_at=at)
            session.add(contact)
        if line.who == "welcome":
            contact.welcomed_at = at
        if direction == "in" and body.strip().upper() == "STOP":
            contact.opted_out = True
    if direction == "internal" and chat.assignee_id and sender is not None:
        session.add(
            HandOff(
                chat_id=chat.id,
                from_staff_id=sender.id,
                to_staff_id=chat.assignee_id,
                note=line.body,
                message_id=message.id,
                created_at=at,
            )
        )
        session.flush()
