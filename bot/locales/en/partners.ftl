# Building the community together: partner units, the three lists, reports back, mobile grid members (English)

cmd-partners = Partner units, needs and projects
home-needs = 🧾 Needs
home-projects = 🧩 Projects
home-partners = 🤝 Partners
cmd-snap = Snap and report a hazard

## Common

partner-button-cancel = ✖ Cancel
partner-button-skip = Skip
partner-button-confirm = ✅ Confirm
partner-button-menu = ↩️ Partner menu
partner-button-back = ↩️ Back
partner-button-keep = No, keep it
partner-saved = Saved.
partner-error-text-length = Please write 1–{ $limit } characters.
partner-error-draft-lost = This draft has expired (the bot may have restarted); nothing was saved. Please start again from the menu.
partner-error-not-member = This is for members of partner units only.
partner-error-not-your-unit = That is not your unit, so you cannot open it.
partner-error-not-manager = Only the unit's contact or a community admin can do that.
partner-error-self = You cannot do that to yourself.
partner-error-handled = That has been handled already.

## The menu

partner-menu-title = 🤝 Building the community together
partner-menu-contact = You are the contact of “{ $unit }”.
partner-menu-member = You have reported in as a member of “{ $unit }”.
partner-menu-pending = Your request to join “{ $unit }” is waiting for the unit's contact.
partner-menu-mobile = You are a mobile grid member: when you see a hazard, snap and report it.
partner-menu-nothing = There is nothing here for you yet.
partner-section-unit = 🏢 My unit
partner-section-tasks = 🙋 Tasks to sign up for
partner-section-hours = ⏱ My hours and points
partner-section-adopt = 🌱 Adopt a micro-wish
partner-section-snap = 📷 Snap and report
partner-section-needs = 📋 Needs list
partner-section-projects = 🧩 Projects list
partner-section-units = 🏢 Partner units
partner-section-mobile = 🛵 Mobile grid members

## Partner units

partner-unit-kind = { $kind ->
    [government] government office
    [school] school
    [hospital] hospital
    [company] company
    [property] property company
    [social] social organisation
   *[other] other
}
partner-unit-state-name = { $state ->
    [invited] waiting for the contact to accept
    [active] partner
   *[left] left
}
partner-units-title = 🏢 The community's partner units:
partner-units-none = No partner unit is registered yet.
partner-unit-line = { $code } { $name } · { partner-unit-state-name }
partner-button-new-unit = ➕ Register a unit
partner-unit-ask-name = The unit's name (1–{ $limit } characters):
partner-unit-ask-kind = What kind of unit is it?
partner-unit-ask-address = The unit's address (1–{ $limit } characters), or press “Skip”.
partner-unit-ask-contact = The name of the unit's contact person (1–{ $limit } characters). You will get an invitation link to send them.
partner-unit-preview = Please confirm:
    Unit: { $name } ({ partner-unit-kind })
    Address: { $address }
    Contact: { $contact }
partner-unit-registered = { $code } { $name } is registered.
    Send this link to { $contact }: whoever opens it becomes the unit's contact with the community. It works once, until { $until }:
    { $link }
partner-error-unit-exists = There is a unit named “{ $name }” already; nothing was registered.
partner-error-unit-not-found = There is no unit { $code }.
partner-error-unit-left = “{ $unit }” has left the partnership.
partner-unit-title = 🏢 { $code } { $name } ({ partner-unit-kind })
partner-unit-address = Address: { $address }
partner-unit-contact = Contact: { $name }
partner-unit-contact-invited = Contact: { $name } (has not accepted the invitation yet)
partner-unit-state = Status: { partner-unit-state-name }
partner-unit-members = Members: { $count } ({ $pending } waiting for approval)
partner-unit-resources = { $count ->
    [one] 1 resource offered
   *[other] { $count } resources offered
}
partner-unit-you-pending = Your request to join is waiting for the contact.
partner-unit-action-members = 👥 Members
partner-unit-action-link = 🔗 Members' link
partner-unit-action-resources = 🎁 Resources
partner-unit-action-invite = ✉️ Invite the contact again
partner-unit-action-leave = 🚪 Leave the unit
partner-unit-action-end = ⛔ End the partnership
partner-unit-contact-link = A new invitation for the contact of “{ $name }” (earlier unused links no longer work). It works once, until { $until }:
    { $link }
