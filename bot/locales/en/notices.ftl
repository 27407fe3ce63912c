# Notices, agendas and broadcasts (English)

cmd-notice = Post a notice or an agenda
cmd-notices = Scheduled and recurring notices

notice-ask-kind = What would you like to send?
notice-button-message = 📝 Write a notice
notice-button-agenda = 📋 Agenda (made automatically)
notice-button-cancel = ✖ Cancel
notice-button-skip = No attachment
notice-button-done = ✔ Done
notice-button-agenda-default = Every Monday 09:00 (recommended)
notice-button-other-schedule = Another time
notice-button-now = Send now
notice-button-at = At a date and time
notice-button-repeat = Recurring (daily, weekly or monthly)
notice-button-daily = Every day
notice-button-weekly = Every week (choose days)
notice-button-monthly = Every month (choose the day)
notice-button-confirm = ✅ Confirm
notice-button-recheck = 🔄 Check again
notice-button-html = ✍️ I write HTML myself
notice-button-plain = ↩ Back to plain text
notice-button-pause = ⏸ Pause
notice-button-resume = ▶️ Resume
notice-button-edit = ✏️ Edit text
notice-button-cancel-notice = ❌ Cancel notice
notice-button-report = 📊 Delivery report
notice-button-cancel-yes = Yes, cancel it
notice-button-cancel-no = No, keep it

notice-agenda-intro = The agenda is put together when it is sent: votes and meetings closing within 7 days, topics under discussion, volunteer activities with free places, micro-wishes waiting for a claimer. An empty agenda is not sent.
notice-ask-text = Send the text of the notice (at most 4,096 characters).
    Just write it: Telegram's own formatting (bold, italic, links) is kept, and signs such as < and & are shown as you type them.
    You can also send a photo or a file with a caption.
notice-ask-html = Write the notice in HTML (at most 4,096 characters).
    You may use: <b>bold</b> <i>italic</i> <u>underline</u> <a href="https://...">link</a>
    To show < write &lt;, and write & as &amp;. You can also send a photo or a file with a caption.
notice-ask-text-again = Please send text (or a photo or file with a caption). Send /cancel to stop.
notice-ask-media = Add a photo or a file? Send it to me, or press “No attachment”.
notice-ask-media-again = Please send a photo or a file, or press “No attachment” above.
notice-ask-target = Where should it go?
notice-target-all = Every bound group
notice-target-grid = { $grid } grid group
notice-target-grid-buildings = All building groups of { $grid }
notice-target-buildings = Building groups: { $buildings }
notice-target-pick = Choose buildings…
notice-list-separator = { ", " }
notice-ask-buildings = Choose buildings of { $grid } (several allowed), then press “Done”.
notice-ask-when = Target: { $target }
    When should it be sent?
notice-ask-at = When should it be sent? (community time)
    { $hint }
notice-ask-at-again = Pick a day and then a time, or type a date and time, e.g. tomorrow 3pm, 12-08 09:00.
notice-at-chosen = To be sent at: { $when }
notice-ask-repeat = How often?
notice-ask-days = On which days of the week? Choose one or more, then press “Done”.
notice-ask-month-day = Which day of the month? Press one; for the 29th to the 31st type the number (months without that day are skipped).
notice-ask-time = At what time? Press one, or type it, e.g. 9:30, 19:00, 3pm.
notice-ask-time-again = Press a time, or type one, e.g. 9:30, 19:00, 3pm.
notice-day-0 = Mon
notice-day-1 = Tue
notice-day-2 = Wed
notice-day-3 = Thu
notice-day-4 = Fri
notice-day-5 = Sat
notice-day-6 = Sun
notice-when-now = now
notice-when-once = once, at { $when }
notice-when-once-plain = once
notice-when-daily = every day at { $time }
notice-when-weekly = every week on { $days } at { $time }
notice-when-monthly = every month on day { $day } at { $time }
notice-agenda-empty-now = (The agenda is empty right now. If it is still empty when the time comes, nothing is sent.)
notice-preview-summary = Above is how the groups will see it.
    Target: { $target } ({ $groups ->
        [one] 1 group bound now
       *[other] { $groups } groups bound now
    })
    When: { $when }
notice-confirm-question = Post it?
notice-no-groups-now = ⚠️ No group is bound in this target yet, so nothing can be sent now. A grid or building chief who is an admin of the group sends /bind there; then press “Check again”.
notice-no-groups-later = ⚠️ No group is bound in this target yet. Before the time comes, a grid or building chief who is an admin of the group should send /bind there, or the notice will reach no group.
notice-still-no-groups = Still no bound group. Send /bind in the group first, then press “Check again”.
notice-sending = Notice { $id } is being sent; progress follows below.
notice-scheduled = Notice { $id } is scheduled: { $when }.
    Next run: { $next }. Send /notices to pause, edit or cancel it.
notice-card = { $id } · { $kind } · { $state }
    Target: { $target }
    When: { $when }
    Next: { $next }
    Text: { $preview }
notice-kind-message = notice
notice-kind-agenda = agenda
notice-state-scheduled = active
notice-state-paused = paused
notice-state-done = done
notice-state-cancelled = cancelled
notices-none = There are no scheduled or recurring notices in your area. Send /notice to post one.
notices-header = { $count ->
        [one] 1 scheduled or recurring notice (recently finished ones follow):
       *[other] { $count } scheduled or recurring notices (recently finished ones follow):
    }
