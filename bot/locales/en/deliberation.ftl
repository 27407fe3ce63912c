# Deliberation in four steps: topic pool, selection, discussion, vote and carrying it out (English)

cmd-propose = Propose a topic
cmd-topics = Topics and their progress
cmd-comment = Comment on a topic
cmd-pool = Topic pool selection (chiefs)
cmd-vote-new = Start a vote (chiefs)

topic-state-proposed = proposed
topic-state-shortlisted = shortlisted
topic-state-declined = declined
topic-state-discussing = in discussion
topic-state-voting = voting
topic-state-counted = vote closed, decision pending
topic-state-decided = decided
topic-state-implementing = being carried out
topic-state-done = done

topic-scope-building = Building: { $unit }
topic-scope-grid = Grid: { $unit }
topic-scope-community = Community: { $unit }
topic-pick-building = 🏠 My building
topic-pick-grid = 🏘 My grid
topic-pick-community = 🏙 The whole community

topic-button-cancel = ✖ Cancel
topic-button-confirm = ✅ Confirm
topic-button-support = 👍 Support +1
topic-button-comment = 💬 Comment
topic-button-rate = ⭐ Rate the outcome
topic-button-shortlist = ✅ Shortlist
topic-button-decline = ❌ Decline
topic-button-discuss = 💬 Start discussion
topic-button-vote = 🗳 Start a vote
topic-button-decide = 📝 Record the decision
topic-button-progress = 🔧 Post progress
topic-button-done = 🏁 Mark done
topic-button-prev = ← Previous
topic-button-next = Next →
topic-button-no-meeting = No meeting

topic-ask-title = Step 1: write the title of your topic in one sentence (at most { $limit } characters).
topic-ask-description = Step 2: describe the situation and your suggestion (at most { $limit } characters). A voice message is fine too.
topic-ask-scope = Step 3: where does this topic belong?
topic-preview = Please check your topic:
    Title: { $title }
    Description: { $description }
    Scope: { $scope }
topic-expected-text = Please send text (or a voice message). To stop, press Cancel or send /cancel.
topic-expected-button = Please press one of the buttons above. To stop, send /cancel.
topic-cancelled = Cancelled. Nothing was saved.
topic-draft-lost = This step is no longer valid (it may have been finished on another device, or the bot restarted). Nothing was saved; please start again.
topic-proposed = { $groups ->
    [0] Topic { $ref } was submitted. No group is bound in your area yet, so it was not posted; neighbours can find and support it with /topics.
    [one] Topic { $ref } was submitted and posted to 1 group, where neighbours can support it. The chiefs will review the topic pool.
   *[other] Topic { $ref } was submitted and posted to { $groups } groups, where neighbours can support it. The chiefs will review the topic pool.
}
topic-voice-description = (voice description)
topic-voice-comment = (voice comment)
topic-no-name = a neighbour
topic-place-unknown = to be announced

topic-post = 📌 Topic { $ref }: { $title }
    { $description }
    { $scope } · State: { $state }
    Support: { $support ->
        [one] 1 neighbour
       *[other] { $support } neighbours
    }
topic-supported = Supported! { $count ->
    [one] 1 neighbour supports this topic now.
   *[other] { $count } neighbours support this topic now.
}
topic-error-already-supported = You already support this topic.
topic-error-support-closed = This topic no longer collects support.
topic-error-register-first = Please message me privately with /start and get verified first.
topic-error-not-in-scope = Topic { $ref } is outside the building or grid you live in.
topic-error-no-scope = You have no building yet, so you cannot propose topics.
topic-error-not-found = Topic { $ref } was not found.
topic-error-bad-ref = “{ $ref }” is not a topic id; write it like T5 or 5.
topic-error-empty = It cannot be empty; please send it again.
topic-error-too-long = That is too long: { $length } characters, at most { $limit }. Please shorten it and send it again.
topic-error-wrong-state = This topic's current state does not allow that.
topic-error-bad-date = I cannot read that time. Press a button, or write it like 12-08 09:00, tomorrow 3pm or 2026-12-08 09:00.
topic-error-past-date = That time has passed; please choose a later one.
topic-error-too-far = That is too far ahead: choose a time within { $days ->
    [one] 1 day.
   *[other] { $days } days.
}
topic-error-not-discussing = Topic { $ref } is not in the discussion step.
topic-error-not-done = Topic { $ref } is not done yet, so it cannot be rated.
topic-error-already-rated = You have already rated it, thank you!
topic-error-vote-open = The vote is still open; record the decision after it closes.