partner-unit-members-link = The members' link of “{ $name }”: forward it to your colleagues (the earlier link no longer works). It works until { $until }; you approve everyone who opens it:
    { $link }

## Invitations and reporting in

partner-error-invite-invalid = This invitation link no longer works (used, expired or replaced). Please ask whoever sent it for a new one.
partner-error-pending-application = Your application to live in a building is still waiting for a chief. Once approved, please open this link again.
partner-error-already = You have reported in already; there is nothing more to do.
partner-error-other-unit = You are a member of “{ $unit }”. One person reports in with one unit: please leave it first.
partner-contact-welcome = Welcome! You are now the contact of “{ $unit }” with the community: you manage the unit's members and resources.
partner-mobile-welcome = Welcome, mobile grid member! When you see a hazard, press “📷 Snap and report”; confirmed reports earn volunteer points.
partner-join-sent = Your request to join “{ $unit }” went to the unit's contact; you will be told once they decide.
partner-party-ask = Are you a party member in service? Only the community's admins see this; you can change it later under “My unit”.
partner-button-party-yes = Yes, party member in service
partner-button-party-no = No
partner-party-yes = Recorded: party member in service (seen by the community's admins only).
partner-party-no = Recorded: not a party member in service.
partner-join-request = 📝 { $name } ({ $username }) asks to report in as a member of “{ $unit }”.
partner-button-approve = ✅ Approve
partner-button-reject = ✖ Turn down
partner-join-approved = 🎉 The contact of “{ $unit }” approved you. You can now sign up for project tasks and adopt micro-wishes.
partner-join-rejected = The contact of “{ $unit }” turned down your request. Please ask them directly if this is a mistake.
partner-review-approved = ✅ { $name } has joined “{ $unit }”.
partner-review-rejected = You turned down { $name }'s request to join “{ $unit }”.

## Members

partner-members-title = 👥 “{ $unit }” has { $count ->
    [one] 1 member
   *[other] { $count } members
}:
partner-members-party-note = ☭ marks party members in service (shown to community admins only).
partner-member-pending-label = ⏳ { $name }
partner-member-party-label = ☭ { $name }
partner-member-state-name = { $state ->
    [pending] waiting for approval
    [active] member
    [left] left
   *[rejected] turned down
}
partner-member-card = 👤 { $name } ({ $username })
    Status: { partner-member-state-name }
    Reported in: { $since }
partner-member-party = Party member in service: { $value ->
    [yes] yes
   *[no] no
}
partner-button-remove = 🚪 Take off the unit
partner-button-remove-yes = Yes, take them off
partner-remove-ask = Take { $name } off the unit? Their sign-ups for project tasks are cancelled and the wishes they adopted for the unit go back to the pool.
partner-removed = { $name } is no longer a member of “{ $unit }”.
partner-removed-you = The contact of “{ $unit }” took you off the unit. Your past hours stay on record.
partner-error-contact-leaves = You are the unit's contact and cannot just leave: ask a community admin to invite a new contact, or end the partnership.
partner-leave-ask = Leave “{ $unit }”? Your sign-ups for project tasks are cancelled and the wishes you adopted for the unit go back to the pool. Your past hours stay on record.
partner-button-leave-yes = Yes, leave
partner-left = You have left “{ $unit }”. Thank you for everything you did for the community!
partner-end-ask = End the partnership of “{ $unit }”? All { $count ->
        [one] 1 member leaves
       *[other] { $count } members leave
    }, its resources are withdrawn and its links stop working. This cannot be undone.
partner-button-end-yes = Yes, end the partnership
partner-ended = “{ $unit }” has ended its partnership. Its history and reports are kept.
partner-ended-you = “{ $unit }” has ended its partnership with the community, and with it your membership. Thank you!

## Resources list

cmd-needs = Needs list
resource-kind = { $kind ->
    [venue] venue
    [service] professional service
    [goods] goods
    [money] money
   *[volunteers] volunteers
}
resource-title = 🎁 Resources of “{ $unit }”:
resource-none = No resource is listed yet.
resource-line = • { $code } · { resource-kind }: { $title }
resource-quantity = { $kind ->
    [money] { " " }({ $count } yuan)
    [volunteers] { " " }({ $count ->
        [one] 1 volunteer
       *[other] { $count } volunteers
    })
    [venue] { " " }(room for { $count ->
        [one] 1 person
       *[other] { $count } people
    })
   *[other] { " " }({ $count ->
        [one] 1 item
       *[other] { $count } items
    })
}
resource-button-add = ➕ List a resource
resource-button-withdraw = Withdraw { $code }
resource-withdrawn = { $code } is withdrawn.
resource-ask-kind = What kind of resource?
resource-ask-title = Describe this { resource-kind } in a line (1–{ $limit } characters), e.g. “meeting room on the 3rd floor”, “free clinic”, “legal advice”.
resource-ask-details = When it is available and its limits (1–{ $limit } characters), e.g. “Saturdays 9–12, book 3 days ahead”. Or press “Skip”.
resource-ask-quantity = { $kind ->
    [money] How many yuan? A whole number from 1 to { $limit }, or press “Skip”.
    [volunteers] How many volunteers? A whole number from 1 to { $limit }, or press “Skip”.
    [venue] How many people does it hold? A whole number from 1 to { $limit }, or press “Skip”.
   *[other] How many? A whole number from 1 to { $limit }, or press “Skip”.
}
resource-error-quantity = Please enter a whole number from 1 to { $limit } (digits only).
resource-preview = Please confirm:
    Kind: { resource-kind }
    What: { $title }
    Availability and limits: { $details }
    How many: { $quantity }
resource-added = Resource { $code } is listed: { $title }. The community can match it in a project.

## Needs list

need-category = { $category ->
    [elderly] the elderly
    [children] children
    [health] health
    [repairs] repairs
    [environment] environment
    [culture] culture and sports
    [safety] safety
    [legal] legal help
   *[other] other
}
need-urgency = { $urgency ->
    [high] 🔴 urgent
    [normal] 🟡 normal
   *[low] 🟢 can wait
}
need-state-name = { $state ->
    [open] waiting for a match
    [matched] matched in a project
    [in_progress] project under way
    [met] met
   *[declined] declined
}
need-scope-name = { $scope ->
    [building] building
    [grid] grid
   *[community] whole community
}
need-list-title = 📋 Needs list (open one for details):
need-list-none = 📋 The needs list has no open needs right now.
need-line = { $code } · { need-urgency } · { $title }
need-button-add = ➕ Add a need
need-button-support = 👍 Support
need-button-decline = Decline this need
need-card-title = 📋 { $code } · { need-category }
need-card-scope = Scope: { need-scope-name } { $place }
need-card-urgency = Urgency: { need-urgency }
need-card-state = Status: { need-state-name }
need-card-beneficiaries = Who benefits: { $who }
need-card-source = From: { $kind ->
    [wish] micro-wish
    [complaint] request
   *[topic] topic
} { $code }
need-card-support = { $count ->
    [one] 1 supporter
   *[other] { $count } supporters
}
need-card-projects = Projects: { $codes }
need-card-reason = Declined because: { $reason }
need-card-supported = You support it.
need-supported = You support { $code }; { $count ->
    [one] 1 supporter
   *[other] { $count } supporters
} now.
need-ask-reason = Why is { $code } declined (1–{ $limit } characters)? Residents see the reason.
need-declined = { $code } is declined.
need-error-not-found = There is no need { $code }.
need-error-not-visible = That need is not open to you.
need-error-supported = You support { $code } already.
need-error-not-in-scope = Only residents of the need's scope can support it.
need-error-state = { $code } is “{ need-state-name }” now, so that cannot be done.
need-error-changed = { $code } was changed by someone else just now; please open it again.
need-error-source-taken = { $code } has a need already; nothing was added.
need-error-ref = Please press a button above, or type an id such as { $letter }12.
need-ask-source = A new need: where does it come from?
need-source-W = 🌱 From a micro-wish
need-source-C = 📣 From a request
need-source-T = 🗣 From a topic
need-source-- = ✏️ Enter it directly
need-ask-pick = Pick one (or type its id, e.g. { $letter }12):
need-ask-pick-none = Nothing recent to pick in your area; you can type an id such as { $letter }12.
need-ask-title = The need's title (1–{ $limit } characters); residents and partner units see it.
need-suggestion = Or use: “{ $text }”
need-button-use-suggestion = Use this title
need-ask-category = Which category?
need-ask-place = What is the need's scope?
need-place = { need-scope-name } { $place }
need-ask-beneficiaries = Who benefits (1–{ $limit } characters), e.g. “12 elderly people living alone”? Or press “Skip”.
need-ask-urgency = How urgent is it?
need-preview = Please confirm the new need:
    Title: { $title }
    Category: { need-category }
    Scope: { need-scope-name } { $place }
    Who benefits: { $who }
    Urgency: { need-urgency }
    From: { $source }
need-added = ✅ Added to the needs list: { $code }.

## Projects list

cmd-projects = Projects list
partner-button-next = Next ›
project-state-name = { $state ->
    [planned] being prepared
    [active] under way
    [done] done
   *[cancelled] called off
}
project-list-title = 🧩 Projects list (open one for details):
project-list-none = 🧩 The projects list is empty.
project-line = { $code } · { project-state-name } · { $title }
project-button-add = ➕ New project
project-button-start = 🚀 Start it
project-button-progress = 📢 Post progress
project-button-task = ➕ Add a task
project-button-done = 🎉 Done: publish the result
project-button-cancel = ⛔ Call it off
project-button-cancel-yes = Yes, call it off
project-card-title = 🧩 { $code } · { $title }
project-card-goal = Goal: { $goal }
project-card-scope = Scope: { $place }
project-card-lead = Lead unit: { $unit }
project-card-dates = Dates: { $start } to { $end }
project-card-state = Status: { project-state-name }
project-card-needs = Needs met: { $needs }
project-card-resources = Resources used: { $resources }
project-card-tasks = { $count ->
    [one] 1 task (buttons below)
   *[other] { $count } tasks (buttons below)
}
project-card-result = Result: { $result }
project-card-rating = Residents' rating: { $average } stars ({ $count ->
    [one] 1 rating
   *[other] { $count } ratings
})
project-whole-community = whole community
project-started = { $code } is under way; the groups were told.
project-cancel-ask = Call off project { $code } “{ $title }”? Its needs go back to waiting for a match.
project-cancelled = Project { $code } is called off; its needs are back on the needs list.
project-ask-progress = The latest progress of { $code } (1–{ $limit } characters); it is posted to the groups concerned:
project-ask-done = The result of { $code } (1–{ $limit } characters); it is published in the groups concerned for residents to rate:
project-done = { $code } is done and its result published.
project-progress-posted = The progress of { $code } is posted to the groups concerned.
project-rated = Thank you! { $code } has { $average } stars now ({ $count ->
    [one] 1 rating
   *[other] { $count } ratings
}).
project-error-not-found = There is no project { $code }.
project-error-not-visible = That project is not open to you.
project-error-not-in-scope = Only residents of the project's scope can rate it.
project-error-rated = You have rated { $code } already.
project-error-state = { $code } is “{ project-state-name }” now, so that cannot be done.
project-error-changed = The project was changed by someone else just now; please open it again.
project-error-unit = That unit cannot lead a project now; please choose again.
project-error-no-needs = Please tick at least one need.
project-error-no-units = No partner unit is active yet: an admin registers units first.
project-error-dates = The end must come after the start, and not in the past.
project-error-date = Please pick or type a time in the future, e.g. “12-08 09:00” or “tomorrow 3pm”.
project-ask-title = A new project: its name (1–{ $limit } characters)?
project-ask-goal = Its goal (1–{ $limit } characters)?
project-ask-grid = Its scope?
project-ask-lead = Which partner unit leads it?
project-ask-needs = Which needs does it meet? Tick them, then press “Next”.
project-ask-needs-none = There is no need waiting for a match in your area. Add needs to the needs list first.
project-ask-resources = Which resources does it use? Tick them (or none), then press “Next”.
project-ask-resources-none = No resource is available on the list now; press “Next”.
project-ask-starts = When does it start?
project-ask-ends = When does it end?
project-preview = Please confirm the new project:
    Name: { $title }
    Goal: { $goal }
    Needs: { $needs }
    Resources: { $resources }
    Dates: { $start } to { $end }
