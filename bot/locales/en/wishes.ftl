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

wish-ask-text = Write your micro-wish (1–{ $limit } characters), or send a voice message, or a photo with a caption.
wish-ask-category = Choose a category:
wish-ask-photo = Add a photo? Send one, or press “No photo”.
wish-ask-show-name = Show your name in the grid group? By default it only says “a neighbour”.
wish-ask-consent = In the grid group the wish says “a neighbour” by default, without a name; the door number is never published.
    Only if { $name } agreed in person may the post say “{ $name }”.
wish-ask-consent-no-name = In the grid group the wish will say “a neighbour”: no name that could be published comes first in “{ $written }”, and the door number is never published.
wish-reprompt-text = Please describe your wish in text, a voice message or a photo.
wish-reprompt-photo = Please send a photo, or press “No photo”.
wish-reprompt-relay = Please send your message as text.
wish-draft-lost = This step has expired (the bot may have restarted, or you went on on another device); nothing was saved. Please start again.

wish-button-cancel = ✖ Cancel
wish-button-no-photo = No photo
wish-button-name-no = Don't show my name (recommended)
wish-button-name-yes = Show my name
wish-button-consent-no = No name, just “a neighbour” (recommended)
wish-button-consent-yes = They agreed in person: show “{ $name }”
wish-button-confirm = ✅ Post it
wish-button-edit = ✏️ Start over
wish-button-claim = 🙋 I'll do it
wish-button-fulfil = 🎉 Wish fulfilled
wish-button-message = 💬 Send a message
wish-button-release = ↩️ Give it back
wish-button-withdraw = 🗑 Withdraw
wish-button-confirm-action = { $action ->
    [fulfil] ✅ Yes, it is fulfilled
    [release] ✅ Yes, give it back
   *[withdraw] ✅ Yes, withdraw it
}
wish-button-keep = ✖ Not now

wish-preview-title = Please check your micro-wish (its number is given on saving):
wish-preview-heading = 🌱 Micro-wish · { wish-category }
wish-preview-voice = Text: a voice message
wish-preview-photo = Photo: yes
wish-preview-no-photo = Photo: none
wish-preview-name-yes = Your name is shown in the group
wish-preview-name-no = Your name is not shown in the group
wish-preview-post-named = The group sees: { $name } (agreed in person)
wish-preview-post-neighbour = The group sees: a neighbour (no name, no door number)

wish-created-posted = Posted! Your wish is { $code }; it is in the grid group waiting for a volunteer. You will be told when someone claims it.
wish-created-no-group = Saved! Your wish is { $code }. Your grid group has no bot yet; the grid chief will see it in their queue.

wish-post-title = 🌱 Micro-wish { $code } · { wish-category }
wish-post-voice = (a voice message; the volunteer can listen after claiming)
wish-post-photo = (a photo; the volunteer can see it after claiming)
wish-post-from-neighbour = From: a neighbour in { $building }
wish-post-from-named = From: { $name } ({ $building })
wish-post-status = Status: { wish-status }

wish-card-title = 🌱 { $code } · { wish-category }
wish-card-status = Status: { wish-status }
wish-card-building = Building: { $grid } · { $building }
wish-card-created = Posted: { $at }
wish-card-claimer = Volunteer: { $name }
wish-card-offline = Entered for: { $name }
wish-card-for-named = For: { $name } (entered by a chief; use “Send a message” to get in touch)
wish-card-for-neighbour = For: a neighbour in { $building } (entered by a chief; use “Send a message” to get in touch)
wish-card-points = { $points ->
    [one] Volunteer points credited: 1 point
   *[other] Volunteer points credited: { $points } points
}

wish-confirm = { $action ->
    [fulfil] Is { $code } fulfilled? { $name } will then be credited { $points ->
        [one] 1 volunteer point
       *[other] { $points } volunteer points
    }; this cannot be undone.
    [release] Give { $code } back? It will wait for another volunteer.
   *[withdraw] Withdraw { $code }? This cannot be undone; the group post will say “withdrawn”.
}

wish-claim-ok = You claimed { $code }! The details are in your private chat with me.
wish-claim-none = No micro-wishes are waiting in your grid right now.
wish-claim-list = These micro-wishes are waiting for a volunteer; press one to see it:
wish-claimed-you = Thank you! You claimed micro-wish { $code }. Use “Send a message” to arrange a time; phone numbers are never shown.
wish-voice-caption = Voice wish { $code }
wish-claimed-author = Good news! { $name } claimed your micro-wish { $code }. Use “Send a message” to get in touch, and press “Wish fulfilled” when it is done.
wish-released-author = The volunteer gave { $code } back; it is waiting for a volunteer again.
wish-withdrawn-claimer = Micro-wish { $code } was withdrawn by its author. Thank you for offering.
wish-thanks-claimer = Thank you! Micro-wish { $code } is fulfilled; you earned { $points ->
    [one] 1 volunteer point
   *[other] { $points } volunteer points
}.

wish-done-fulfil = { $code } is marked fulfilled. Thank you!
wish-done-withdraw = { $code } is withdrawn.
wish-done-release = You gave { $code } back.

wish-relay-ask = Send your message about { $code } (at most { $limit } characters). I will pass it on; your phone number is not shown.
wish-relay-from-author = 💬 Message from the author of micro-wish { $code }:
    { $text }
wish-relay-from-claimer = 💬 Message from the volunteer of micro-wish { $code }:
    { $text }
wish-relay-sent = Your message was passed on.
wish-relay-failed = I could not deliver it; they may have stopped the bot.

wish-error-empty = The wish cannot be empty: write 1–{ $limit } characters.
wish-error-no-words = Please write your wish in words (1–{ $limit } characters), e.g. “Could someone buy a bag of rice and bring it home?”
wish-error-relay-words = Please write your message in words (1–{ $limit } characters), e.g. “Could I bring it tomorrow at ten?”
wish-error-too-long = Too long: at most { $limit } characters, you wrote { $length }. Your draft is kept; please shorten it and send again.
wish-error-not-found = Micro-wish { $code } was not found.
wish-error-state = Micro-wish { $code } is { wish-status }; that is not possible now.
wish-error-taken = Someone was quicker: { $code } is already claimed. Thank you for offering!
wish-error-own = You cannot claim a wish you posted or entered.
wish-error-self-credit = The volunteer posted or entered this wish: it cannot be confirmed, and they cannot be credited.
wish-error-not-claimer = Only the volunteer who claimed it can give it back.
wish-error-not-author = Only the author of the wish can do that.
wish-error-not-party = Only the author and the volunteer can message each other.
wish-error-bad-ref = “{ $ref }” is not a wish id; for example: /claim W12

cmd-wish = Post a micro-wish
cmd-claim = Claim a micro-wish

# /wish_for: a chief enters a wish for a resident without a phone
wish-ask-offline-name = Entering a micro-wish for a resident. Write their name and flat (e.g. Granny Wang, unit 3, 201):
wish-ask-building = Choose the resident's building:
cmd-wish-for = Enter a micro-wish for a resident
