# Complaints and requests, queue, statistics (English)

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
complaint-similar = These requests of the same kind are already open in your building. If yours is the same, press "Me too" to follow it; otherwise press "File a new one".
complaint-ask-text = Describe the problem (1–{ $limit } characters), or send a voice message.
complaint-ask-photos = You can send up to { $limit } photos. Press "Done with photos" when finished, or "No photos".
complaint-photo-added = Photo { $count }/{ $limit } received. Send another, or press "Done with photos".
complaint-ask-location = Where is it? Send a location (📎 → Location), or write it (e.g. entrance of unit 3), or skip.
complaint-ask-anonymous = Report anonymously? Then the chiefs cannot see who you are, and you still get every update.
complaint-reprompt-text = Please describe the problem in text or a voice message.
complaint-reprompt-photo = Please send a photo, or press a button below to go on.
complaint-reprompt-location = Please send a location or a short text, or press "Skip".
complaint-reprompt-note = Please send text. Send /cancel to stop.
complaint-draft-lost = This draft has expired (the bot may have restarted); nothing was saved. Please start again.

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
complaint-button-assign = 👷 Assign
complaint-button-start = 🔧 Start work
complaint-button-resolve = ✔️ Resolved
complaint-button-merge = 🔗 Merge
complaint-button-voice = ▶️ Play voice
complaint-button-photos = 🖼 Photos ({ $count })
complaint-button-back = ← Back
complaint-button-open = Open the request
complaint-button-reopen = 🔁 Not solved: reopen
complaint-button-close = Close it
complaint-button-rate = ⭐ Rate
complaint-button-skip = Skip
complaint-button-remove-handler = Remove: { $name }

complaint-preview-title = Please check your request:
complaint-preview-offline = Entered for: { $name }
complaint-preview-anon-yes = Anonymous: yes (the chiefs cannot see who you are)
complaint-preview-anon-no = Anonymous: no

complaint-created = Received! Your request is { $code }.
    It is usually accepted within { $accept_hours } hours and resolved within { $resolve_days } days. You will get every update; /my shows it too.
complaint-metoo-done = You now follow { $code }; { $count } residents are affected. You will get its updates.

complaint-card-title = 📋 Request { $code } · { complaint-category }
complaint-card-building = Building: { $grid } · { $building }
complaint-card-anonymous = Filed by: an anonymous resident
complaint-card-author = Filed by: { $name }
complaint-card-offline = Filed by: { $name } (entered by { $chief })
complaint-card-status = Status: { complaint-status }
complaint-card-due = Due: by { $due }
complaint-card-overdue = ⚠️ Overdue (was due by { $due })
complaint-card-affected = Residents affected: { $count }
complaint-card-created = Filed: { $at }
complaint-card-text = Text: { $text }
complaint-card-voice = Text: a voice message
complaint-card-photos = Photos: { $count }
complaint-card-location = Location: { $location }
complaint-card-handler = Handled by: { $name }
complaint-card-assignee = Assigned to: { $name }
complaint-card-merged = Merged into: { $target }
complaint-card-rating = Rating: { $stars }

complaint-chief-submitted = 🔔 New request { $code }; please accept it in time.
complaint-chief-reopened = 🔁 The resident is not satisfied with { $code }; it is reopened.
complaint-chief-assigned = 👷 Request { $code } was assigned to you.

complaint-ask-reject = Why is { $code } rejected? (the resident will see it)
complaint-ask-resolve = How was { $code } resolved? (the resident will see it)
complaint-ask-resolve-photo = Send a photo of the result, or press "No photos".
complaint-ask-merge = Merge { $code } into which request? Send its id, e.g. C12.
complaint-ask-assign = Assign { $code } to:
complaint-assign-chief = 👤 { $name }
complaint-assign-handler = 🏢 { $name }
complaint-assigned = { $code } assigned to { $name }.
complaint-done = { $code } is now { complaint-status }.
complaint-merged = { $code } merged into { $target }; the residents of both will get the updates of { $target }.

