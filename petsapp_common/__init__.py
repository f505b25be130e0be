"""Rules the desktop client and the backend both follow, in one place: SMS segments and
opt-out keywords, phone numbers, masking numbers for logs, the retry back-off. Standard
library and ``phonenumbers`` only: no Qt, and nothing of either side."""
