"""discord.py extensions: the generated commands, the owner tools and the daily question."""
