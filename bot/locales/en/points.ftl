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

points-error-not-enough = Not enough points: { $need } needed, you have { $have }. Nothing was deducted.
points-error-amount = "{ $amount }" is not a valid number of points. Please enter a positive whole number.
points-error-award-max = One award can give at most { $max } points. Nothing was recorded.
points-error-award-month = You can award { $left } more points this month (monthly limit { $max }). Nothing was recorded.
points-error-reason = Please give the reason for the award.
points-error-not-resident = { $ref } is not a verified resident yet.
points-error-period = I don't understand the period "{ $period }". Use 2026-11, 2026, last (last month) or all.
points-error-ref = "{ $ref }" is not a valid id.

board-title = 🏆 Leaderboard · { $unit } · { $period }
board-monthly-title = 🏆 { $unit } volunteer points leaderboard, { $month }
board-month = this month
board-all = all time
board-community = the whole community
board-line = { $rank }. { $name } — { $points }
board-neighbour = a neighbour of { $building }
board-empty = Nobody has earned points in this period yet.
board-you = Your rank: { $rank } ({ $points } points)
board-you-none = You have not earned points in this period yet.
board-button-month = This month
board-button-all = All time
board-button-grid = My grid
board-button-community = Community

gift-choose = Give points to the community care fund or to a family in need.
    You have { $balance } points. Choose who receives them:
gift-care-fund = ❤️ Community care fund
gift-how-much = Giving to: { $name }
    You have { $balance } points. How many do you want to give?
gift-button-amount = { $amount } points
gift-button-other = Another amount
gift-type-amount = Type the number of points to give (a positive whole number):
gift-confirm = Give { $amount } points to "{ $name }"?
    You will have { $after } left. A gift cannot be undone.
gift-done = ❤️ Thank you! You gave { $amount } points to "{ $name }". You have { $balance } left.
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
gift-error-duplicate = There is already a family called "{ $name }".

award-usage = Usage: /award user-id-or-@username points reason
    Example: /award @zhangsan 10 cleaned the stairwell for an elderly neighbour
    At most { $max } points per award. Admins correct points with: /award correct @username -10 reason
award-done = Recorded: { $name } { $points } points, reason: { $reason }
award-told = 🎉 You received { $points } volunteer points!
    Reason: { $reason }
    From: { $chief }
award-corrected = Your volunteer points were corrected: { $points }.
    Reason: { $reason }

export-usage = Usage: /export points period
    Period: 2026-11 (a month), 2026 (a year), last (last month), all; nothing means this month.
export-done = Points ledger { $period }: { $count } entries.

activities-header = Upcoming volunteer activities. Tap one for details and to sign up:
activities-none = There are no upcoming volunteer activities.
activities-card = 📌 { $title } ({ $id })
    When: { $time }
    Where: { $place }
    Places: { $taken }/{ $capacity }
    Points: { $points }
activities-points-flat = { $points } per attendance
activities-points-hourly = { $points } per hour
activities-waiting-count = Waiting list: { $count }
activities-status-going = ✅ You are signed up.
activities-status-waiting = ⏳ You are on the waiting list; I will tell you when a place frees up.
activities-status-walk-in = ✅ You have checked in.
activities-state-completed = The activity is over and points have been credited.
activities-state-cancelled = The activity was called off.
activities-button-join = 🙋 Sign up
activities-button-leave = Cancel my sign-up
activities-button-new = ➕ New activity
activities-button-code = 🔑 Check-in code
activities-button-people = 📋 Attendance
activities-button-confirm = ✅ Confirm hours and credit points
activities-button-stop = ✖ Call off
activities-button-hours = { $hours } h
activities-button-flat = Per attendance
activities-button-hourly = Per hour
activities-joined-going = You are signed up!
activities-joined-waiting = The activity is full; you are on the waiting list.
activities-left = Your sign-up is cancelled.
activities-promoted = Good news! A place freed up and you moved from the waiting list to the activity:
    { $title }
    When: { $time }
    Where: { $place }
activities-remind-eve = ⏰ Reminder: volunteer activity "{ $title }" tomorrow
    When: { $time }
    Where: { $place }
    If you cannot come, cancel in /activities so a neighbour can take your place.
activities-remind-hour = ⏰ Reminder: volunteer activity "{ $title }" starts in one hour.
    When: { $time }
    Where: { $place }
