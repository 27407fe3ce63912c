# Volunteer points, activities, the charity shop, gifts and leaderboards (English)

cmd-points = My volunteer points
cmd-gift = Give points
cmd-activities = Volunteer activities
cmd-checkin = Check in at an activity
cmd-activity-new = Create a volunteer activity
cmd-rewards = Charity shop
cmd-leaderboard = Leaderboard
cmd-award = Award points
cmd-export = Export data

points-button-cancel = ✖ Cancel
points-button-confirm = ✅ Confirm
points-button-history = 📜 Full ledger
points-button-prev = ← Previous
points-button-next = Next →
points-button-skip = Skip

points-summary = 💰 My volunteer points: { $balance }
    Earned this month: { $month }
    Rank in { $grid }: { $rank }
points-recent = Latest ledger entries:
points-no-entries = No points yet. Join a volunteer activity or fulfil a neighbour's micro-wish to earn some.
points-history = Ledger (page { $page } of { $pages }):
points-kind-activity = volunteer activity
points-kind-wish = micro-wish
points-kind-award = award
points-kind-redemption = redeemed
points-kind-refund = refund
points-kind-gift = gift
points-kind-correction = correction

points-draft-lost = This step has expired (the bot may have restarted, or you continued on another device); nothing was saved. Please start again.
points-error-not-enough = Not enough points: { $need } needed, you have { $have }. Nothing was deducted.
points-error-amount = “{ $amount }” is not a valid number of points. Please type a whole number from 1 to { $max }.
points-error-signed-amount = “{ $amount }” is not a valid correction. Please type a whole number other than 0, such as -10 or +5, at most { $max } either way.
points-error-number = “{ $text }” is not a valid number. Please type a whole number from { $low } to { $high }.
points-error-text = That is too long: { $length ->
        [one] 1 character
       *[other] { $length } characters
    }, at most { $limit }. Please shorten it and send it again.
points-error-no-text = Please type some text (at most { $limit } characters).
points-error-award-max = One award can give at most { $max } points. Nothing was recorded.
points-error-award-month = You can award { $left ->
        [one] 1 more point
       *[other] { $left } more points
    } this month (at most { $max } a month). Nothing was recorded.
points-error-reason = Please give the reason (one line, at most { $max } characters).
points-error-reason-long = The reason is too long: { $length } characters, at most { $max }.
points-error-not-resident = { $ref } is not a verified resident yet.
points-error-period = I don't understand the period “{ $period }”. Use 2026-11 (a month), 2026 (a year), last (last month) or all.
points-error-ref = “{ $ref }” is not a valid id. Type it like { $letter }8 or 8.
points-withheld = { $why ->
        [pair] ℹ️ No points were credited for { $ref }: micro-wishes of the same neighbour earn you points at most { $pair ->
            [one] once
           *[other] { $pair } times
        } a month.
       *[month] ℹ️ Your points for { $ref } reached the monthly limit: { $credited } of { $wanted } credited (at most { $cap } points a month from micro-wishes and activities).
    }
    If there is a good reason, a community admin can lift this month's limit.
points-withheld-author = { $why ->
        [pair] ℹ️ Thank you for confirming { $ref }! { $name } earned no points for it this time: micro-wishes of the same neighbour earn points at most { $pair ->
            [one] once
           *[other] { $pair } times
        } a month.
       *[month] ℹ️ Thank you for confirming { $ref }! { $name } reached this month's points limit: { $credited } of { $wanted } points were credited.
    }
points-cap-lifted = { $released ->
        [0] A community admin lifted your points limit for { $month }; what you earn for the rest of the month is credited in full.
        [one] A community admin lifted your points limit for { $month }; the 1 point held back was credited.
       *[other] A community admin lifted your points limit for { $month }; the { $released } points held back were credited.
    }

board-title = 🏆 Leaderboard · { $unit } · { $period }
board-monthly-title = 🏆 { $unit } volunteer points leaderboard, { $month }
board-month = this month
board-all = all time
board-community = the whole community
board-line = { $rank }. { $name } — { $points }
board-neighbour = a neighbour of { $building }
board-empty = Nobody has earned points in this period yet.
board-you = Your rank: { $rank } ({ $points ->
        [one] 1 point
       *[other] { $points } points
    })
board-you-none = You have not earned points in this period yet.
board-button-month = This month
board-button-all = All time
board-button-grid = My grid
board-button-community = Community
board-chart-title = { $unit } volunteer points, { $month }

gift-choose = Give points to the community care fund or to a family in need.
    You have { $balance } points. Choose who receives them:
gift-care-fund = ❤️ Community care fund
gift-how-much = Giving to: { $name }
    You have { $balance } points. How many do you want to give?
