"""Telegram out: the delivery door.

Everything the bot sends later goes through here: the sweep claims due deliveries from the
outbox (bot/services/outbox.py), the services compose them as plain data
(bot/services/outgoing.py), and this package turns them into Bot API calls (calls.py,
keyboards.py) and classifies Telegram's answers. Nothing else sends from the outbox.
"""
