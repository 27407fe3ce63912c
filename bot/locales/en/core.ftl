# Foundation: registration, approval, home menu, help, language, group binding, errors (English)

throttled = That was too fast. Please wait a moment and try again.

start-greeting = Hello! Welcome to Linli, your community assistant.
start-pick-grid = Step 1: choose your grid.
start-pick-building = Step 2: choose your building ({ $grid }).
start-grid-empty = This grid has no buildings yet. Please choose another grid.
start-no-structure = The community has no grids or buildings yet. Please contact the community admin.
start-applied = Sent! You asked to join { $grid } · { $building }.
    You will be told when a building or grid chief has checked it.
start-pending = Your application is waiting for approval: { $grid } · { $building }.
    You will be told when it is approved.
start-welcome-back = Welcome back, { $name }!
    The “🏠 Menu” button below the input field opens the main menu at any time.
start-blocked = Your account has been blocked. Please contact your grid chief.
start-approved = Approved! You are now a verified resident of { $grid } · { $building }.
    Press “Open the main menu” below to begin.
start-rejected = Sorry, your application to join { $grid } · { $building } was not approved.
    If something was wrong, send /start to choose again.

expected-button = Please press one of the buttons above. Send /cancel to stop.
free-text-hint = I did not understand that. Send /help to see what you can do.
unknown-command = There is no such command. Send /help to see the commands you can use.

review-request = A new resident asks to be verified:
    Name: { $name } ({ $username })
    Building: { $grid } · { $building }
    Please check, then approve or reject.
review-approved = ✅ Approved: { $name } ({ $grid } · { $building }), by { $chief }.
review-rejected = ❌ Rejected: { $name } ({ $grid } · { $building }), by { $chief }.
button-approve = ✅ Approve
button-reject = ❌ Reject
button-back = ← Back
button-open-private = Open private chat

help-header = The “🏠 Menu” button below the input field is the easiest way. You can also send these commands:
help-header-unverified = You are not verified yet. For now you can use these commands:
help-header-group = In this group you can use:
help-group-footer = For everything else, talk to me in a private chat.
help-unverified-footer = Send /start to choose your building; once approved you can use everything.
help-section-wishes = — Helping neighbours: micro-wishes —
help-section-requests = — Reporting a problem: requests —
help-section-deliberation = — Deliberation —
help-section-points = — Volunteer points and activities —
help-section-account = — My account —
help-section-more = — More —
help-section-chiefs = — For grid chiefs, building chiefs and admins —

# The home menu (handlers/home.py): button labels short
home-button = 🏠 Menu
home-open = 🏠 Open the main menu
home-title = Hello, { $name }! What would you like to do? Press a button below:
home-pending = For now you can:
home-unregistered = You are not registered yet. Press “Register” to choose your building; once approved you can use everything.
home-in-flow = You have not finished what you started; everything you entered is kept: just answer the last question to go on. Pressing a button below drops it and does something else.
home-drop = ✖ Drop what I started
home-dropped = Dropped what you started; nothing was saved.
home-chosen = 🏠 Menu › { $entry }
home-wish = 🎁 Make a wish
home-complain = 📢 Report a problem
home-my = 📋 Mine
home-points = ⭐ Points
home-activities = 🙋 Activities
home-topics = 🗳 Deliberation
home-queue = 📥 To do
home-residents = 👥 Residents
home-notice = 📣 Notice
home-pool = 💡 Topic pool
home-stats = 📊 Figures
home-cockpit = 🖥 Cockpit
home-activity-new = ➕ New activity
home-award = 🏅 Award points
home-grant = 🔑 Roles
home-start = 📝 Register
home-help = ❓ Help
home-lang = 🌐 Language
home-privacy = 🔒 Privacy

lang-choose = 请选择语言 / Choose your language:
lang-set = Language set to English.

whoami = Name: { $name }
    Telegram ID: { $telegram_id }
    Role: { $role }
    Status: { $status }
    Grid: { $grid }
    Building: { $building }
    Area in charge: { $area }
whoami-short = { $name }: { $role } ({ $status })
whoami-stranger = You are not registered yet. Talk to me in a private chat and send /start.

role-resident = resident
role-building-chief = building chief
role-grid-chief = grid chief
role-admin = community admin
status-pending = pending
status-verified = verified
status-blocked = blocked

cancel-done = Cancelled. Nothing was saved.
cancel-nothing = There is nothing to cancel.

grant-usage = Usage: /grant <user id or @username> <role> [grid or grid/building]
    Roles: resident, building_chief, grid_chief, admin
    Example: /grant 123456789 grid_chief Grid 1
grant-done = Done: { $name } is now { $role } ({ $unit }).
grant-told = You are now { $role } ({ $unit }). Press “🏠 Menu” for your new buttons, or send /help to see your new commands.

bind-which = Which grid or building should this group be bound to?
bind-done = This group is now bound to: { $unit }. Notices will be posted here.
unbind-done = This group is no longer bound to { $unit }.
unit-grid = Grid
unit-building = Building
group-unbound = This group is not bound to a grid or building yet. A grid or building chief who is an admin of this group can send /bind.
group-private-only = /{ $command } is used in a private chat. Press the button below.

