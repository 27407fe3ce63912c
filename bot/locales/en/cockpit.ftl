# The cockpit: the web overview of figures (English)

cmd-cockpit = Open the cockpit (web overview of figures)
cockpit-not-set-up = The cockpit web page is not set up for this community yet. Ask an admin to set WEB_PUBLIC_URL.
cockpit-link =
    📊 Your cockpit sign-in link (works once, for { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }):
    { $url }

    Open it in a browser on your phone or computer and press "Open the cockpit". You stay signed in for { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }. Do not forward it to anyone.

cockpit-error-role = Only building chiefs, grid chiefs and community admins can use the cockpit.
cockpit-error-link = This sign-in link was used already or has expired. Send /cockpit to the bot in a private chat for a new one.
cockpit-error-period = That period is not valid: choose a first and a last day (the last not before the first, at most a year).
cockpit-error-filter = That filter is not valid; please choose again.
cockpit-error-outside = That is outside your area, so you cannot see it.
cockpit-error-title = Cannot show this

cockpit-title = Cockpit
cockpit-brand = Linli cockpit
cockpit-language = Language
cockpit-sign-out = Sign out
cockpit-footer = Linli · read-only overview · anonymous requests never show who filed them
cockpit-trail = Areas above
cockpit-sections = Sections
cockpit-home = Back to the start

cockpit-area-community = community
cockpit-area-grid = grid
cockpit-area-building = building
cockpit-children-community = Grids
cockpit-children-grid = Buildings
cockpit-children-building = Below

cockpit-tab-overview = Overview
cockpit-tab-trends = Trends
cockpit-tab-breakdown = Compare
cockpit-tab-requests = Requests
cockpit-tab-wishes = Micro-wishes
cockpit-tab-topics = Topics
cockpit-tab-wall = Wall screen

cockpit-period = Period
cockpit-period-week = This week
cockpit-period-month = This month
cockpit-period-quarter = This quarter
cockpit-period-custom = Custom
cockpit-from = From
cockpit-to = To
cockpit-show = Show
cockpit-period-range = Figures for { $first } to { $last }, compared with { $pfirst } to { $plast }
cockpit-previous = before:
cockpit-now = now
cockpit-see-list = See the list ›

cockpit-group-residents = Residents
cockpit-group-requests = Requests
cockpit-group-wishes = Micro-wishes
cockpit-group-topics = Deliberation
cockpit-group-points = Volunteer points and the charity shop
cockpit-group-activities = Volunteer activities
cockpit-group-notices = Notices

cockpit-fig-residents-verified = Verified residents
cockpit-fig-residents-waiting = Waiting for approval
cockpit-fig-residents-new = Newly verified
cockpit-fig-received = Requests received
cockpit-fig-resolved = Resolved
cockpit-fig-open = Open
cockpit-fig-overdue = Overdue
cockpit-fig-in-time = Accepted in time
cockpit-fig-median-accept = Median hours to accept
cockpit-fig-median-resolve = Median hours to resolve
cockpit-fig-resolved-pct = Resolved
cockpit-fig-rating = Satisfaction (out of 5)
cockpit-fig-reopen = Reopened
cockpit-fig-wishes-posted = Wishes posted
cockpit-fig-wishes-fulfilled = Wishes fulfilled
cockpit-fig-median-fulfil = Median hours to fulfil
cockpit-fig-wishes-open = Wishes waiting
cockpit-fig-topics-proposed = Topics proposed
cockpit-fig-votes-closed = Votes closed
cockpit-fig-turnout = Vote turnout
cockpit-fig-votes-open = Votes open
cockpit-fig-points-issued = Points issued
cockpit-fig-points-redeemed = Points redeemed
cockpit-fig-handed-over = Items handed over
cockpit-fig-shop-stock = Charity shop stock
cockpit-fig-activities = Activities held
cockpit-fig-volunteers = Volunteers
cockpit-fig-volunteer-hours = Volunteer hours
cockpit-fig-notices-sent = Notices delivered (groups)
cockpit-fig-notices-failed = Notices failed (groups)
cockpit-ratings = { $count ->
    [one] { $count } rating
   *[other] { $count } ratings
}
cockpit-shop-items = { $count ->
    [one] { $count } kind of item
   *[other] { $count } kinds of item
}
cockpit-stages = Topics by stage

cockpit-updated = Updated { $time }; reloads every { $seconds ->
    [one] second
   *[other] { $seconds } seconds
}
cockpit-back = Back to the overview

cockpit-trends-note = The last { $weeks ->
    [one] week
   *[other] { $weeks } weeks
}, Monday to Sunday; this week is on the right.
cockpit-trend-requests = Requests received and resolved
cockpit-trend-speed = Speed (hours)
cockpit-trend-rating = Satisfaction
cockpit-trend-wishes = Micro-wishes posted and fulfilled
cockpit-trend-points = Points issued and redeemed
cockpit-trend-volunteering = Volunteer hours
cockpit-trend-turnout = Vote turnout
cockpit-trend-notices = Notices delivered and failed
cockpit-show-table = Show the figures as a table
cockpit-col-week = Week of

