"""Keyboard builders (aiogram's InlineKeyboardBuilder), one module per feature."""