notice-cancel-confirm = Cancel notice { $id }? This cannot be undone.
notice-ask-new-text = Send the new text of notice { $id }.
notice-edited = The text of notice { $id } is updated.
notice-report-none = Notice { $id } has not been sent yet.
notice-report-header = Deliveries of notice { $id }:
notice-report-run = { $when }: sent { $sent } / { $total }, failed { $failed }, waiting { $waiting }
notice-report-run-delayed = { $when } (sent late): sent { $sent } / { $total }, failed { $failed }, waiting { $waiting }
notice-report-missed = { $when }: missed (the bot was offline too long; not sent)
notice-report-empty = { $when }: the agenda was empty; not sent
notice-report-starting = { $when }: getting ready to send
notice-report-withheld = { $when }: not sent (its author may no longer post there); the notice is paused

notice-html-bad-tag = Formatting problem: the tag <{ $tag }> is not supported. You can use: b, i, u, s, a, code, pre, blockquote, tg-spoiler. Nothing was saved.
notice-html-link = Formatting problem: a link <a> needs an address, e.g. <a href="https://example.com">text</a>.
notice-html-span = Formatting problem: <span> can only be <span class="tg-spoiler">.
notice-html-unopened = Formatting problem: </{ $tag }> closes a tag that was never opened.
notice-html-misnested = Formatting problem: close <{ $open }> before </{ $tag }> (tags cannot cross).
notice-html-entity = Formatting problem: { $entity } is not an allowed escape. Use &lt; &gt; &amp; &quot;.
notice-html-lt = Formatting problem: the < at character { $position } is not a tag. To show a less-than sign, write &lt;, or press “Back to plain text”.
notice-html-unfinished = Formatting problem: this tag is not finished: { $tag }
notice-html-unclosed = Formatting problem: <{ $tag }> is never closed; add </{ $tag }> after it.
notice-error-too-long = Too long: { $length } characters; at most { $limit }.
notice-error-caption-long = With a photo or file the caption can have at most { $limit } characters; this one has { $length }. Shorten it, or send it without the attachment.
notice-error-empty = The notice cannot be empty.
notice-error-bad-time = I cannot read the time “{ $text }”. Write it like 9:30, 19:00 or 3pm (00:00 to 23:59).
notice-error-bad-date = I cannot read the date and time “{ $text }”. Press a day above, or write it like 12-08 09:00, 2026-12-08 09:00 or tomorrow 3pm.
notice-error-past = That time has already passed; please pick or type a time in the future.
notice-error-no-days = Choose at least one day.
notice-error-bad-day = “{ $text }” is not a day of the month: press a day, or type a number from 1 to 31.
notice-error-agenda-target = An agenda goes to one grid group or one building group.
notice-error-no-buildings = Choose at least one building.
notice-error-no-groups = No group is bound in that target yet, so nothing can be sent now. Send /bind in the group first.
notice-error-unknown = There is no notice { $id }.
notice-error-not-active = That notice has already finished or was cancelled.
notice-error-not-paused = That notice is not paused.
notice-error-agenda-text = An agenda is put together automatically; its text cannot be edited.
notice-error-telegram = Telegram does not accept this text: { $error }. Please fix it and send it again.
notice-error-draft-gone = This notice draft is gone (it expired, or was finished or cancelled elsewhere); nothing was saved. Send /notice to start again.
notice-error-old-step = This button belongs to an earlier step and no longer works. Go on with the latest message, or send /notice to start again.

notice-delayed-note = ⏰ This notice was due at { $when } and is sent late.
notice-missed = { $minutes ->
        [one] Notice { $id } was due at { $when }, but the bot was offline for more than 1 minute, so it was not sent. Post it again if it is still needed.
       *[other] Notice { $id } was due at { $when }, but the bot was offline for more than { $minutes } minutes, so it was not sent. Post it again if it is still needed.
    }
notice-withheld-author = Your notice { $id } ({ $target }) was due at { $when }, but with your current role or area you may no longer post there, so it was not sent and the notice is paused. The grid chief (or an admin) has been told.
notice-withheld-steward = Notice { $id } ({ $target }, by { $author }) was due at { $when }, but its author may no longer post there (their role or area changed), so it was not sent and the notice is paused.
    Send /notices to resume it (you then look after it) or to cancel it.

agenda-title = 📋 Agenda · { $unit }
agenda-period = { $start } to { $end }
agenda-section-notices = 📢 Coming notices
agenda-section-votes = 🗳 Votes and meetings closing soon
agenda-section-topics = 💬 Topics under discussion
agenda-section-activities = 🙋 Volunteer activities with free places
agenda-section-wishes = 🌟 Micro-wishes waiting for a claimer
agenda-detail-vote-closes = vote closes
agenda-detail-meeting = meeting at { $place }
agenda-detail-supports = { $count ->
        [one] 1 support
       *[other] { $count } supports
    }
agenda-detail-places = { $count ->
        [one] 1 place left
       *[other] { $count } places left
    }
agenda-open = Open: { $section }

outbox-progress = Sending { $ref }: sent { $sent } / { $total } · { $failed } failed · about { $seconds } s left
outbox-done = { $ref } finished: sent { $sent } / { $total } · { $failed } failed
outbox-failures = Groups that did not get it:
outbox-failures-more = { $count ->
        [one] 1 more not listed.
       *[other] { $count } more not listed.
    }
outbox-reason-interrupted = the bot stopped while sending; it may or may not have arrived (not resent, to avoid a duplicate)
outbox-reason-removed = the bot was removed or cannot post there (the group is unbound)
outbox-reason-server = Telegram server errors; gave up after several attempts
outbox-reason-other = failed: { $error }
