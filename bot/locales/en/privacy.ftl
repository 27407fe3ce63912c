# Personal data: see, download, how I appear on leaderboards, delete my account (English)

cmd-privacy = My personal data: see, download, delete

privacy-summary = 🔒 What we store about you
    Name: { $name }
    Username: { $username }
    Telegram id: { $telegram_id }
    Role: { $role } ({ $status })
    Grid · building: { $grid } · { $building }

    Your records:
    { $wishes ->
        [one] 1 micro-wish
       *[other] { $wishes } micro-wishes
    }, { $claimed ->
        [one] 1 micro-wish of others claimed
       *[other] { $claimed } micro-wishes of others claimed
    }
    { $complaints ->
        [one] 1 complaint
       *[other] { $complaints } complaints
    }, { $followed } followed or “me too”
    { $topics ->
        [one] 1 topic
       *[other] { $topics } topics
    }, { $comments ->
        [one] 1 comment
       *[other] { $comments } comments
    }, { $supports ->
        [one] 1 support
       *[other] { $supports } supports
    }
    { $votes ->
        [one] 1 vote
       *[other] { $votes } votes
    } (only that you voted, never your choice)
    { $ledger ->
        [one] 1 ledger entry
       *[other] { $ledger } ledger entries
    }, { $redemptions ->
        [one] 1 redemption
       *[other] { $redemptions } redemptions
    }, { $activities ->
        [one] 1 volunteer activity
       *[other] { $activities } volunteer activities
    }

    You can download all of it, or delete your account.
privacy-button-download = 📥 Download my data
privacy-button-leaderboard = 🏆 How I appear on leaderboards
privacy-button-delete = 🗑 Delete my account
privacy-button-back = ← Back
privacy-download-caption = Everything we store about you (a JSON file).
privacy-download-sent = Sent

privacy-current = On the leaderboards you now appear as: { $shown }
    Choose how to appear:
privacy-button-name = Show my name
privacy-button-neighbour = Show as “a neighbour of { $building }”
privacy-saved = Saved. On the leaderboards you will appear as: { $shown }

privacy-delete-explain = ⚠️ When you delete your account:
    · Your name, username and Telegram id are erased for good. This cannot be undone.
    · Voice messages, photos and locations you sent are deleted; micro-wishes not yet fulfilled are withdrawn; micro-wishes you claimed go back to wait for another neighbour.
    · Rewards you redeemed and not yet picked up are cancelled; the points go back and stop with the account.
    · Your ledger entries, votes and complaint records stay, anonymised: the community's points, vote totals and case histories stay correct, but nobody can tell they were yours; lists show you as “a former resident”.
    · Your remaining points can no longer be used.
    · If you write to me again later, you register anew.
    Delete your account?
privacy-button-delete-yes = Yes, delete it for good
privacy-button-delete-no = No, keep my account
privacy-delete-cancelled = OK, nothing about your account has changed.
privacy-deleted = Your account is deleted: your name and Telegram id are erased and your other records are anonymised. Thank you for all you did for your neighbours! To use the bot again, send /start to register.
privacy-error-chief = You are a building or grid chief. Please ask the community admin to give this role to someone else first (/grant), then delete your account.
privacy-error-admin = You are a community admin. Please have another admin take over and remove you from ADMIN_IDS first, then delete your account.
privacy-wish-released = The neighbour who claimed your micro-wish { $code } deleted their account; the wish is open again for another neighbour.