activities-code = Check-in code of "{ $title }": { $code }
    Residents send me these 6 digits during the activity, or open this link:
    { $link }
activities-checkin-usage = Send the 6-digit check-in code shown at the activity, e.g. /checkin 123456
activities-checked-in = ✅ Checked in: { $title }. Your points arrive when the grid chief confirms the hours.
activities-people = Attendance of "{ $title }" (tap a name to mark present or absent):
activities-people-none = Nobody has signed up or checked in yet.
activities-confirm-ask = Confirm the hours of "{ $title }" and credit the points?
    { $count } present, { $points } points each. The activity then closes and cannot be changed.
activities-confirmed = "{ $title }" is closed; points were credited to { $count } volunteers.
activities-credited = 🎉 Thank you for volunteering at "{ $title }"! You earned { $points } volunteer points.
activities-stop-ask = Call off "{ $title }"? Everyone signed up will be told.
activities-stopped = "{ $title }" was called off.
activities-told-stopped = Sorry, the volunteer activity "{ $title }" ({ $time }) was called off.
activities-ask-title = New volunteer activity 1/7: what is it called? (e.g. Stairwell clean-up)
activities-ask-place = 2/7: where do volunteers meet?
activities-ask-time = 3/7: when does it start? Type it like this: 12-05 09:00 or 2026-12-05 09:00
activities-ask-hours = 4/7: how long does it last? Tap a button or type the hours (e.g. 1.5).
activities-ask-capacity = 5/7: how many volunteers are needed? Type a number.
activities-ask-points = 6/7: how many points? Type a whole number.
activities-ask-basis = 7/7: how are points counted?
activities-preview = Please check the activity:
    Title: { $title }
    Where: { $place }
    Starts: { $time }
    Length: { $hours } h
    Places: { $capacity }
    Points: { $points }
activities-created = ✅ Activity { $id } published: { $title }. Residents can sign up in /activities.
activities-error-time = I don't understand the time "{ $text }". Type it like this: 12-05 09:00
activities-error-past = That time has passed; please give a later one.
activities-error-hours = An activity lasts at most 24 hours.
activities-error-title = The title or the place is too long.
activities-error-already-signed = You are already signed up.
activities-error-not-signed = You are not signed up for this activity.
activities-error-closed = This activity has started, ended or been called off.
activities-error-code = Wrong check-in code. Please check the 6 digits shown at the activity.
activities-error-window = Check-in is not open now. Please check in during the activity.
activities-error-checked-in = You have already checked in.
activities-error-not-started = The activity has not started yet; its hours cannot be confirmed.

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
rewards-confirm = Redeem "{ $item }" for { $cost } points?
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
rewards-told-handed-over = ✅ Your "{ $item }" ({ $id }) has been handed over. Thank you for volunteering!
rewards-told-cancelled = Your redemption of "{ $item }" ({ $id }) was cancelled and the points refunded.
rewards-told-expired = Your "{ $item }" ({ $id }) was not collected in time; { $points } points were refunded.
rewards-pending-none = No redemptions are waiting for pickup.
rewards-pending-header = { $count } redemptions are waiting for pickup:
rewards-ask-name = New item 1/5: what is it called?
rewards-ask-description = 2/5: describe it in a sentence (or skip).
rewards-ask-photo = 3/5: send a photo of it (or skip).
rewards-ask-cost = 4/5: how many points does it cost? Type a positive whole number.
rewards-ask-stock = 5/5: how many are in stock? Type a number.
rewards-preview = Please check the item:
    Name: { $name }
    Description: { $description }
    Photo: { $photo }
    Cost: { $cost }
    Stock: { $stock }
rewards-has-photo = yes
rewards-created = ✅ On the shelf: { $name }.
rewards-item-saved = Saved; { $stock } in stock.
rewards-error-out-of-stock = Sorry, "{ $item }" is out of stock. No points were deducted.
rewards-error-inactive = This item has been withdrawn and cannot be redeemed.
rewards-error-not-reserved = This redemption has already been handled.
rewards-error-own-handover = You cannot hand over your own redemption; ask another chief or an admin.
rewards-error-name = The name must not be empty (at most 100 characters; description at most 500).
board-chart-title = { $unit } volunteer points, { $month }
