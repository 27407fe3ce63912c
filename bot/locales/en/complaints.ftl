# Complaints and requests, queue, statistics, and what is sent outside a flow (English)

complaint-category = { $category ->
    [parking] Parking
    [sanitation] Sanitation and garbage sorting
    [repairs] Repairs and facilities
    [dispute] Neighbour dispute
    [safety] Safety hazard
    [noise] Noise
   *[other] Other
}
complaint-status = { $status ->
    [submitted] submitted
    [accepted] accepted
    [in_progress] in progress
    [resolved] resolved
    [closed] closed
    [rejected] rejected
   *[merged] merged
}

complaint-ask-category = Choose the kind of request:
complaint-ask-offline-name = Filing for a resident. Write their name and flat (e.g. Granny Wang, unit 3, 201):
complaint-ask-building = Choose the resident's building:
complaint-similar = Requests of the same kind are already open in your building. If yours is the same, press “Me too” to follow it; otherwise press “File a new one”.
complaint-similar-item = { $code } · { complaint-category } · { $building } · filed { $date }
complaint-ask-text = Describe the problem (1–{ $limit } characters), or send a voice message, or a photo with a caption.
complaint-ask-photos = You can send up to { $limit } photos. Press “Done with photos” when finished, or “No photos”.
complaint-photo-added = Photo { $count }/{ $limit } received. Send another, or press “Done with photos”.
complaint-ask-location = Where is it? Send a location (📎 → Location), or write it (at most { $limit } characters, e.g. entrance of unit 3), or press “Skip”.
complaint-ask-anonymous = Report anonymously? Then the chiefs cannot see who you are, and you still get every update.
complaint-reprompt-text = Please describe the problem in text, a voice message or a photo.
complaint-reprompt-photo = Please send a photo, or press a button below to go on.
complaint-reprompt-location = Please send a location or a short text, or press “Skip”.
complaint-reprompt-note = Please send text. Press “Cancel” or send /cancel to stop.
complaint-reprompt-reason = Please press a reason, or write one line. Press “Cancel” to stop.
complaint-draft-lost = This step has expired (the bot may have restarted, or you went on on another device); nothing was saved. Please start again.

complaint-button-cancel = ✖ Cancel
complaint-button-metoo = 🙋 Me too: { $title }
complaint-button-new = ✏️ File a new one
complaint-button-no-photos = No photos
complaint-button-photos-done = ✅ Done with photos
complaint-button-no-location = Skip
complaint-button-anon-no = Not anonymous
complaint-button-anon-yes = 🤫 Anonymously
complaint-button-confirm = ✅ Submit
complaint-button-edit = ✏️ Start over
complaint-button-accept = ✅ Accept
complaint-button-reject = ❌ Reject
complaint-button-grant = ✅ Grant the appeal: accept
complaint-button-deny = ❌ Keep the rejection
complaint-button-assign = 👷 Assign
complaint-button-start = 🔧 Start work
complaint-button-resolve = ✔️ Resolved
complaint-button-merge = 🔗 Merge
complaint-button-merge-confirm = 🔗 Merge them
complaint-button-voice = ▶️ Play voice
complaint-button-photos = 🖼 { $count ->
    [one] 1 photo
   *[other] { $count } photos
}
complaint-button-map = 📍 Show on the map
complaint-button-back = ← Back
complaint-button-open = Open the request
complaint-button-reopen = 🔁 Not solved: reopen
complaint-button-reopen-confirm = 🔁 Reopen it
complaint-button-appeal = ⚖️ Appeal
complaint-button-appeal-confirm = ⚖️ Send the appeal
complaint-button-close = Close it
complaint-button-rate = ⭐ Rate
complaint-button-skip = Skip
complaint-button-remove-handler = Remove: { $name }

complaint-preview-title = Please check your request (its number is given on saving):
complaint-preview-heading = 📋 Request · { complaint-category }
complaint-preview-offline = Entered for: { $name }
complaint-preview-no-photos = Photos: none
complaint-preview-anon-yes = Anonymous: yes (the chiefs cannot see who you are)
complaint-preview-anon-no = Anonymous: no