project-created = ✅ Project { $code } is set up and posted to the groups concerned.
project-post-created = 🧩 New project { $code }: { $title }
    Goal: { $goal }
    Lead unit: { $note }
    Dates: { $start } to { $end }
project-post-started = 🚀 Project { $code } “{ $title }” is under way!
project-post-progress = 📢 Progress of project { $code } “{ $title }”:
    { $note }
project-post-done = 🎉 Project { $code } “{ $title }” is done. The result:
    { $note }
    Residents, please rate it (1–5 stars):

## Tasks

task-button-open = 🙋 { $code } { $title }
task-hours = { $hours } h
task-ask-title = A task for { $code }: its name (1–100 characters)?
task-ask-place = Where (1–200 characters)?
task-ask-starts = When does it start?
task-ask-hours = How long? Press a button or type the hours (e.g. 1.5, at most 24).
task-error-hours = Please enter more than 0 and at most { $max } hours, e.g. 2 or 1.5.
task-ask-capacity = How many people (1–{ $limit })?
task-ask-points = Points per person (0–{ $limit })?
task-error-number = Please enter a whole number from { $low } to { $high } (digits only).
task-preview = Please confirm the task:
    Name: { $title }
    Place: { $place }
    Length: { $hours } h
    People: { $capacity }
    Points: { $points } per person
