"""CallbackData factories, one module per feature.

Prefixes are short (Telegram allows 64 bytes of callback data) and unique across the bot
(`tests/test_callbacks.py` checks it). Keep this
table current when adding a factory:

| module | prefixes |
| --- | --- |
| registration | rg rgb rb rv lg bu |
| common | pg |
| home | hm hmo hmx |
| wishes | wk wd wb wc wa |
| complaints | ck cd cb cm ca cs cr cq cy ch |
| deliberation | ts tv tl tk ta tf tr (topics) · vc vb vm vs vf vx (votes) |
| points | ph pl pv pf pm pc pd px pwp pwr pws · av aj al am ak an (activities) |
| rewards | ri rr rc rd ra re rn (in points) |
| notices | nk nsk nt nb nw nr nd nmd nh nc nx ng |
| privacy | yv yd (and pv from points for the leaderboard choice) |
"""