topic-list-empty = There are no topics in your area yet. Send /propose to propose the first one.
topic-list-group-empty = There are no topics for this group's area yet.
topic-list-header = { $count ->
    [one] 1 topic
   *[other] { $count } topics
} (page { $page } of { $pages }); press one for its details and whole history:
topic-list-group = Topics of this group:
topic-list-line = { $ref } { $title } · { $state } · support { $support }

topic-card-score = Score: importance { $importance } · urgency { $urgency } · feasibility { $feasibility } · total { $total }
topic-card-discussion = Discussion ends: { $ends }
topic-card-comments = { $count ->
    [one] 1 comment
   *[other] { $count } comments
} (signed with the commenter's name):
topic-card-decision = Decision: { $decision }
topic-card-counted = The vote is closed and its result published; the chiefs are yet to record the decision.
topic-card-rating = Outcome rating: { $count ->
    [one] 1 rating
   *[other] { $count } ratings
}, { $average } stars on average
topic-card-history = History:
topic-history-line = { $time } { $state }: { $note }
topic-comment-resident = • { $name }: { $text }
topic-comment-property = • (Property company) { $name }: { $text }
topic-comment-committee = • (Owners' committee) { $name }: { $text }

topic-pool-empty = The topic pool has no topics waiting for selection.
topic-pool-header = { $count ->
    [one] 1 topic
   *[other] { $count } topics
} in the pool, by total score, then support:
topic-pool-rank = { $n }. { $ref } { $title } · score { $total } · support { $support }
topic-pool-card = { $ref } { $title }
    { $description }
    State: { $state } · support { $support } · total score { $total }
    Score importance, urgency and feasibility from 1 to 5:
topic-criterion-i = Importance
topic-criterion-u = Urgency
topic-criterion-f = Feasibility
topic-scored = Scored; total { $total }.
topic-done-shortlisted = Topic { $ref } is shortlisted and the proposer was told. Next: start the discussion.
topic-told-shortlisted = Your topic { $ref } “{ $title }” was shortlisted; a discussion will follow.
topic-told-declined = Your topic { $ref } “{ $title }” was not taken up this time. Reason: { $reason }
topic-told-discussing = Your topic { $ref } “{ $title }” is now in discussion; neighbours are invited to comment.

topic-ask-decline = Write why topic { $ref } “{ $title }” is declined (the proposer will be told):
topic-ask-decide = Write the decision on topic { $ref } “{ $title }”:
topic-ask-progress = Write the progress on topic { $ref } “{ $title }”:
topic-ask-done = Sum up how topic { $ref } “{ $title }” was carried out:
topic-preview-decline = Decline { $ref }? Reason: { $text }
topic-preview-decide = Record this decision on { $ref }?
    { $text }
    (posted to the groups and sent to the proposer, supporters and commenters)
topic-preview-progress = Post this progress on { $ref }?
    { $text }
    (posted to the groups and sent to the proposer, supporters and commenters)
topic-preview-done = Mark { $ref } as done?
    { $text }
    (residents can then rate the outcome)
topic-done-decline = Topic { $ref } is declined and the proposer was told.
topic-done-decide = The decision on { $ref } is recorded and published.
topic-done-progress = The progress on { $ref } is published.
topic-done-done = Topic { $ref } is done; residents can now rate the outcome.
topic-done-discuss = { $groups ->
    [0] Topic { $ref } is in discussion. No group is bound in its area yet; residents can comment with /comment.
    [one] Topic { $ref } is in discussion and was posted to 1 group.
   *[other] Topic { $ref } is in discussion and was posted to { $groups } groups.
}

topic-days = { $days ->
    [one] 1 day
   *[other] { $days } days
}
topic-ask-discussion-end = When does the discussion of { $ref } end? A button such as “7 days” works too.
topic-ask-meeting = The discussion ends { $ends }. Hold a discussion meeting? Choose its time, or press “No meeting”.
topic-ask-place = Where is the meeting? Type the place (at most { $limit } characters), e.g. the community hall.
topic-preview-discuss = Start the discussion of { $ref }?
    Discussion ends: { $ends }
    { $meeting }
topic-discussion-post = 💬 Topic { $ref } is in discussion: { $title }
    { $description }
    { $scope }
    Discussion ends: { $ends }
    { $meeting }
topic-discussion-invite = Press the button below to comment in a private chat (comments are shown with your name). The views of the property company and the owners' committee are published too.
topic-discussion-over = (The discussion is over; no more comments are taken.)
topic-meeting-line = Meeting: { $time }, at { $place }
topic-meeting-none = No meeting this time; please comment online.
topic-meeting-reminder = ⏰ The discussion meeting starts { $time }, in { $left }: topic { $ref } “{ $title }”
    Place: { $place }
topic-when-today = today at { $time }
topic-when-tomorrow = tomorrow at { $time }
topic-when-date = on { $time }
topic-left-minutes = { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}
topic-left-hours = { $hours ->
    [one] 1 hour
   *[other] { $hours } hours
}{ $minutes ->
    [0] {""}
    [one] {" "}1 minute
   *[other] {" "}{ $minutes } minutes
}
topic-left-days = { $days ->
    [one] 1 day
   *[other] { $days } days
}

topic-comment-none = There is no topic in discussion in your area right now.
topic-comment-which = Which topic do you want to comment on?
topic-ask-label = On whose behalf do you comment on { $ref } “{ $title }”?
topic-label-resident = My own view
topic-label-property = The property company's view
topic-label-committee = The owners' committee's view
topic-ask-comment = Write your comment on { $ref } “{ $title }” (at most { $limit } characters), or send a voice message.
    It is shown publicly with your name, “{ $name }”. One each; sending again replaces it.
topic-comment-preview = Your comment on { $ref }:
    { $text }
    { $label ->
        [property] It is shown on the topic's card as the property company's view, with your name, “{ $name }”.
        [committee] It is shown on the topic's card as the owners' committee's view, with your name, “{ $name }”.
       *[other] It is shown on the topic's card with your name, “{ $name }”.
    } Publish it?
topic-commented = Thank you! Your comment on { $ref } is published.
topic-comment-updated = Your comment on { $ref } is updated.

topic-announce-decided = 📝 Decision on topic { $ref } “{ $title }”:
    { $text }
topic-announce-progress = 🔧 Progress on topic { $ref } “{ $title }”:
    { $text }
topic-announce-done = 🏁 Topic { $ref } “{ $title }” is done:
    { $text }
    Please rate the outcome (1–5 stars).
topic-ask-rating = Please rate how this topic was carried out:
topic-rated = Thank you! You gave { $stars ->
    [one] 1 star.
   *[other] { $stars } stars.
}

vote-option = { $n }. { $label }
vote-option-count = { $n }. { $label } — { $count ->
    [one] 1 vote
   *[other] { $count } votes
}
vote-quoted = “{ $label }”
vote-list-separator = {", "}
vote-rule-single = single choice
vote-rule-multiple = multiple choice (up to { $max })
vote-rule-change = ballots can be changed before the deadline
vote-rule-final = ballots are final
vote-rule-live = running totals shown
vote-rule-hidden = totals shown after the deadline
vote-post = 🗳 Vote · topic { $ref } “{ $title }”
    { $question }
    { $options }
    Voted: { $turnout } of { $eligible ->
        [one] 1 eligible resident
       *[other] { $eligible } eligible residents
    }
    Deadline: { $deadline } · quorum { $quorum }% ({ $needed } needed)
    { $rules } · secret ballot, only totals are shown
vote-post-closed = 🗳 Vote closed · topic { $ref } “{ $title }”
    { $question }
    { $options }
    Voted: { $turnout } of { $eligible ->
        [one] 1 eligible resident
       *[other] { $eligible } eligible residents
    }
    Deadline: { $deadline } · quorum { $quorum }% ({ $needed } needed)
vote-button-ballot = 🗳 Vote (private ballot)
vote-button-submit = ✅ Submit my ballot
vote-button-close = ⏹ Close the vote now
vote-button-close-confirm = ⏹ Yes, close it now
vote-ballot = Topic { $ref }: { $question }
    Choose up to { $max }, then press “Submit my ballot”. The ballot is secret.
vote-ballot-sent = Your ballot was sent to our private chat.
vote-cast-new = ✅ Your vote is recorded. It is secret; only totals are counted.
vote-cast-changed = ✅ Your vote is changed.
vote-cast-same = You already chose this.

vote-error-not-eligible = Only verified residents of this area can take part in this vote. Nothing was recorded.
vote-error-closed = This vote is closed.
vote-error-not-found = This vote was not found.
vote-error-bad-option = There is no such option. Nothing was recorded.
vote-error-already-voted = You have already voted, and ballots cannot be changed in this vote.
vote-error-cannot-change = Your ballot cannot be changed right now; your earlier ballot still counts.
vote-error-choose-one = Please choose at least one option.
vote-error-too-many = You can choose at most { $max }.
vote-error-open-private = Please open a private chat with me and send /start, then vote again.
vote-error-topic-state = Topic { $ref } is not in discussion, so no vote can be started.
vote-error-empty-question = The question cannot be empty; please type it again (at most { $limit } characters).
vote-error-option-count = A vote needs 2 to 10 options; you wrote { $count }. Please send one option per line, or separate them with commas.
vote-error-option-long = Each option can have at most { $limit } characters; “{ $option }…” has { $length }. Please shorten it.
vote-error-option-duplicate = Options must differ; please send them again.
vote-error-bad-quorum = The quorum is a whole number from 0 to 100 (percent), e.g. 30.

vote-new-none = There is no topic in discussion in your area. A vote can be started once a topic is in discussion (shortlist it and start the discussion in /pool).
vote-new-which = Which topic is the vote on?
vote-ask-question = A vote on topic { $ref } “{ $title }”.
    Step 1: type the question.
vote-ask-options = Step 2: type the options ({ $min } to { $max }), one per line or separated by commas. For example:
    Agree, Disagree, Abstain
vote-ask-kind = Step 3: single or multiple choice?
vote-kind-single = Single choice
vote-kind-multiple = Multiple choice
vote-ask-max = How many options may a resident choose at most?
vote-ask-deadline = Step 4: when does the vote close? A button such as “1 day” works too.
vote-ask-quorum = Step 5: the quorum (percent of the verified residents in scope)? Press a button or type a whole number from 0 to 100.
vote-ask-change = Step 6: may residents change their ballot before the deadline?
vote-change-yes = Ballots can be changed
vote-change-no = Ballots are final
vote-ask-live = Last: show running totals while the vote is open? (Hiding them avoids swaying later voters; turnout is always shown.)
vote-live-hidden = Show totals after the deadline
vote-live-shown = Show running totals
vote-preview = Please check the vote (topic { $ref }):
    { $question }
    { $options }
    { $kind } · deadline { $deadline } · quorum { $quorum }%
    { $change } · { $live }
vote-created = { $groups ->
    [0] The vote is open. No group is bound in the area of topic { $ref } yet; residents can vote on the topic's card (/topics). It is counted and published automatically at the deadline.
    [one] The vote is open and was posted to 1 group of topic { $ref }. It is counted and published automatically at the deadline.
   *[other] The vote is open and was posted to { $groups } groups of topic { $ref }. It is counted and published automatically at the deadline.
}
vote-close-confirm = Close the vote “{ $question }” now? The result is counted and published at once; this cannot be undone.
vote-closed-early = The vote is closed; the result is being published.

vote-chart-title = Vote result · topic { $ref }
vote-result = 📊 Vote result · topic { $ref } “{ $title }”
    { $question }
    { $options }
    Voted: { $turnout } / { $eligible } ({ $percent }%)
    { $quorum }
    { $outcome }
vote-result-winner = Result: “{ $label }” got the most votes.
vote-result-tie = Result: a tie between { $labels }.
vote-result-no-votes = Result: nobody voted.
vote-quorum-met = Quorum reached ({ $quorum }%, { $needed } needed).
vote-quorum-missed = Quorum not reached ({ $quorum }%, { $needed } needed); the result is advisory only.
vote-reminder = ⏰ Reminder: the vote on topic { $ref } “{ $title }” closes { $deadline }, in { $left }, and you have not voted yet.
    { $question }
