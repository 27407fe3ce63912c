"""CallbackData factories, one module per feature.

Prefixes are short (Telegram allows 64 bytes of callback data) and unique across the bot;
keep this table current when adding a factory:

| prefix | factory | module |
| --- | --- | --- |
| rg, rb, rv, lg, bu | registration: grid, building, review, language, bind unit | registration |
| pg | generic page navigation | common |
| w*, c* | wishes, complaints | wishes, complaints |
| t*, v* | topics, votes | deliberation |
| p*, a*, r* | points, activities, rewards | points |
| n* | notices | notices |
"""