gift-button-amount = { $amount } points
gift-button-other = Another amount
gift-type-amount = Type the number of points to give (a positive whole number):
gift-confirm = Give { $amount } points to “{ $name }”?
    You will have { $after } left. A gift cannot be undone.
gift-done = ❤️ Thank you! You gave { $amount } points to “{ $name }”. You have { $balance } left.
gift-already = This gift has already been made.
gift-funds = Points received by each recipient:
gift-fund-line = { $name }: { $points }{ $active }
gift-inactive = (removed)
gift-button-add-family = ➕ Add a family
gift-button-remove = Remove: { $name }
gift-family-name = Type the family's name (e.g. Grandma Zhang, Building 3):
gift-family-added = Family added: { $name }.
gift-family-removed = Removed: { $name }. Residents can no longer give to it.
gift-error-name = The name must not be empty and at most 100 characters.
gift-error-duplicate = There is already a family called “{ $name }”.

award-usage = Send /award, pick the resident from the list, tap the points, and type the reason.
    Or type it in one go: /award user-id-or-@username points reason
    Example: /award @zhangsan 10 cleaned the stairwell for an elderly neighbour
    At most { $max } points per award. Admins correct points with: /award correct @username -10 reason
award-choose = Who receives the points? Choose below ({ $count ->
        [one] 1 resident
       *[other] { $count } residents
    }).
    With many people, type one word of a name or a building (e.g. “Zhang” or “Building 3”) to search.
award-no-match = Nobody whose name or building contains “{ $word }”. Try another word.
award-nobody = There are no verified residents in your area yet.
award-search-hint = Type one word to search (at most { $limit } characters), or choose from the list above.
award-how-much = Award to: { $name }
    How many points? At most { $max } per award; you can award { $left ->
        [one] 1 more point
       *[other] { $left } more points
    } this month.
award-withheld = Held back from them by the monthly limit this month: { $withheld ->
        [one] 1 point
       *[other] { $withheld } points
    }.
award-how-much-correct = Correct the points of { $name }: add or take away how many?
award-type-amount = Type the number of points (a whole number from 1 to { $max }):
award-type-correction = Type the correction (e.g. -10 or +5, at most { $most } either way):
award-ask-reason = Why does { $name } receive these points? Type one line (at most { $limit } characters); they will see it.
award-preview = Please confirm: award { $name } { $points } points
    Reason: { $reason }
award-preview-correct = Please confirm: correct the points of { $name } by { $points }
    Reason: { $reason }
award-lift-ask = Lift the points limit of { $name } for { $month }?
    { $withheld ->
        [0] Nothing was held back yet;
        [one] The 1 point held back this month is credited now;
       *[other] The { $withheld } points held back this month are credited now;
    } later credits this month are not limited either. This is recorded in the audit log.
award-lifted = The points limit of { $name } for { $month } is lifted; { $released ->
        [one] 1 point was
       *[other] { $released } points were
    } credited.
award-button-amount = +{ $amount }
award-button-other = Other
award-button-correct = ✏️ Correct points (add or take away)
award-button-lift = 🔓 Lift this month's limit ({ $withheld } held back)
award-done = Recorded: { $name } { $points } points, reason: { $reason }
award-told = 🎉 You received { $points } volunteer points!
    Reason: { $reason }
    From: { $chief }
award-corrected = Your volunteer points were corrected: { $points }.
    Reason: { $reason }
award-error-ambiguous = More than one resident has the username { $ref }; please use their user id:
    { $candidates }
award-error-self = You cannot award or correct your own points; ask another grid chief or an admin.
award-error-lifted = This resident's points limit for { $month } has already been lifted.

export-usage = Usage: /export points period
    Period: 2026-11 (a month), 2026 (a year), last (last month), all; nothing means this month.
export-done = Points ledger { $period }: { $count ->
        [one] 1 entry
       *[other] { $count } entries
    }.

activities-header = Upcoming volunteer activities. Tap one for details and to sign up:
activities-none = There are no upcoming volunteer activities.
activities-card = 📌 { $title } ({ $id })
    When: { $time }
    Where: { $place }
    Places: { $taken }/{ $capacity }
    Points: { $points }
activities-points-flat = { $points ->
        [one] 1 point
       *[other] { $points } points
    } per attendance
activities-points-hourly = { $points ->
        [one] 1 point
       *[other] { $points } points
    } per hour
activities-waiting-count = Waiting list: { $count ->
        [one] 1 person
       *[other] { $count } people
    }