task-added = ✅ Task { $code } “{ $title }” is added. Partner members and residents can sign up; check-in, hours and points work as for volunteer activities.
task-list-title = 🙋 Project tasks you can sign up for:
task-list-none = 🙋 There is no project task to sign up for now.
task-card = 🙋 { $code } · { $title } (project { $project })
    When: { $time }
    Where: { $place }
    Places taken: { $taken }/{ $capacity }
    Points: { $points } per person
task-status = { $status ->
    [going] ✅ You are signed up
    [waiting] ⏳ You are on the waiting list
   *[walk_in] ✅ You checked in
}
task-button-join = 🙋 Sign up
task-button-leave = Cancel my sign-up
task-joined = { $status ->
    [going] You are signed up!
   *[waiting] It is full: you are on the waiting list.
}
task-left = Your sign-up is cancelled.
task-hours-summary = ⏱ My service
    This month: { $month_tasks ->
        [one] 1 task
       *[other] { $month_tasks } tasks
    }, { $month_hours } h
    This year: { $year_tasks ->
        [one] 1 task
       *[other] { $year_tasks } tasks
    }, { $year_hours } h, { $year_wishes ->
        [one] 1 micro-wish
       *[other] { $year_wishes } micro-wishes
    } fulfilled for the unit
    Points balance: { $points } ({ $earned } earned this month)
