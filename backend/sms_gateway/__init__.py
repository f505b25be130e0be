"""Everything between the backend and the SMS provider (Twilio's Messaging API)."""