activities-status-going = ✅ You are signed up.
activities-status-waiting = ⏳ You are on the waiting list; I will tell you when a place frees up.
activities-status-walk-in = ✅ You have checked in.
activities-state-completed = The activity is over and points have been credited.
activities-state-cancelled = The activity was called off.
activities-button-join = 🙋 Sign up
activities-button-leave = Cancel my sign-up
activities-button-new = ➕ New activity
activities-button-code = 🔑 Check-in code
activities-button-qr = 🔳 Check-in QR code (to print for the door)
activities-button-people = 📋 Attendance
activities-button-confirm = ✅ Confirm hours and credit points
activities-button-stop = ✖ Call off
activities-button-hours = { $value } h
activities-button-capacity = { $value ->
        [one] 1 person
       *[other] { $value } people
    }
activities-button-points = { $value ->
        [one] 1 point
       *[other] { $value } points
    }
activities-button-flat = Per attendance
activities-button-hourly = Per hour
activities-joined-going = You are signed up!
activities-joined-waiting = The activity is full; you are on the waiting list.
activities-left = Your sign-up is cancelled.
activities-promoted = Good news! A place freed up and you moved from the waiting list to the activity:
    { $title }
    When: { $time }
    Where: { $place }
activities-left-minutes = { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }
activities-left-hours = { $hours ->
        [one] 1 hour
       *[other] { $hours } hours
    }{ $minutes ->
        [0] {""}
        [one] {" "}1 minute
       *[other] {" "}{ $minutes } minutes
    }
activities-remind-eve = ⏰ Reminder: volunteer activity “{ $title }” starts { $day ->
        [0] today
        [1] tomorrow
       *[other] on { $date }
    } at { $time }, in { $left }.
    Where: { $place }
    If you cannot come, cancel in /activities so a neighbour can take your place.
activities-remind-hour = ⏰ Reminder: volunteer activity “{ $title }” starts at { $time }, in { $left }.
    Where: { $place }
activities-code = Check-in code of “{ $title }”: { $code }
    Residents send me these 6 digits during the activity, or open this link:
    { $link }
activities-qr = Check-in QR code of “{ $title }” ({ $time })
    Print it and put it up at the door. Residents scan it with their phone camera and open it in Telegram to check in; or they send me the code { $code }.
activities-checkin-usage = Send the 6-digit check-in code shown at the activity, e.g. /checkin 123456
activities-checked-in = ✅ Checked in: { $title }. Your points arrive when the grid chief confirms the hours.
activities-people = Attendance of “{ $title }” (tap a name to mark present or absent):
activities-people-none = Nobody has signed up or checked in yet.
activities-confirm-ask = Confirm the hours of “{ $title }” and credit the points?
    { $count } present, { $points ->
        [one] 1 point
       *[other] { $points } points
    } each. The activity then closes and cannot be changed.
activities-confirmed = “{ $title }” is closed; points were credited to { $count ->
        [one] 1 volunteer
       *[other] { $count } volunteers
    }.
activities-credited = 🎉 Thank you for volunteering at “{ $title }”! You earned { $points ->
        [one] 1 volunteer point
       *[other] { $points } volunteer points
    }.
activities-stop-ask = Call off “{ $title }”? Everyone signed up will be told.
activities-stopped = “{ $title }” was called off.
activities-told-stopped = Sorry, the volunteer activity “{ $title }” ({ $time }) was called off.
activities-ask-title = New volunteer activity 1/7: what is it called? (e.g. Stairwell clean-up; at most 100 characters)
activities-ask-place = 2/7: where do volunteers meet? (at most 200 characters)
activities-ask-time = 3/7: when does it start?
activities-ask-hours = 4/7: how long does it last? Tap a button or type the hours (e.g. 1.5; at most { $hours }).
activities-ask-capacity = 5/7: how many volunteers are needed? Tap a button or type a number (at most { $capacity }).
activities-ask-basis = 6/7: how are points counted?
activities-ask-points = 7/7: how many points { $basis ->
        [hour] per hour
       *[flat] per attendance
    }? Tap a button or type a whole number (0 to { $points }).
activities-preview = Please check the activity:
    Title: { $title }
    Where: { $place }
    Starts: { $time }
    Length: { $hours } h
    Places: { $capacity }
    Points: { $points }
