"""The sandbox: the bot in one process with an emulated Telegram and a page (issue 12)."""