task-checked-in = ✅ Checked in: { $title }.
task-checkin-usage = Send the 6-digit code the organiser gave you, e.g. /checkin 123456.

## A unit adopts a micro-wish

adopt-list-title = 🌱 Micro-wishes waiting to be claimed (open one):
adopt-list-none = 🌱 No micro-wish is waiting to be claimed now.
adopt-explain = Adopted for “{ $unit }”, you fulfil it; once its author confirms, the points are yours and it counts in the unit's reports.
adopt-button = 🙋 Adopt for “{ $unit }”
adopt-done = ✅ You adopted { $code } for “{ $unit }”; its details were sent to you. Once fulfilled, its author confirms it under /my.

## Mobile grid members and snap-and-report

mobile-kind = { $kind ->
    [rider] delivery rider
    [courier] courier
    [property] property staff
    [sanitation] sanitation worker
   *[other] other
}
mobile-title = 🛵 { $count ->
    [one] 1 mobile grid member
   *[other] { $count } mobile grid members
} (press a name to take them off):
mobile-none = 🛵 No mobile grid members yet. Delivery riders, couriers, property and sanitation staff can be invited.
mobile-line = { $name } · { mobile-kind } · { $grid }
mobile-button-invite = ➕ Invite a mobile grid member
mobile-ask-kind = What do they do?
mobile-ask-grid = Which grid do they cover?
mobile-invited = Send this link to the person you invite: opening it makes them a mobile grid member. It works once, until { $until }:
    { $link }