activities-created = ✅ Activity { $id } published: { $title }. Residents can sign up in /activities.
activities-error-time = I don't understand the time “{ $text }”. Tap the buttons above, or type it like: tomorrow 3pm, 12-08 09:00.
activities-error-past = That time has passed; please choose a later one.
activities-error-hours = An activity lasts more than 0 and at most { $max } hours (1.5 is fine).
activities-error-capacity = The number of volunteers must be from 1 to { $max }.
activities-error-points = The points must be from 0 to { $max } (per hour, for activities counted by the hour).
activities-error-title = The title has at most { $title } characters and the place at most { $place }.
activities-error-already-signed = You are already signed up.
activities-error-not-signed = You are not signed up for this activity.
activities-error-closed = This activity has started, ended or been called off.
activities-error-code = Wrong check-in code, or check-in is not open now. Please check the 6 digits shown at the activity and check in during it.
activities-error-code-locked = Too many wrong check-in codes (at most { $max } an hour). Please try again in { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }, or ask the grid chief at the activity to check you in.
activities-error-checkin-scope = This activity is for residents of its grid only; you cannot check in here.
activities-error-full = The activity is full, so you cannot check in. Please talk to the grid chief at the activity.
activities-error-checked-in = You have already checked in.
activities-error-not-started = The activity has not started yet; its hours cannot be confirmed.
activities-error-own-attendance = You cannot mark your own attendance; another grid chief or an admin does that.
activities-error-own-confirm = You are on the attendance list, so you cannot confirm the hours yourself. Another grid chief or an admin does that.

rewards-header = 🎁 Charity shop: redeem your volunteer points for gifts.
    You have { $balance } points. Tap an item for details:
rewards-empty = There is nothing on the shelves yet.
rewards-mine = Your redemptions waiting for pickup:
rewards-mine-line = { $id } { $item }, pickup code { $code }, collect before { $expires }
rewards-item-button = { $name } · { $cost } points · { $stock } in stock
rewards-inactive-mark = (withdrawn)
rewards-item-card = 🎁 { $name }
    Cost: { $cost } points
    In stock: { $stock }
    { $description }
rewards-item-inactive = This item has been withdrawn.
rewards-button-redeem = Redeem
rewards-button-new = ➕ New item
rewards-button-pending = 📦 Waiting for pickup
rewards-button-restock = Stock +{ $amount }
rewards-button-deactivate = Withdraw
rewards-button-activate = Put back on the shelf
rewards-button-hand-over = ✅ Handed over
rewards-button-cancel-redemption = ✖ Cancel (refund the points)
rewards-confirm = Redeem “{ $item }” for { $cost } points?
    You will have { $after } left.
rewards-done = ✅ Redeemed! { $id }: { $item }
    Pickup code: { $code }
    Collect it at the community charity shop before { $expires } and show the code.
    You have { $balance } points left.
rewards-already = Already redeemed ({ $id }).
rewards-redemption-card = { $id }: { $item } ({ $cost } points)
    Redeemed by: { $name }
    Pickup code: { $code }
    State: { $state }
    Collect before: { $expires }
rewards-state-reserved = waiting for pickup
rewards-state-handed-over = handed over
rewards-state-cancelled = cancelled
rewards-state-expired = expired
rewards-told-handed-over = ✅ Your “{ $item }” ({ $id }) has been handed over. Thank you for volunteering!
rewards-told-cancelled = Your redemption of “{ $item }” ({ $id }) was cancelled and the points refunded.
rewards-told-expired = Your “{ $item }” ({ $id }) was not collected in time; { $points } points were refunded.
rewards-pending-none = No redemptions are waiting for pickup.
rewards-pending-header = { $count ->
        [one] 1 redemption is
       *[other] { $count } redemptions are
    } waiting for pickup:
rewards-ask-name = New item 1/5: what is it called? (at most 100 characters)
rewards-ask-description = 2/5: describe it in a sentence (at most 500 characters), or skip.
rewards-ask-photo = 3/5: send a photo of it, or skip.
rewards-ask-cost = 4/5: how many points does it cost? Type a whole number from 1 to { $max }.
rewards-ask-stock = 5/5: how many are in stock? Type a whole number from 0 to { $max }.
rewards-preview = Please check the item:
    Name: { $name }
    Description: { $description }
    Photo: { $photo }
    Cost: { $cost }
    Stock: { $stock }
rewards-has-photo = yes
rewards-created = ✅ On the shelf: { $name }.
rewards-item-saved = Saved; { $stock } in stock.
rewards-error-out-of-stock = Sorry, “{ $item }” is out of stock. No points were deducted.
rewards-error-inactive = This item has been withdrawn and cannot be redeemed.
rewards-error-not-reserved = This redemption has already been handled.
rewards-error-own-handover = You cannot hand over your own redemption; ask another chief or an admin.
rewards-error-name = The name must not be empty (at most 100 characters; description at most 500).

points-unusual-title = ⚠️ Unusual credits (worth a look: points may be farmed):
points-unusual-pair = · { $claimer } was credited for micro-wishes of { $author } { $credits ->
        [one] once
       *[other] { $credits } times
    }, { $points ->
        [one] 1 point
       *[other] { $points } points
    } in all
points-unusual-resident = · { $name } earned { $earned ->
        [one] 1 point
       *[other] { $earned } points
    } this period{ $withheld ->
        [0] {""}
       *[other] ; { $withheld } held back by the monthly limit
    }
