# Micro-wishes (English)

wish-category = { $category ->
    [daily] Daily necessities
    [companionship] Companionship
    [repairs] Repairs
    [learning] Learning
    [health] Health
   *[other] Other
}
wish-status = { $status ->
    [open] waiting for a volunteer
    [claimed] claimed
    [fulfilled] fulfilled
   *[withdrawn] withdrawn
}

wish-ask-text = Write your micro-wish (1–{ $limit } characters), or send a voice message.
wish-ask-category = Choose a category:
wish-ask-photo = Add a photo? Send one, or press "No photo".
wish-ask-show-name = Show your name in the grid group? By default it only says "a neighbour".
wish-reprompt-text = Please describe your wish in text or a voice message.
wish-reprompt-photo = Please send a photo, or press "No photo".
wish-reprompt-relay = Please send your message as text.
wish-draft-lost = This draft has expired (the bot may have restarted); nothing was saved. Send /wish to start again.

wish-button-cancel = ✖ Cancel
wish-button-no-photo = No photo
wish-button-name-no = Don't show my name (recommended)
wish-button-name-yes = Show my name
wish-button-confirm = ✅ Post it
wish-button-edit = ✏️ Start over
wish-button-claim = 🙋 I'll do it
wish-button-fulfil = 🎉 Wish fulfilled
wish-button-message = 💬 Send a message
wish-button-release = ↩️ Give it back
wish-button-withdraw = 🗑 Withdraw

wish-preview-title = Please check your micro-wish:
wish-preview-photo = Photo: yes
wish-preview-no-photo = Photo: none
wish-preview-name-yes = Your name is shown in the group
wish-preview-name-no = Your name is not shown in the group

wish-created-posted = Posted! Your wish is { $code }; it is in the grid group waiting for a volunteer. You will be told when someone claims it.
wish-created-no-group = Saved! Your wish is { $code }. Your grid group has no bot yet; the grid chief will see it in their queue.

wish-post-title = 🌱 Micro-wish { $code } · { wish-category }
wish-post-voice = (a voice message; the volunteer can listen after claiming)
wish-post-from-neighbour = From: a neighbour in { $building }
wish-post-from-named = From: { $name } ({ $building })
wish-post-status = Status: { wish-status }

wish-card-title = 🌱 { $code } · { wish-category }
wish-card-status = Status: { wish-status }
wish-card-building = Building: { $grid } · { $building }
wish-card-created = Posted: { $at }
wish-card-claimer = Volunteer: { $name }
wish-card-offline = Entered for: { $name }
wish-card-points = Volunteer points credited: { $points }

wish-claim-ok = You claimed { $code }! The details are in your private chat with me.
wish-claim-none = No micro-wishes are waiting in your grid right now.
wish-claim-list = These micro-wishes are waiting for a volunteer; press one to see it:
wish-claimed-you = Thank you! You claimed micro-wish { $code }. Use "Send a message" to arrange a time; phone numbers are never shown.
wish-voice-caption = Voice wish { $code }
wish-claimed-author = Good news! { $name } claimed your micro-wish { $code }. Use "Send a message" to get in touch, and press "Wish fulfilled" when it is done.
wish-released-author = The volunteer gave { $code } back; it is waiting for a volunteer again.
wish-withdrawn-claimer = Micro-wish { $code } was withdrawn by its author. Thank you for offering.
wish-thanks-claimer = Thank you! Micro-wish { $code } is fulfilled; you earned { $points } volunteer points.

wish-done-fulfil = { $code } is marked fulfilled. Thank you!
wish-done-withdraw = { $code } is withdrawn.
wish-done-release = You gave { $code } back.

wish-relay-ask = Send your message about { $code } (up to { $limit } characters). I will pass it on; your phone number is not shown.
wish-relay-from-author = 💬 Message from the author of micro-wish { $code }:
    { $text }
wish-relay-from-claimer = 💬 Message from the volunteer of micro-wish { $code }:
    { $text }
wish-relay-sent = Your message was passed on.
wish-relay-failed = I could not deliver it; they may have stopped the bot.

wish-error-empty = The wish cannot be empty.
wish-error-too-long = Too long: at most { $limit } characters, you wrote { $length }. Your draft is kept; please shorten it and send again.
wish-error-not-found = Micro-wish { $code } was not found.
wish-error-state = Micro-wish { $code } is { wish-status }; that is not possible now.
wish-error-taken = Someone was quicker: { $code } is already claimed. Thank you for offering!
wish-error-own = You cannot claim your own wish.
wish-error-not-claimer = Only the volunteer who claimed it can give it back.
wish-error-not-author = Only the author of the wish can do that.
wish-error-not-party = Only the author and the volunteer can message each other.
wish-error-bad-ref = "{ $ref }" is not a wish id; for example: /claim W12

cmd-wish = Post a micro-wish
cmd-claim = Claim a micro-wish

# /wish_for: a chief enters a wish for a resident without a phone
wish-ask-offline-name = Entering a micro-wish for a resident. Write their name and flat (e.g. Granny Wang, unit 3, 201):
wish-ask-building = Choose the resident's building:
cmd-wish-for = Enter a micro-wish for a resident
