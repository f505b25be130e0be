<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About PetsApp Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy these details, to paste them for PetsApp support</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PetsApp Desktop</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ApiClient</name>
    <message>
        <source>The server gave an answer that is not PetsApp&apos;s (HTTP %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sends this address on to %1: use that.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something answers at this address, but it is not a PetsApp server. Check the server address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server had a problem (HTTP %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s security certificate could not be verified.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the practice&apos;s internet connection.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Starting the demo…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo could not start: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PetsApp — %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PetsApp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent yet: PetsApp Desktop is still signing in. Press Send again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: it could not be saved on this computer (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The log folder could not be opened: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%s (the demo, on this computer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong on this computer; the details are in the log. Try again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Attention</name>
    <message>
        <source>New message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Cache</name>
    <message>
        <source>The local data in %1 was written by a newer version of PetsApp Desktop.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatDelegate</name>
    <message>
        <source>SMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opted out</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatListModel</name>
    <message>
        <source>You</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PetsApp chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 unread</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a chat, or start one with “New chat”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS chat: the client receives your messages as text messages, which cannot carry photos, files or payment requests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update Pet Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hand off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopen chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PetsApp chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned to %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This chat is closed. Sending a message reopens it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message · Enter for a new line, Ctrl+Enter to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%s now uses the PetsApp app: this chat can continue there, with photos, files and payments.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number has opted out of texts (replied STOP). You cannot text them until they reply START.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS chats cannot carry images, files, videos or payment requests (no MMS in the UK). The client can continue this chat in the PetsApp app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n characters over the 1,600 limit</source>
        <translation>
            <numerusform>%n character over the 1,600 limit</numerusform>
            <numerusform>%n characters over the 1,600 limit</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n characters left in one text</source>
        <translation>
            <numerusform>%n character left in one text</numerusform>
            <numerusform>%n characters left in one text</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Goes as %1 texts · %n characters left in the last</source>
        <translation>
            <numerusform>Goes as %1 texts · %n character left in the last</numerusform>
            <numerusform>Goes as %1 texts · %n characters left in the last</numerusform>
        </translation>
    </message>
    <message>
        <source>Emoji and some symbols make each text shorter: 70 characters instead of 160.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shorter texts (emoji or symbols)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Long messages go as several texts, which the phone joins up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shorten the message to send it: a text can be at most 1,600 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number copied.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionStatus</name>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing… %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n pending</numerusform>
            <numerusform>%n pending</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DemoMenu</name>
    <message>
        <source>&amp;Demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text in as the client…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a chat first: the text comes from its owner.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DemoServer</name>
    <message>
        <source>it could not be run (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it stopped before it was ready; see %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it did not answer; see %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DetailsDialog</name>
    <message>
        <source>Update Pet Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pet name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the owner&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstSyncPage</name>
    <message>
        <source>Setting up PetsApp on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your group&apos;s chats are being copied to this computer, so they stay readable when the connection drops. This happens once; you can keep using the other pages meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 changes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FollowBottom</name>
    <message>
        <source>New messages</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HandOffDialog</name>
    <message>
        <source>Hand off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colleague</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What should your colleague know? (internal)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hand-off notes are internal: the client never sees them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no colleague to hand off to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a hand-off note for your colleague.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Handing off…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in to PetsApp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. https://petsapp.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome to PetsApp. Enter your PetsApp server&apos;s address (your practice&apos;s IT team has it), your email and your password — or try the demo first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A demo clinic on this computer, with a stand-in for text messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your PetsApp server&apos;s address, e.g. https://petsapp.example (your practice&apos;s IT team has it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server address must start with https:// (or http://), e.g. https://petsapp.example.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is not a server address. It looks like https://petsapp.example.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your email and password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in to %s…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the demo…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please sign in.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PetsApp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About PetsApp Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageListModel</name>
    <message>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colleague</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewChatDialog</name>
    <message>
        <source>Phone number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clinic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 07700 900123</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Abroad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start PetsApp chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS chat is not enabled for your clinics yet. To get set up, email your request to %1 and include all of the clinics you would like to enable SMS chat with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the client&apos;s mobile number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mobile number %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a number in %1: the texts go abroad, and the clinic&apos;s provider may charge more for them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A number new to the clinic first gets this text: “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the chat…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the PetsApp chat…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already uses PetsApp with your group%2. Chat with them in the app instead of by SMS.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Outbox</name>
    <message>
        <source>The chat changed since this was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: the server could not be reached for 24 hours (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Names, numbers and message text (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open chats, whoever has them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open chats assigned to you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open chats nobody has yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed chats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clinic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All clinics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No chats match “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No unread chats in this list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark as unread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clinic information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS chat is off for this clinic. To set it up, email your request to %1 and include all of the clinics you would like to enable SMS chat with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Magic link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy magic link</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search chats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous chat with unread messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next chat with unread messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close a dialog, or clear the search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Does</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignOutWords</name>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) or change(s) have not reached the server yet. Signing out deletes them from this computer. Sign out anyway?</source>
        <translation>
            <numerusform>%n message or change has not reached the server yet. Signing out deletes it from this computer. Sign out anyway?</numerusform>
            <numerusform>%n messages or changes have not reached the server yet. Signing out deletes them from this computer. Sign out anyway?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SmsRequest</name>
    <message>
        <source>Please enable SMS chat for these clinics:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMS chat request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the request</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SmsRequestDialog</name>
    <message>
        <source>Request SMS chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open in e-mail program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send this e-mail to PetsApp:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No e-mail program opened on this computer: copy the address and the text into your e-mail instead.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <source>Something went wrong in the background (%1). The details are in the log: Help → Open log folder.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TextInDialog</name>
    <message>
        <source>Text in as the client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What %1 writes to the clinic. It arrives as their message would.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Can I bring Rex in this afternoon?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Open PetsApp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit PetsApp</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>PetsApp: %n unread</source>
        <translation>
            <numerusform>PetsApp: %n unread</numerusform>
            <numerusform>PetsApp: %n unread</numerusform>
        </translation>
    </message>
    <message>
        <source>PetsApp</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnsentActions</name>
    <message>
        <source>Send anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chat changed after you wrote this. Send it as it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try to send this message again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete this message without sending it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>The local copy of your chats was damaged and is being rebuilt from the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The list of what is waiting to be sent on this computer was damaged; what could be read of it was kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n unsent messages were kept.</source>
        <translation>
            <numerusform>%n unsent message was kept.</numerusform>
            <numerusform>%n unsent messages were kept.</numerusform>
        </translation>
    </message>
    <message>
        <source>This computer has no password keyring, so you will be asked to sign in again the next time PetsApp starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo could not text in: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PetsApp Desktop could not start: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A message was not sent: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hand-off was not done: %1 Your note: “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chat was not closed: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chat was not reopened: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new names were not saved: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A message could not be saved for sending. It is kept on this computer and sent when PetsApp Desktop starts again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer&apos;s disk is full, so PetsApp Desktop cannot save anything. Free some space (empty the Recycle Bin, or ask your IT support): it carries on by itself once there is room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: this computer&apos;s disk is full. Your message is back in the box: free some space (empty the Recycle Bin, or ask your IT support), then press Send again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message>
        <source>Guest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent to the network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