cockpit-by-grid = By grid
cockpit-by-building = By building
cockpit-by-category = Requests by category
cockpit-by-wish-category = Micro-wishes by category
cockpit-col-area = Area
cockpit-col-code = Id
cockpit-col-filed = Filed
cockpit-col-grid = Grid
cockpit-col-building = Building
cockpit-col-category = Category
cockpit-col-state = State
cockpit-col-overdue = Overdue
cockpit-col-author = Filed by
cockpit-col-text = Text
cockpit-col-rating = Rating
cockpit-col-claimer = Claimed by
cockpit-col-scope = Scope
cockpit-col-title = Title
cockpit-col-supports = Supports
cockpit-col-due = Due for this stage
cockpit-col-place = Place
cockpit-col-decision = Decision

cockpit-category-parking = Parking
cockpit-category-sanitation = Sanitation and garbage sorting
cockpit-category-repairs = Repairs and facilities
cockpit-category-dispute = Neighbour dispute
cockpit-category-safety = Safety hazard
cockpit-category-noise = Noise
cockpit-category-other = Other

cockpit-request-state-active = Not closed (all)
cockpit-request-state-submitted = Submitted
cockpit-request-state-accepted = Accepted
cockpit-request-state-in-progress = In progress
cockpit-request-state-resolved = Resolved
cockpit-request-state-closed = Closed
cockpit-request-state-rejected = Rejected
cockpit-request-state-merged = Merged

cockpit-wish-category-daily = Daily help
cockpit-wish-category-companionship = Companionship
cockpit-wish-category-repairs = Repairs
cockpit-wish-category-learning = Learning
cockpit-wish-category-health = Health
cockpit-wish-category-other = Other

cockpit-wish-state-active = Not fulfilled (all)
cockpit-wish-state-open = Open
cockpit-wish-state-claimed = Claimed
cockpit-wish-state-fulfilled = Fulfilled
cockpit-wish-state-withdrawn = Withdrawn

cockpit-topic-state-proposed = Proposed
cockpit-topic-state-shortlisted = Shortlisted
cockpit-topic-state-declined = Declined
cockpit-topic-state-discussing = In discussion
cockpit-topic-state-voting = Voting
cockpit-topic-state-decided = Decided
cockpit-topic-state-implementing = Being carried out
cockpit-topic-state-done = Done

cockpit-yes = yes
cockpit-anonymous = Anonymous
cockpit-offline = { $name } (entered by a chief)
cockpit-overdue = overdue
cockpit-none = Nothing matches.
cockpit-csv = ⬇ Export CSV
cockpit-filter-state = State
cockpit-filter-category = Category
cockpit-filter-building = Building
cockpit-filter-overdue = Overdue only
cockpit-all = All
cockpit-found = { $count ->
    [one] { $count } item
   *[other] { $count } items
}
cockpit-pages = Pages
cockpit-prev-page = Previous
cockpit-next-page = Next
cockpit-page-of = Page { $page } of { $pages }
cockpit-neighbour = a neighbour of { $building }

cockpit-history = History
cockpit-nobody = The resident (anonymous) or the system
cockpit-action = { $action ->
    [submitted] Submitted
    [accepted] Accepted
    [started] Work started
    [assigned] Assigned
    [rejected] Rejected
    [resolved] Resolved
    [reopened] Reopened
    [rated] Rated
    [closed] Closed
    [merged] Merged
    [merged_in] Another request merged in
    [metoo] "Me too"
    [progress] Progress
    [comment] Comment
    [posted] Posted
    [claimed] Claimed
    [released] Released
    [fulfilled] Fulfilled
    [withdrawn] Withdrawn
    [state] Stage
   *[other] { $action }
}

cockpit-vote = Vote: { $question }
cockpit-vote-state-open = open
cockpit-vote-state-closed = closed
cockpit-vote-deadline = deadline { $time }
cockpit-vote-turnout = { $ballots ->
    [one] { $ballots } ballot
   *[other] { $ballots } ballots
} of { $eligible } eligible
cockpit-vote-secret = Secret ballot: the totals are shown once the vote is closed.

cockpit-sign-in = Sign in to the cockpit
cockpit-sign-in-as = Hello, { $name }. Press the button to open the cockpit.
cockpit-sign-in-button = Open the cockpit
cockpit-sign-in-note = This link works once. On a shared computer, press "Sign out" when you are done.
cockpit-link-invalid-title = This link no longer works
cockpit-link-invalid = This sign-in link was used already, has expired or is incomplete. Send /cockpit to the bot in a private chat for a new one.
cockpit-signed-out-title = Please sign in again
cockpit-signed-out = You are signed out, or not signed in yet.
cockpit-ended-expired = Your sign-in has expired.
cockpit-ended-role = Your role or area has changed, so you were signed out.
cockpit-how-to-sign-in = Send /cockpit to the Linli bot in a private chat and open the link it sends.