mobile-remove-ask = Take { $name } off the mobile grid members?
mobile-removed = { $name } is no longer a mobile grid member.
mobile-removed-you = You are no longer a mobile grid member of the community. Thank you for your help!
snap-ask-photo = 📷 Snap and report: send a photo of the hazard.
snap-error-photo = Please send a photo (or press “Cancel”).
snap-ask-place = Where is it? Press a building below, or send your location (📎 → Location).
snap-error-place = Please press a building, or send a location.
snap-no-building = No building with coordinates lies within { $meters } m of you; please press a building.
snap-found = 📍 Nearest building: { $place } (about { $meters } m).
snap-ask-note = Add a line (1–{ $limit } characters) or a voice message, or press “Nothing to add”.
snap-button-no-note = Nothing to add
snap-ask-name = Show your name with the report? Anonymously (tree hole), not even the grid chief sees who reported it.
snap-button-anonymous = 🕶 Report anonymously
snap-button-named = Show my name
snap-preview = Please confirm:
    Place: { $place }
    Photo: yes
    Note: { $note }
    Voice: { $voice ->
        [yes] yes
       *[no] no
    }
    { $anonymous ->
        [yes] Anonymous
       *[no] With your name
    }
snap-button-send = 📤 Report
snap-sent = ✅ Reported as { $code }; it went to the grid and building chiefs of the place. Once confirmed, you earn volunteer points.
snap-settled-credited = 🎉 Your hazard report { $code } was taken on: { $points } volunteer points. Thank you!
snap-settled-capped = Your hazard report { $code } was taken on, thank you! You reached this month's limit of snap-and-report points, so it earns none.
snap-settled-unconfirmed = Your report { $code } was not taken on, so it earns no points. Thank you for keeping an eye out all the same!
snap-error-not-mobile = Only mobile grid members snap and report. Ask your grid chief for an invitation link.

## Reports back to the units

report-monthly = 📊 “{ $unit }”: report for { $period }
    Members: { $members } ({ $active } took part)
    Tasks: { $tasks }, { $hours } h in all
    Micro-wishes fulfilled: { $wishes }
    Projects led: { $led }; projects joined: { $joined }
    Residents' rating: { $average } stars ({ $ratings ->
        [one] 1 rating
       *[other] { $ratings } ratings
    })
    Each member's line is in the attached CSV (opens in Excel or WPS). Thank you for supporting the community!
partner-export-usage = Usage: /export partners 2026 (this year when no year is given).
partner-export-year = The year is four digits between { $low } and { $high }, e.g. /export partners 2026.
partner-export-units = 📊 Evaluation of the partner units, { $year } ({ $count ->
    [one] 1 unit
   *[other] { $count } units
}).
partner-export-members = 👥 Members and party members in service, { $year } ({ $count ->
    [one] 1 member
   *[other] { $count } members
}). { $remind ->
    [0] Everyone took part in every quarter so far.
    [one] 1 member joined nothing in a quarter; marked in the table for a private reminder (never name anyone in a group).
   *[other] { $remind } members joined nothing in a quarter; marked in the table for a private reminder (never name anyone in a group).
}

## The cockpit

partner-cockpit-group = Building the community together
partner-cockpit-units = Partner units
partner-cockpit-members = Members reported in
partner-cockpit-members-active = Members who took part
partner-cockpit-tasks = Tasks attended by members
partner-cockpit-hours = Members' hours
partner-cockpit-projects-live = Projects under way
partner-cockpit-projects-done = Projects done
partner-cockpit-mobile-members = Mobile grid members
partner-cockpit-hazard-reports = Snap-and-report hazards
partner-button-party = ☭ Party member in service?
partner-unit-you-party = Your party-member registration: { $value ->
    [yes] yes
   *[no] no
} (seen by the community's admins only)
partner-separator = { ", " }
project-resource = { $code } { $title } ({ $unit })
