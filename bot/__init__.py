"""Telegram side of Linli: app factory, dispatcher, middlewares, keyboards, i18n."""