error-generic = That did not work.
error-internal = Something went wrong; nothing was saved. Please try again later.
error-not-found = That item was not found.
error-permission = You are not allowed to do that.
error-invalid-state = That cannot be done in the current state.
error-invalid-input = That input is not valid.
error-stale-button = This button is no longer valid.
error-not-verified = You are not verified yet, so you cannot use this. Send /start to see your application.
error-role-required = { $role ->
    [grid_chief] Only grid chiefs and admins can use this.
    [admin] Only admins can use this.
   *[building_chief] Only building chiefs, grid chiefs and admins can use this.
}
error-outside-area = That is outside your area; nothing was changed.
error-already-verified = You are already a verified resident.
error-blocked = Your account has been blocked.
error-already-handled = This application has already been handled.
error-unit-not-found = No grid or building called “{ $ref }”.
error-unit-ambiguous = Several buildings are called “{ $ref }”; write it as “grid/building”.
error-structure-import = Import failed; nothing was imported:
    { $errors }
error-bad-user-ref = “{ $ref }” is not a user id or @username.
error-user-unknown = No user { $ref } is known. Ask them to send /start to me first.
error-bad-role = There is no role “{ $role }”. Roles: resident, building_chief, grid_chief, admin.
error-grant-needs-unit = Name the grid or building, e.g. “Grid 1” or “Grid 1/Building 1”.
error-grant-needs-grid = A grid chief needs a grid.
error-grant-needs-building = A building chief needs a building (grid/building).
error-bind-not-chief = Only grid chiefs, building chiefs or community admins can bind a group.
error-bind-not-group-admin = You need to be an admin of this group to bind or unbind it.
error-not-bound = This group is not bound.

cmd-start = Main menu / register
cmd-help = Help
cmd-lang = Change language
cmd-whoami = Who am I
cmd-cancel = Cancel what you are doing
cmd-residents = Residents of my area and applications
cmd-grant = Give a role
cmd-bind = Bind this group to a grid or building
cmd-unbind = Unbind this group

# Picking a date and a time (bot/keyboards/when.py)
when-today = Today
when-tomorrow = Tomorrow
when-day-after = Day after tomorrow
when-weekday-date = { $weekday ->
        [0] Mon
        [1] Tue
        [2] Wed
        [3] Thu
        [4] Fri
        [5] Sat
       *[6] Sun
    } { $day }/{ $month }
when-other-day = ⬅ Another day
when-hint = Pick a day, then a time; or type one, e.g. tomorrow 3pm, 12-08 09:00.

# Roles, areas and the list of residents (handlers/admin.py, handlers/residents.py, handlers/groups.py)
person-former = a former resident
people-button-prev = ◀ Previous
people-button-next = Next ▶
people-button-back = ← Back
people-page = Page { $page } of { $pages }
people-search-hint = With many people, just send one word to find someone: a name, an @username or a building (e.g. Zhang, Building 1).

residents-list-header = 👥 { $area }: { $count ->
        [one] 1 person
       *[other] { $count } people
    }; { $pending ->
        [0] no applications are waiting.
        [one] 1 application is waiting.
       *[other] { $pending } applications are waiting.
    }
residents-list-search = Searching “{ $word }”:
residents-list-building = Building: { $building }
residents-list-empty = Nobody matches.
residents-filter-pending = ⏳ Waiting { $count }
residents-filter-verified = Verified { $count }
residents-filter-all = All { $count }
residents-button-by-building = 🏠 By building
residents-button-building-clear = 🏠 { $building } ✕
residents-button-grant = 🎖 Set role
residents-pick-building = Choose a building:
residents-card-person = 👤 { $name }
    Username: { $username }
    Home: { $home }
    Role: { $role } ({ $status })
    Applied or verified: { $since }
residents-approved = Approved: { $name }
residents-rejected = Rejected: { $name }

grant-pick-person = 🎖 Set a role: choose a person ({ $count ->
        [one] 1 person
       *[other] { $count } people
    }).
grant-pick-person-found = 🎖 Set a role: { $count ->
        [0] nobody found
        [one] 1 person found
       *[other] { $count } people found
    } for “{ $word }”.
grant-pick-role = Choose the new role of { $name } (now: { $role }; home: { $home }):
grant-pick-grid = Choose the grid { $name } will be in charge of:
grant-pick-building = Choose the building { $name } will be in charge of:
grant-confirm = Make { $name } { $role }? (Now: { $was })
grant-confirm-unit = Make { $name } { $role } of { $unit }? (Now: { $was })
grant-button-confirm = ✅ Yes, do it
grant-button-cancel = Cancel
grant-button-other-person = 👤 Someone else
grant-done-short = Done
grant-cancelled = Cancelled; no role was changed.
grant-admin-ids-note = Note: this person is listed in ADMIN_IDS and becomes an admin again with their next message. Remove them from ADMIN_IDS as well.
grant-handed-over = { $activities ->
        [one] 1 volunteer activity
       *[other] { $activities } volunteer activities
    } and { $notices ->
        [one] 1 scheduled notice
       *[other] { $notices } scheduled notices
    } they ran passed to { $name }, who was told.
handover-told = { $name } is no longer in charge of the following; you manage them now:
    { $items }
    Send /activities or /notices to see them.
handover-item-activity = · volunteer activity “{ $title }” ({ $when })
handover-item-notice = · scheduled notice { $id }

error-user-ambiguous = Several residents have used the username { $ref }; nobody's role was changed. Use one of these user ids instead:
    { $candidates }
error-grant-self = You cannot change your own role. Ask another admin.
error-bind-taken = This group is bound to { $unit }. Only a building chief, grid chief or admin in charge of { $unit } can bind it elsewhere, or send /unbind first.
