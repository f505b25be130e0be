"""Chats and messages: every rule here is scoped to the caller's clinic group.

- :mod:`.records`: a chat or clinic found in the caller's group, what a chat's record shows,
  and messages stored and published on the change feed.
- :mod:`.outbound`: what a staff write hands to the provider: the welcome text a number gets
  before a clinic's first text, and the claim on the first text to send.
- :mod:`.opening`: starting an SMS chat or an in-app chat.
- :mod:`.messages`: staff posting a message, and a chat's history.
- :mod:`.handling`: a chat's details, hand-offs between colleagues, closing and reopening.
- :mod:`.contacts`: the person at the other end: a number's opt-out of a clinic's texts, an
  owner joining PetsApp.
- :mod:`.delivery`: where an outbound text is: the provider's answers and status callbacks.
"""
