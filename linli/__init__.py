"""Linli (邻里): a Telegram bot for residents to take part in running their community.

The installed package maps the repository's top-level folders (`bot/`, `handlers/`,
`services/`, `models/`, `scheduler/`, `config/`, `migrations/`, `emulator/`) to
`linli.bot`, `linli.handlers`, … (setuptools `package-dir` in pyproject.toml), so nothing
but `linli` lands in site-packages.
"""

__version__ = "0.2.0"