complaint-update = 📋 Update on your request { $code }: { complaint-status }
complaint-update-note = Note: { $note }
complaint-update-assigned = Handed to { $name }.
complaint-update-merged = It is now handled together with { $target }; you will get the updates of { $target }.
complaint-update-auto-closed = No rating within { $days } days, so it was closed automatically.

complaint-rate-ask = Please rate the result (1–5 stars):
complaint-rated = Thank you for your rating { $stars }! { $code } is closed. Send a comment if you like, or press "Skip".
complaint-rated-low = We got your rating { $stars }. If the problem is not solved, press "Reopen"; you can also write a comment, or press "Skip".
complaint-rate-thanks = Thank you!

complaint-remind-accept = ⏰ Request { $code } is past its acceptance target ({ $due }). Please act on it.
complaint-remind-resolve = ⏰ Request { $code } is past its resolution target ({ $due }). Please act on it.
complaint-escalate-accept = ⚠️ Escalation: request { $code } is long past its acceptance target (due by { $due }). Please follow up.
complaint-escalate-resolve = ⚠️ Escalation: request { $code } is long past its resolution target (due by { $due }). Please follow up.

complaint-handlers-none = Your grid has no named handlers yet. Add one with "/handlers add NAME", e.g. /handlers add Property company
complaint-handlers-list = Named handlers of your grid:
    { $names }
    Add with "/handlers add NAME"; press a button to remove.
complaint-handlers-usage = Usage: /handlers to list; /handlers add NAME to add.
complaint-handler-added = Handler added: { $name }
complaint-handler-removed = Removed: { $name }

complaint-error-empty = The text cannot be empty.
complaint-error-note-empty = Please write a short note; it cannot be empty.
complaint-error-too-long = Too long: at most { $limit } characters, you wrote { $length }. Your draft is kept; please shorten it and send again.
complaint-error-photos = At most { $limit } photos; this one was not added. Press "Done with photos" to go on.
complaint-error-not-found = Request { $code } was not found.
complaint-error-state = Request { $code } is { complaint-status }; that is not possible now.
complaint-error-changed = Request { $code } was just changed by someone else; please open it again.
complaint-error-already-following = You already follow { $code }.
complaint-error-not-yours = This is not one of your requests.
complaint-error-not-author = Only the resident who filed it can do that.
complaint-error-rated = { $code } has already been rated.
complaint-error-reopen-late = More than { $days } days have passed; it cannot be reopened. Please file a new request.
complaint-error-merge-self = A request cannot be merged into itself.
complaint-error-bad-ref = "{ $ref }" is not a request id; for example: C12
complaint-error-handler-name = The name needs 1–{ $limit } characters.
complaint-error-handlers-grid-chief = Named handlers are managed by the grid chief.

casework-voice-title = voice message
casework-my-empty = You have no micro-wishes or requests yet. Send /wish to post a wish, /complain to report a problem.
casework-my-header = Your micro-wishes and requests ({ $count }); press one to open it:
casework-my-complaint = { $code } · { $title } · { complaint-status }
casework-my-wish = { $code } · { $title } · { wish-status }
casework-queue-empty = Nothing is waiting in your area.
casework-queue-header = Queue ({ $count } items, overdue first); press one to handle it:
casework-queue-complaint = { $overdue ->
    [yes] ⚠️
   *[no] 📋
} { $code } · { complaint-category } · { $building } · { complaint-status }
casework-queue-wish = 🌱 { $code } · { wish-category } · { $building } · { wish-status }
casework-stats = 📊 Statistics for { $period } (your area)
    Requests received: { $received }
    Accepted in time: { $in_time }%
    Median hours to accept: { $accept_hours }
    Median hours to resolve: { $resolve_hours }
    Resolved: { $resolved }%
    Average rating: { $rating } ({ $ratings } ratings)
    Micro-wishes: { $wishes_posted } posted, { $wishes_fulfilled } fulfilled
casework-stats-usage = Usage: /stats or /stats 2026-11 (year-month)
casework-offline-name-length = Write the name in 1–{ $limit } characters.

cmd-complain = Report a problem or request
cmd-my = My wishes and requests
cmd-queue = Requests and wishes to handle
cmd-complain-for = File a request for a resident
cmd-stats = Request and wish statistics
cmd-handlers = Manage named handlers