complaint-created = Received! Your request is { $code }.
    It is usually accepted within { $accept_hours } hours and resolved within { $resolve_days } days. You will get every update; /my shows it too.
complaint-metoo-done = You now follow { $code }; { $count ->
    [one] 1 resident is affected
   *[other] { $count } residents are affected
}. You will get its updates.

complaint-card-title = 📋 Request { $code } · { complaint-category }
complaint-card-building = Building: { $grid } · { $building }
complaint-card-anonymous = Filed by: an anonymous resident
complaint-card-author = Filed by: { $name }
complaint-card-offline = Filed by: { $name } (entered by { $chief })
complaint-card-status = Status: { complaint-status }
complaint-card-appeal = ⚖️ The resident appealed against the rejection; it awaits review.
complaint-card-due = Due: by { $due }
complaint-card-overdue = ⚠️ Overdue (was due by { $due })
complaint-card-affected = Residents affected: { $count }
complaint-card-created = Filed: { $at }
complaint-card-text = Text: { $text }
complaint-card-voice = Text: a voice message
complaint-card-photos = { $count ->
    [one] Photos: 1 photo
   *[other] Photos: { $count } photos
}
complaint-card-location = Location: { $location }
complaint-card-pin = Location: 📍 sent as a map pin
complaint-card-handler = Handled by: { $name }
complaint-card-assignee = Assigned to: { $name }
complaint-card-merged = Merged into: { $target }
complaint-card-reject-reason = Reason for the rejection: { $reason }
complaint-card-resolution = Resolution: { $note }
complaint-card-rating = Rating: { $stars }
complaint-card-comment = The resident's comment: { $comment }
complaint-pin = 📋 { $code } · { $grid } · { $building }

complaint-timeline-title = History:
complaint-timeline-earlier = · … ({ $count ->
    [one] 1 earlier step
   *[other] { $count } earlier steps
})
complaint-timeline-entry = · { $at } { $action ->
    [submitted] filed
    [accepted] accepted
    [started] work started
    [assigned] assigned to
    [rejected] rejected
    [resolved] resolved
    [reopened] reopened by the resident
    [rated] rated by the resident
    [commented] the resident commented
    [closed] closed
    [auto_closed] closed automatically (no rating)
    [merged] merged into
    [merged_in] merged in
    [metoo] one more resident affected
    [appealed] appealed by the resident
    [appeal_granted] appeal granted, accepted
    [appeal_denied] rejection kept
   *[other] updated
}
complaint-timeline-by = { " " }({ $name })
complaint-timeline-note = : { $note }

complaint-chief-submitted = 🔔 New request { $code }; please accept it in time.
complaint-chief-reopened = 🔁 The resident is not satisfied with { $code }; it is reopened. Reason: { $note }
complaint-chief-assigned = 👷 Request { $code } was assigned to you.
complaint-chief-appealed = ⚖️ The resident appealed against the rejection of { $code }; please review it. Their reason: { $note }

complaint-ask-reject = Why is { $code } rejected? (at most { $limit } characters; the resident will see it)
complaint-ask-deny = Why is the rejection of { $code } kept? (at most { $limit } characters; the resident will see it and cannot appeal again)
complaint-ask-resolve = How was { $code } resolved? (at most { $limit } characters; the resident will see it)
complaint-ask-resolve-photo = Send a photo of the result, or press “No photos”.
complaint-ask-merge = Merge { $code } into which request? Press one (the most alike come first):
complaint-ask-merge-long = Merge { $code } into which request? These are the { $shown } most alike of those open. Not there? Send one word to search (an id, a building, a category or a word of the text):
complaint-merge-item = { $code } · { complaint-category } · { $building } · { $date } · { $title }
complaint-merge-none = No other request is open in your area; { $code } cannot be merged.
complaint-confirm-merge = Merge { $code } into { $target }? The residents of { $code } will then get the updates of { $target }. This cannot be undone.
complaint-ask-assign = Assign { $code } to:
complaint-ask-assign-long = Assign { $code } to whom? These are the first { $shown } of { $count }. Not there? Send one word to search (a name or a company):
complaint-search-found = { $count ->
    [one] “{ $word }”: 1 match
   *[other] “{ $word }”: { $count } matches
}, at most { $shown } shown:
complaint-search-none = Nothing holds “{ $word }”. Try another word, or press “Cancel”.
complaint-assign-chief = 👤 { $name }
complaint-assign-handler = 🏢 { $name }
complaint-assigned = { $code } assigned to { $name }.
complaint-done = { $code } is now { complaint-status }.
complaint-merged = { $code } merged into { $target }; the residents of both will get the updates of { $target }.

complaint-update = 📋 Update on your request { $code }: { complaint-status }
complaint-update-note = Note: { $note }
complaint-update-reason = Reason: { $note }
complaint-update-resolution = Resolution: { $note }
complaint-update-assigned = Handed to { $name }.
complaint-update-merged = It is now handled together with { $target }; you will get the updates of { $target }.
complaint-update-auto-closed = { $days ->
    [one] No rating within 1 day, so it was closed automatically.
   *[other] No rating within { $days } days, so it was closed automatically.
}
complaint-update-appeal-granted = Your appeal was granted: the request is accepted.
complaint-appeal-offer = { $days ->
    [one] If you disagree, press “Appeal” within 1 day and the grid chief will review it (once only).
   *[other] If you disagree, press “Appeal” within { $days } days and the grid chief will review it (once only).
}

complaint-ask-reason-reopen = Why should { $code } be reopened? Press a reason, or write one line (at most { $limit } characters; the chiefs will see it):
complaint-ask-reason-appeal = Why do you disagree with the rejection of { $code }? Press a reason, or write one line (at most { $limit } characters; the reviewer will see it):
complaint-reason-reopen = { $code ->
    [not_fixed] The problem is not solved
    [partly] Only part of it was solved
   *[again] The problem came back
}
complaint-reason-appeal = { $code ->
    [exists] The problem is real and needs handling
    [in_scope] It is the community's business
   *[not_seen] Nobody came to look at it
}
complaint-confirm-reopen = Reopen { $code }?
    Reason: { $reason }
complaint-confirm-appeal = Appeal against the rejection of { $code }? The reviewer decides again whether it is accepted; you can appeal once only.
    Reason: { $reason }
complaint-reopen-done = { $code } is reopened; the chiefs get your reason, and you will get the updates.
complaint-appeal-done = Your appeal is sent; the reviewer decides { $code } again, and you will be told.

complaint-rate-ask = Please rate the result (1–5 stars):
complaint-rated = Thank you for your rating { $stars }! { $code } is closed. Send a comment if you like, or press “Skip”.
complaint-rated-low = We got your rating { $stars }. If the problem is not solved, press “Reopen”; you can also write a comment, or press “Skip”.
complaint-rate-thanks = Thank you!

complaint-remind-accept = ⏰ Request { $code } is past its acceptance target ({ $due }). Please act on it.
complaint-remind-resolve = ⏰ Request { $code } is past its resolution target ({ $due }). Please act on it.
complaint-escalate-accept = ⚠️ Escalation: request { $code } is long past its acceptance target (due by { $due }). Please follow up.
complaint-escalate-resolve = ⚠️ Escalation: request { $code } is long past its resolution target (due by { $due }). Please follow up.

complaint-handlers-none = Your grid has no named handlers yet. Add one with “/handlers add NAME”, e.g. /handlers add Property company
complaint-handlers-list = Named handlers of your grid:
    { $names }
    Add with “/handlers add NAME”; press a button to remove.
complaint-handlers-usage = Usage: /handlers to list; /handlers add NAME to add.
complaint-handler-added = Handler added: { $name }
complaint-handler-removed = Removed: { $name }

complaint-error-empty = The text cannot be empty: write 1–{ $limit } characters.
complaint-error-no-words = Please describe the problem in words (1–{ $limit } characters), e.g. “The lamp at the entrance of unit 3 is broken”.
complaint-error-note-empty = Please write a short note (1–{ $limit } characters); it cannot be empty.
complaint-error-note-no-words = Please write it in words (1–{ $limit } characters), e.g. “Called the property company; repair tomorrow morning”.
complaint-error-location-words = Please write the place in words (1–{ $limit } characters), e.g. “entrance of unit 3”.
complaint-error-too-long = Too long: at most { $limit } characters, you wrote { $length }. Your draft is kept; please shorten it and send again.
complaint-error-photos = At most { $limit } photos; this one was not added. Press “Done with photos” to go on.
complaint-error-search = Send one word to search (1–{ $limit } characters).
complaint-error-not-found = Request { $code } was not found.
complaint-error-state = Request { $code } is { complaint-status }; that is not possible now.
complaint-error-changed = Request { $code } was just changed by someone else; please open it again.
complaint-error-already-following = You already follow { $code }.
complaint-error-not-yours = This is not one of your requests.
complaint-error-not-author = Only the resident who filed it can do that.
complaint-error-rated = { $code } has already been rated.
complaint-error-reopen-late = { $days ->
    [one] More than 1 day has passed; it cannot be reopened. Please file a new request.
   *[other] More than { $days } days have passed; it cannot be reopened. Please file a new request.
}
complaint-error-appeal-late = { $days ->
    [one] More than 1 day has passed; it cannot be appealed any more. Please file a new request.
   *[other] More than { $days } days have passed; it cannot be appealed any more. Please file a new request.
}
complaint-error-appealed = { $code } was appealed once already; it cannot be appealed again.
complaint-error-appeal-reviewer = { $code } is under appeal: the grid chief (or an admin) decides.
complaint-error-merge-self = A request cannot be merged into itself.
complaint-error-bad-ref = “{ $ref }” is not a request id; for example: C12
complaint-error-handler-name = The name needs 1–{ $limit } characters.
complaint-error-handlers-grid-chief = Named handlers are managed by the grid chief.

casework-voice-title = voice message
casework-complaint-category = { complaint-category }
casework-wish-category = { wish-category }
casework-my-empty = You have no micro-wishes or requests yet. Send /wish to post a wish, /complain to report a problem.
casework-my-header = { $count ->
    [one] Your micro-wishes and requests (1 item); press one to open it:
   *[other] Your micro-wishes and requests ({ $count } items); press one to open it:
}
casework-my-complaint = { $code } · { $title } · { complaint-status }
casework-my-wish = { $code } · { $title } · { wish-status }
casework-queue-empty = Nothing is waiting in your area.
casework-queue-header = { $count ->
    [one] Queue (1 item, overdue first); press one to handle it:
   *[other] Queue ({ $count } items, overdue first); press one to handle it:
}
casework-queue-complaint = { $overdue ->
    [yes] ⚠️
   *[no] 📋
} { $code } · { complaint-category } · { $building } · { complaint-status }
casework-queue-wish = 🌱 { $code } · { wish-category } · { $building } · { wish-status }
casework-stats = 📊 Statistics for { $period } (your area)
    Requests received: { $received }
    Accepted in time: { $in_time }
    Median hours to accept: { $accept_hours }
    Median hours to resolve: { $resolve_hours }
    Resolved: { $resolved }
    Average rating: { $rating } ({ $ratings ->
        [one] 1 rating
       *[other] { $ratings } ratings
    })
    Micro-wishes: { $wishes_posted } posted, { $wishes_fulfilled } fulfilled
casework-stats-usage = Usage: /stats or /stats 2026-11 (year-month; year 2000–2100, month 1–12)
casework-offline-name-length = Write the name and flat in 1–{ $limit } characters.
casework-offline-name-words = Please write the resident's name and flat in words, e.g. “Granny Wang, unit 3, 201”.

fallback-ask = Got it. What is this? Press a button; no need to send it again:
fallback-button = { $kind ->
    [complaint] 📋 Report a problem (a request)
    [wish] 🌱 Post a micro-wish
    [comment] 💬 Comment on a topic under discussion
   *[none] ✖ None of these
}
fallback-which-topic = Comment on which topic?
fallback-dropped = All right; nothing was saved. Send /help to see what you can do.
fallback-lost = That message is no longer kept (the bot may have restarted); nothing was saved. Please send it again.
fallback-no-topics = No topic is under discussion right now.

cmd-complain = Report a problem or request
cmd-my = My wishes and requests
cmd-queue = Requests and wishes to handle
cmd-complain-for = File a request for a resident
cmd-stats = Request and wish statistics
cmd-handlers = Manage named handlers
